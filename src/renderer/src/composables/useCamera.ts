/** Camera devices and the active stream, with typed, readable errors. */
import { onBeforeUnmount, ref, shallowRef } from 'vue'
import type { SmilecamError } from '../../../shared/errors'
import type { CameraResolution } from '../../../shared/settings'
import { cameraError } from '../lib/camera-errors'

/** What each resolution choice asks the camera for ('max': more than any webcam offers, so it gives its largest). */
export const RESOLUTION_CONSTRAINTS: Record<CameraResolution, MediaTrackConstraints> = {
  '720p': { width: { ideal: 1280 }, height: { ideal: 720 } },
  '1080p': { width: { ideal: 1920 }, height: { ideal: 1080 } },
  max: { width: { ideal: 4096 }, height: { ideal: 2160 } }
}

export interface CameraDevice {
  deviceId: string
  label: string
}

export function useCamera() {
  const devices = ref<CameraDevice[]>([])
  const stream = shallowRef<MediaStream | null>(null)
  const activeDeviceId = ref<string | null>(null)
  const error = shallowRef<SmilecamError | null>(null)
  const starting = ref(false)

  async function listDevices(): Promise<void> {
    const all = await navigator.mediaDevices.enumerateDevices()
    devices.value = all
      .filter((device) => device.kind === 'videoinput')
      // Labels are empty until permission is granted; number them meanwhile.
      .map((device, index) => ({ deviceId: device.deviceId, label: device.label || `Camera ${index + 1}` }))
  }

  function stop(): void {
    for (const track of stream.value?.getTracks() ?? []) track.stop()
    stream.value = null
  }

  /**
   * Starts the given camera (or the default one) at the chosen resolution; a stale deviceId falls
   * back to the default. Photos are taken at the stream's resolution; the engine gets small frames.
   */
  async function start(deviceId: string | null, resolution: CameraResolution = '1080p'): Promise<void> {
    stop()
    starting.value = true
    error.value = null
    try {
      if (!navigator.mediaDevices?.getUserMedia) {
        throw Object.assign(new Error('This browser offers no camera access.'), { name: 'NotFoundError' })
      }
      const video: MediaTrackConstraints = RESOLUTION_CONSTRAINTS[resolution]
      let media: MediaStream
      try {
        media = await navigator.mediaDevices.getUserMedia({
          video: deviceId ? { ...video, deviceId: { exact: deviceId } } : video,
          audio: false
        })
      } catch (first) {
        const name = (first as { name?: string }).name
        if (!deviceId || (name !== 'OverconstrainedError' && name !== 'NotFoundError')) throw first
        media = await navigator.mediaDevices.getUserMedia({ video, audio: false })
      }
      stream.value = media
      activeDeviceId.value = media.getVideoTracks()[0]?.getSettings().deviceId ?? deviceId
      await listDevices()
    } catch (caught) {
      error.value = cameraError(caught)
      await listDevices().catch(() => undefined)
    } finally {
      starting.value = false
    }
  }

  // Cameras plugged in or out while the page is open show up in the picker.
  const onDeviceChange = (): void => void listDevices().catch(() => undefined)
  navigator.mediaDevices?.addEventListener('devicechange', onDeviceChange)
  onBeforeUnmount(() => {
    navigator.mediaDevices?.removeEventListener('devicechange', onDeviceChange)
    stop()
  })

  return { devices, stream, activeDeviceId, error, starting, start, stop, listDevices }
}
