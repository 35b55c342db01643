// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { SMILECAM_API_KEY } from '../../../src/renderer/src/api'
import { createSettingsStore, SETTINGS_STORE_KEY } from '../../../src/renderer/src/composables/useSettings'
import SettingsPage from '../../../src/renderer/src/pages/SettingsPage.vue'
import { createFakeBridge } from '../fake-bridge'

async function mountSettings() {
  const bridge = createFakeBridge()
  const store = createSettingsStore(bridge.api)
  await store.load()
  const wrapper = mount(SettingsPage, { global: { provide: { [SMILECAM_API_KEY]: bridge.api, [SETTINGS_STORE_KEY]: store } } })
  return { wrapper, bridge, store }
}

describe('Settings page', () => {
  it('shows the stored values and persists a toggle', async () => {
    const { wrapper, bridge } = await mountSettings()
    const mirror = wrapper.get('[data-testid="settings-mirror"]')
    expect((mirror.element as HTMLInputElement).checked).toBe(true)
    await mirror.setValue(false)
    await flushPromises()
    expect(bridge.settings.live.mirror).toBe(false)
  })

  it('a preset also moves the MAR threshold', async () => {
    const { wrapper, bridge, store } = await mountSettings()
    await wrapper.get('[data-testid="settings-preset"]').setValue('big')
    await flushPromises()
    expect(bridge.calls.at(-1)).toEqual({ channel: 'settings:set', args: [{ capture: { preset: 'big', marThreshold: 0.14 } }] })
    expect(store.settings.capture.marThreshold).toBe(0.14)
    expect((wrapper.get('[data-testid="settings-mar-threshold"]').element as HTMLInputElement).value).toBe('0.14')
  })

  it('a range persists a number', async () => {
    const { wrapper, bridge } = await mountSettings()
    await wrapper.get('[data-testid="settings-hold-ms"]').setValue('800')
    await flushPromises()
    expect(bridge.settings.capture.holdMs).toBe(800)
  })

  it('names settings in plain words with the technical term as a hint, and resets to the defaults', async () => {
    const { wrapper, bridge } = await mountSettings()
    const text = wrapper.text()
    expect(text).not.toContain('Teeth threshold (MAR)')
    expect(text).toContain('How far the mouth must open')
    expect(text).toContain('mouth aspect ratio (MAR), default 0.09')
    await wrapper.get('[data-testid="settings-hold-ms"]').setValue('800')
    await wrapper.get('[data-testid="settings-mirror"]').setValue(false)
    await flushPromises()
    expect(bridge.settings.capture.holdMs).toBe(800)
    await wrapper.get('[data-testid="settings-reset"]').trigger('click')
    await flushPromises()
    expect(bridge.settings.capture.holdMs).toBe(400)
    expect(bridge.settings.live.mirror).toBe(true)
    expect(bridge.settings.capture.autoCapture).toBe(false)
    expect((wrapper.get('[data-testid="settings-hold-ms"]').element as HTMLInputElement).value).toBe('400')
    expect(wrapper.get('[data-testid="settings-status"]').text()).toMatch(/back to their defaults/)
  })

  it('chooses the capture folder, shows the LinkedIn sign-in state, signs in and out', async () => {
    const { wrapper, bridge } = await mountSettings()
    await wrapper.get('[data-testid="settings-choose-folder"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="settings-folder"]').text()).toBe('/home/user/Selfies')
    expect(bridge.settings.capture.folder).toBe('/home/user/Selfies')
    expect(wrapper.get('[data-testid="linkedin-state"]').text()).toMatch(/^Not signed in\. Sign in/)
    await wrapper.get('[data-testid="linkedin-signin"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="linkedin-state"]').text()).toBe('Signed in to LinkedIn.')
    await wrapper.get('[data-testid="linkedin-signout"]').trigger('click')
    await flushPromises()
    expect(bridge.calls.some((call) => call.channel === 'linkedin:signOut')).toBe(true)
    expect(wrapper.get('[data-testid="settings-status"]').text()).toMatch(/signed out/i)
  })
})
