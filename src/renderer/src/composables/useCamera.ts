/** Camera devices and the active stream, with typed, readable errors. */
import { onBeforeUnmount, ref, shallowRef } from 'vue'
import type { SmilecamError } from '../../../shared/errors'
import { cameraError } from '../lib/camera-errors'

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

  /** Starts the given camera (or the default one); a stale deviceId falls back to the default. */
  async function start(deviceId: string | null): Promise<void> {
    stop()
    starting.value = true
    error.value = null
    try {
      if (!navigator.mediaDevices?.getUserMedia) {
        throw Object.assign(new Error('This browser offers no camera access.'), { name: 'NotFoundError' })
      }
      const video: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 } }
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
