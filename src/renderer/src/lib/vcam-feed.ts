/**
 * The renderer's half of "Send to virtual camera": which picture goes out for a drawn frame
 * (decided by the fail-closed gate of src/shared/mask/fail-closed.ts), and a sender that keeps
 * one frame in flight (latest frame wins) and notices when the feed stopped.
 */
import type { BlurDecision } from '../../../shared/mask/fail-closed'

/** 'composited': the live canvas as drawn (blur applied, no overlays); 'blurred-camera': the camera frame blurred all over. */
export type VcamSource = 'composited' | 'blurred-camera'

/**
 * Fail closed: the composited canvas goes out only with blur off, or with a fresh mask that the
 * canvas was drawn with; otherwise (no mask yet, engine down, mask too old) the whole frame is
 * blurred, so a sharp background never leaves. Pure.
 */
export function vcamSourceFor(decision: BlurDecision<unknown>, canvasHasMask: boolean): VcamSource {
  if (decision.kind === 'raw') return 'composited'
  if (decision.kind === 'mask' && canvasHasMask) return 'composited'
  return 'blurred-camera'
}

/** Gaussian sigma (px at 640 wide) of the all-over blur: nothing in the room stays readable. */
export const FULL_BLUR_SIGMA_PX = 24

export interface VcamSender {
  /** Sends the frame `read` returns, unless one is still in flight (then `read` is not even called). */
  offer(read: () => { width: number; height: number; data: Uint8Array } | null): void
  readonly inFlight: boolean
  /** Frames handed over / skipped because one was in flight. */
  stats(): { sent: number; skipped: number }
}

/**
 * `send` resolves false (or rejects) when the main side's feed is not running any more; then
 * `onStopped` runs once and nothing more is sent.
 */
export function createVcamSender(
  send: (frame: { width: number; height: number; data: Uint8Array }) => Promise<boolean>,
  onStopped: (error: unknown) => void
): VcamSender {
  let inFlight = false
  let stopped = false
  let sent = 0
  let skipped = 0
  return {
    offer(read) {
      if (stopped) return
      if (inFlight) {
        skipped++
        return
      }
      const frame = read()
      if (!frame) return
      inFlight = true
      sent++
      send(frame).then(
        (running) => {
          inFlight = false
          if (!running && !stopped) {
            stopped = true
            onStopped(null)
          }
        },
        (error: unknown) => {
          inFlight = false
          if (!stopped) {
            stopped = true
            onStopped(error)
          }
        }
      )
    },
    get inFlight() {
      return inFlight
    },
    stats: () => ({ sent, skipped })
  }
}

/** Even frame size no larger than `width`×`height` (YUYV needs even sides). Pure. */
export function evenSize(width: number, height: number): { width: number; height: number } {
  return { width: Math.max(2, width - (width % 2)), height: Math.max(2, height - (height % 2)) }
}

export interface VcamFrameReader {
  read(source: VcamSource, canvas: HTMLCanvasElement, video: HTMLVideoElement, width: number, height: number): Uint8Array | null
}

/** Reads frames for the virtual camera from the live canvas or, blurred all over, from the video. */
export function createVcamFrameReader(): VcamFrameReader {
  let context: CanvasRenderingContext2D | null = null
  return {
    read(source, canvas, video, width, height) {
      if (!context || context.canvas.width !== width || context.canvas.height !== height) {
        const surface = document.createElement('canvas')
        surface.width = width
        surface.height = height
        context = surface.getContext('2d', { willReadFrequently: true })
        if (!context) return null
      }
      if (source === 'composited') {
        context.drawImage(canvas, 0, 0, width, height)
      } else {
        context.filter = `blur(${((FULL_BLUR_SIGMA_PX * width) / 640).toFixed(1)}px)`
        context.drawImage(video, 0, 0, width, height)
        context.filter = 'none'
      }
      const pixels = context.getImageData(0, 0, width, height)
      return new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength)
    }
  }
}
