/**
 * "Send to virtual camera" on the Live page: device list (re-checked without a restart),
 * the switch, and the frames. The live pipeline calls `frameDrawn` after each frame it draws;
 * what goes out is decided by the fail-closed gate (lib/vcam-feed.ts). When the feed stops by
 * itself (ffmpeg missing or dying, device busy or gone) the switch turns off with the reason and
 * the preview keeps running.
 */
import { computed, onBeforeUnmount, ref, shallowRef } from 'vue'
import type { SmilecamApi } from '../../../shared/api'
import { SmilecamError } from '../../../shared/errors'
import type { BlurDecision } from '../../../shared/mask/fail-closed'
import type { VcamStatus } from '../../../shared/vcam'
import { createVcamFrameReader, createVcamSender, evenSize, vcamSourceFor, type VcamFrameReader, type VcamSender } from '../lib/vcam-feed'
import type { SettingsStore } from './useSettings'

/** How often the device list is read again while the switch cannot be used (no device yet). */
const RECHECK_MS = 3000
const FEED_FPS = 30

export interface DrawnFrame {
  canvas: HTMLCanvasElement
  video: HTMLVideoElement
  /** Size of the composited picture on the canvas. */
  width: number
  height: number
  decision: BlurDecision<unknown>
  /** The canvas was drawn with a person/face mask (not a sharp fallback). */
  canvasHasMask: boolean
}

export function useVirtualCamera(api: SmilecamApi, store: SettingsStore, reader: VcamFrameReader = createVcamFrameReader()) {
  const status = shallowRef<VcamStatus | null>(null)
  const on = ref(false)
  const busy = ref(false)
  const error = ref<string | null>(null)
  let sender: VcamSender | null = null
  let size: { width: number; height: number } | null = null
  let recheck: ReturnType<typeof setInterval> | null = null
  /** The switch is on: the feed starts at the size of the next drawn frame. */
  let wanted = false

  const devices = computed(() => status.value?.devices ?? [])
  const device = computed(() => {
    const saved = store.settings.live.virtualCameraDevice
    return devices.value.find((d) => d.path === saved)?.path ?? devices.value[0]?.path ?? null
  })

  async function refresh(): Promise<void> {
    try {
      status.value = await api.vcam.status()
    } catch (caught) {
      error.value = SmilecamError.from(caught).message
    }
    // Keep looking while there is nothing to pick, so a modprobe shows up without a restart.
    const waiting = status.value?.supported === true && devices.value.length === 0
    if (waiting && !recheck) recheck = setInterval(() => void refresh(), RECHECK_MS)
    if (!waiting && recheck) {
      clearInterval(recheck)
      recheck = null
    }
  }

  function stopped(reason: string | null): void {
    wanted = false
    on.value = false
    sender = null
    size = null
    if (reason) error.value = reason
  }

  async function start(frameWidth: number, frameHeight: number): Promise<void> {
    const path = device.value
    if (!path) return
    size = evenSize(frameWidth, frameHeight)
    busy.value = true
    error.value = null
    try {
      status.value = await api.vcam.start({ device: path, ...size, fps: FEED_FPS })
      const feed = createVcamSender(
        (frame) => api.vcam.frame(frame),
        (caught) => {
          if (sender !== feed) return
          // The main side knows why it stopped; ask it.
          void api.vcam.status().then((s) => {
            status.value = s
            stopped(s.lastError?.message ?? (caught ? SmilecamError.from(caught).message : 'The virtual camera stopped.'))
          }, () => stopped('The virtual camera stopped.'))
        }
      )
      if (wanted) sender = feed
      else void api.vcam.stop().catch(() => undefined) // switched off while starting
    } catch (caught) {
      stopped(SmilecamError.from(caught).message)
    } finally {
      busy.value = false
    }
  }

  async function stop(): Promise<void> {
    stopped(null)
    try {
      status.value = await api.vcam.stop()
    } catch (caught) {
      error.value = SmilecamError.from(caught).message
    }
  }

  /** The switch. On: the feed starts with the next drawn frame (at its size). */
  async function toggle(want: boolean): Promise<void> {
    if (!want) return stop()
    if (!device.value) return
    error.value = null
    wanted = true
    on.value = true
  }

  async function chooseDevice(path: string): Promise<void> {
    await store.update({ live: { virtualCameraDevice: path } })
    if (on.value) {
      await stop()
      await toggle(true)
    }
  }

  /** Called by the live pipeline after every drawn frame. */
  function frameDrawn(frame: DrawnFrame): void {
    if (!wanted || busy.value) return
    const feed = sender
    const even = evenSize(frame.width, frame.height)
    if (!feed || !size || even.width !== size.width || even.height !== size.height) {
      // First frame after the switch went on, or the camera changed size: (re)start at this size.
      sender = null
      void start(frame.width, frame.height)
      return
    }
    const target = size
    feed.offer(() => {
      const data = reader.read(vcamSourceFor(frame.decision, frame.canvasHasMask), frame.canvas, frame.video, target.width, target.height)
      return data ? { ...target, data } : null
    })
  }

  const offStopped = api.vcam.onStopped((reason) => {
    if (on.value) stopped(reason.message)
    void refresh()
  })

  onBeforeUnmount(() => {
    offStopped()
    if (recheck) clearInterval(recheck)
    if (on.value) void api.vcam.stop().catch(() => undefined)
  })

  return { status, on, busy, error, devices, device, refresh, toggle, chooseDevice, frameDrawn, wantsFrames: () => on.value }
}

export type VirtualCamera = ReturnType<typeof useVirtualCamera>
