// @vitest-environment happy-dom
/** The Live page's "Send to virtual camera" card against the fake bridge. */
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import VirtualCameraCard from '../../../src/renderer/src/components/VirtualCameraCard.vue'
import { createSettingsStore } from '../../../src/renderer/src/composables/useSettings'
import { useVirtualCamera, type DrawnFrame, type VirtualCamera } from '../../../src/renderer/src/composables/useVirtualCamera'
import type { VcamFrameReader, VcamSource } from '../../../src/renderer/src/lib/vcam-feed'
import { createFailClosedGate } from '../../../src/shared/mask/fail-closed'
import { createFakeBridge } from '../fake-bridge'

afterEach(() => vi.useRealTimers())

const DEVICE = { path: '/dev/video10', name: 'Smilecam' }

/** Records which source each frame was read from; the pixels say it too (1 = composited, 2 = blurred). */
function recordingReader(): VcamFrameReader & { sources: VcamSource[] } {
  const sources: VcamSource[] = []
  return {
    sources,
    read: (source, _canvas, _video, width, height) => {
      sources.push(source)
      return new Uint8Array(width * height * 4).fill(source === 'composited' ? 1 : 2)
    }
  }
}

async function mountCard(prepare: (bridge: ReturnType<typeof createFakeBridge>) => void = () => undefined) {
  const bridge = createFakeBridge()
  prepare(bridge)
  const store = createSettingsStore(bridge.api)
  await store.load()
  const reader = recordingReader()
  let vcam!: VirtualCamera
  const Host = defineComponent({
    setup() {
      vcam = useVirtualCamera(bridge.api, store, reader)
      return () => h(VirtualCameraCard, { vcam })
    }
  })
  const wrapper = mount(Host)
  await flushPromises()
  return { wrapper, bridge, store, reader, vcam: () => vcam }
}

function drawn(decision: DrawnFrame['decision'], canvasHasMask: boolean, width = 641, height = 480): DrawnFrame {
  return { canvas: {} as HTMLCanvasElement, video: {} as HTMLVideoElement, width, height, decision, canvasHasMask }
}

describe('virtual camera card', () => {
  it('no loopback device: shows exactly what to run, and re-checks without a restart', async () => {
    vi.useFakeTimers()
    const { wrapper, bridge } = await mountCard()
    expect(wrapper.get('[data-testid="vcam-setup-load"]').text()).toBe('sudo modprobe v4l2loopback exclusive_caps=1 card_label="Smilecam"')
    expect(wrapper.get('[data-testid="vcam-setup"]').text()).toContain('v4l2loopback-dkms')
    expect(wrapper.get('[data-testid="vcam-switch"]').attributes('disabled')).toBeDefined()
    bridge.vcam.devices.push(DEVICE) // the user ran modprobe
    await vi.advanceTimersByTimeAsync(3500)
    await flushPromises()
    expect(wrapper.find('[data-testid="vcam-setup"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="vcam-device-name"]').text()).toContain('/dev/video10')
    expect(wrapper.get('[data-testid="vcam-switch"]').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })

  it('switch on: starts at the drawn frame size (even), sends composited frames only with a fresh mask, never a sharp one', async () => {
    const { wrapper, bridge, reader, vcam } = await mountCard((b) => b.vcam.devices.push(DEVICE))
    await wrapper.get('[data-testid="vcam-switch"]').setValue(true)
    const gate = createFailClosedGate<string>(true)
    vcam().frameDrawn(drawn(gate.decide(0), false))
    await flushPromises()
    expect(bridge.vcam.running).toEqual({ device: '/dev/video10', width: 640, height: 480, fps: 30 })
    vcam().frameDrawn(drawn(gate.decide(10), false)) // no mask yet
    await flushPromises()
    gate.maskArrived('mask', 20)
    vcam().frameDrawn(drawn(gate.decide(30), true))
    await flushPromises()
    gate.engineFailed()
    vcam().frameDrawn(drawn(gate.decide(60), true))
    await flushPromises()
    expect(reader.sources).toEqual(['blurred-camera', 'composited', 'blurred-camera'])
    expect(bridge.vcamFrames.map((f) => [f.width, f.height, f.data[0]])).toEqual([
      [640, 480, 2],
      [640, 480, 1],
      [640, 480, 2]
    ])
    wrapper.unmount()
  })

  it('the feed stopping by itself (device busy) turns the switch off with the reason', async () => {
    const { wrapper, bridge, vcam } = await mountCard((b) => b.vcam.devices.push(DEVICE))
    await wrapper.get('[data-testid="vcam-switch"]').setValue(true)
    vcam().frameDrawn(drawn(createFailClosedGate<string>(false).decide(0), false))
    await flushPromises()
    expect(vcam().on.value).toBe(true)
    bridge.stopVcam({ code: 'DEVICE_BUSY', message: '/dev/video10 is busy: another program is using it.' })
    await flushPromises()
    expect(vcam().on.value).toBe(false)
    expect((wrapper.get('[data-testid="vcam-switch"]').element as HTMLInputElement).checked).toBe(false)
    expect(wrapper.get('[data-testid="vcam-error"]').text()).toContain('is busy')
    // Frames drawn afterwards go nowhere.
    vcam().frameDrawn(drawn(createFailClosedGate<string>(false).decide(0), false))
    await flushPromises()
    expect(bridge.vcamFrames).toHaveLength(0)
    wrapper.unmount()
  })

  it('on Windows or macOS: says it is not available and why; the switch stays off', async () => {
    const { wrapper } = await mountCard((b) => {
      b.vcam.supported = false
      b.vcam.unsupportedReason = 'The virtual camera is not available on Windows yet, because Windows has no v4l2loopback.'
    })
    expect(wrapper.get('[data-testid="vcam-unsupported"]').text()).toContain('not available on Windows')
    expect(wrapper.get('[data-testid="vcam-switch"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })
})
