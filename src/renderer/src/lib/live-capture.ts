/**
 * Encodes the photo the live view takes: the camera's full-resolution frame, or with blur on
 * that frame composited with the mask on screen on a one-off compositor (never a sharp background).
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
  encode?: (source: HTMLCanvasElement | HTMLVideoElement, width: number, height: number) => Promise<Uint8Array>
}

export async function encodeCapture(
  video: HTMLVideoElement,
  blur: CaptureBlur | null,
  tools: CaptureTools
): Promise<Uint8Array> {
  const encode = tools.encode ?? encodeJpeg
  if (!blur) return encode(video, video.videoWidth, video.videoHeight)
  const canvas = (tools.createCanvas ?? (() => document.createElement('canvas')))()
  const full = tools.createCompositor(canvas)
  try {
    full.uploadFrame(0, video as FrameSource, video.videoWidth, video.videoHeight)
    full.setMask(blur.mask.values, blur.mask.width, blur.mask.height)
    full.render(0, { blur: true, strength: blur.strength, refreshBackground: true })
    return await encode(canvas, canvas.width, canvas.height)
  } finally {
    full.close()
  }
}
