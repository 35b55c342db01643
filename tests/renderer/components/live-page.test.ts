// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SMILECAM_API_KEY } from '../../../src/renderer/src/api'
import { createSettingsStore, SETTINGS_STORE_KEY } from '../../../src/renderer/src/composables/useSettings'
import LivePage from '../../../src/renderer/src/pages/LivePage.vue'
import { createFakeBridge } from '../fake-bridge'

function stubCamera(getUserMedia: () => Promise<MediaStream>, devices: Partial<MediaDeviceInfo>[] = []) {
  vi.stubGlobal('navigator', {
    ...navigator,
    mediaDevices: {
      getUserMedia: vi.fn(getUserMedia),
      enumerateDevices: vi.fn(async () => devices),
      addEventListener: vi.fn(),
      removeEventListener: vi.fn()
    }
  })
}

const rejectWith = (name: string) => () => Promise.reject(Object.assign(new Error(name), { name }))

async function mountLive() {
  const bridge = createFakeBridge()
  const store = createSettingsStore(bridge.api)
  await store.load()
  const wrapper = mount(LivePage, { global: { provide: { [SMILECAM_API_KEY]: bridge.api, [SETTINGS_STORE_KEY]: store } } })
  await flushPromises()
  return { wrapper, bridge, store }
}

afterEach(() => vi.unstubAllGlobals())

describe('Live page camera errors', () => {
  it.each([
    ['NotAllowedError', 'CAMERA_DENIED', /denied/i],
    ['NotReadableError', 'CAMERA_BUSY', /in use/i],
    ['NotFoundError', 'NO_CAMERA', /no camera/i]
  ])('%s -> %s banner with a retry button', async (name, code, message) => {
    stubCamera(rejectWith(name))
    const { wrapper } = await mountLive()
    const banner = wrapper.get('[data-testid="camera-error"]')
    expect(banner.attributes('data-code')).toBe(code)
    expect(banner.text()).toMatch(message)
    expect(wrapper.find('[data-testid="camera-retry"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('retry asks for the camera again', async () => {
    stubCamera(rejectWith('NotReadableError'))
    const { wrapper } = await mountLive()
    await wrapper.get('[data-testid="camera-retry"]').trigger('click')
    await flushPromises()
    expect(navigator.mediaDevices.getUserMedia).toHaveBeenCalledTimes(2)
    wrapper.unmount()
  })

  it('lists cameras in the picker and shows the session capture count and saved photos', async () => {
    stubCamera(rejectWith('NotReadableError'), [
      { kind: 'videoinput', deviceId: 'a', label: 'Front camera' },
      { kind: 'audioinput', deviceId: 'm', label: 'Mic' },
      { kind: 'videoinput', deviceId: 'b', label: '' }
    ])
    const bridge = createFakeBridge()
    await bridge.api.captures.save({ data: Uint8Array.of(255, 216), mimeType: 'image/jpeg' })
    const store = createSettingsStore(bridge.api)
    await store.load()
    const wrapper = mount(LivePage, { global: { provide: { [SMILECAM_API_KEY]: bridge.api, [SETTINGS_STORE_KEY]: store } } })
    await flushPromises()
    const options = wrapper.findAll('[data-testid="camera-select"] option').map((option) => option.text())
    expect(options).toEqual(['Front camera', 'Camera 2'])
    expect(wrapper.get('[data-testid="capture-count"]').attributes('data-count')).toBe('0')
    expect(wrapper.findAll('[data-testid="capture-thumb"]')).toHaveLength(1)
    await wrapper.get('[data-testid="capture-delete"]').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-testid="capture-thumb"]')).toHaveLength(0)
    expect(bridge.captures).toHaveLength(0)
    wrapper.unmount()
  })
})
