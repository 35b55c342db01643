/** The app's virtual camera ("Send to virtual camera"): what the renderer and the main side exchange. */
import type { ErrorInfo } from './errors'

/** A v4l2loopback device the composited feed can go to. */
export interface VcamDevice {
  /** /dev/videoN (or, in tests, the file sink's path). */
  path: string
  /** What call apps list it as (v4l2loopback's card_label). */
  name: string
}

export interface VcamStatus {
  /** False on Windows and macOS: there is no virtual camera there yet. */
  supported: boolean
  /** Why not, when unsupported. */
  unsupportedReason: string | null
  /** Loopback devices found now (re-read on every status call, so a modprobe shows up without a restart). */
  devices: VcamDevice[]
  /** What to run when there is no device. */
  setup: { package: string; install: string; load: string }
  /** The running feed, or null. */
  running: { device: string; width: number; height: number; fps: number } | null
  /** Why the last feed stopped by itself (ffmpeg missing, device busy or gone, ffmpeg died), until the next start. */
  lastError: ErrorInfo | null
}

export interface VcamStartRequest {
  device: string
  /** Even width and height of the frames that will follow. */
  width: number
  height: number
  fps: number
}

/** One composited RGBA frame (blur applied, overlays off) for the running feed. */
export interface VcamFrame {
  width: number
  height: number
  data: Uint8Array
}

/** Largest virtual-camera frame accepted (1080p). */
export const MAX_VCAM_PIXELS = 1920 * 1080
export const MAX_VCAM_FPS = 60
