/**
 * Encodes the photo the live view takes: the camera's full-resolution frame, or with blur or a
 * face filter on, that frame composited on a one-off compositor with the mask and filter layer on
 * screen (never a sharp background when blur is on).
 */
import type { FrameSource } from './blur-compositor'
import type { CompositorFactory } from './compositor-choice'
import { encodeJpeg } from './encode-frame'
import type { AlphaMask } from './live-mask'

export interface CaptureBlur {
  mask: AlphaMask
  strength: number
}

export interface CaptureTools {
  createCompositor: CompositorFactory
  createCanvas?: () => HTMLCanvasElement
  encode?: (source: HTMLCanvasElement | CaptureFrame, width: number, height: number) => Promise<Uint8Array>
}

/** The camera frame to encode: the live <video> now, or a full-resolution snapshot of an earlier frame (best shot). */
export type CaptureFrame = HTMLVideoElement | ImageBitmap

function frameSize(frame: CaptureFrame): { width: number; height: number } {
  return 'videoWidth' in frame ? { width: frame.videoWidth, height: frame.videoHeight } : { width: frame.width, height: frame.height }
}

/** `overlay` is the face-filter layer on screen (any size; stretched over the full frame). */
export async function encodeCapture(
  frame: CaptureFrame,
  blur: CaptureBlur | null,
  tools: CaptureTools,
  overlay: FrameSource | null = null
): Promise<Uint8Array> {
  const encode = tools.encode ?? encodeJpeg
  const { width, height } = frameSize(frame)
  if (!blur && !overlay) return encode(frame, width, height)
  const canvas = (tools.createCanvas ?? (() => document.createElement('canvas')))()
  const full = tools.createCompositor(canvas)
  try {
    full.uploadFrame(0, frame as FrameSource, width, height)
    if (blur) full.setMask(blur.mask.values, blur.mask.width, blur.mask.height)
    full.setOverlay(overlay)
    full.render(0, { blur: blur !== null, strength: blur?.strength ?? 0, refreshBackground: true })
    return await encode(canvas, canvas.width, canvas.height)
  } finally {
    full.close()
  }
}
