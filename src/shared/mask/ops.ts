/**
 * Pure CPU work on alpha masks (0..1 floats, row-major), shared by the app's compositor and the
 * headless camera: temporal smoothing, feathering, face-outline masks, the edge curves.
 */
import { fillPolygonInto } from '../polygon'
import type { Point } from '../vision'

export interface AlphaMask {
  /** 0..1, row-major, top row first; 1 = keep sharp. */
  values: Float32Array
  width: number
  height: number
}

/** GLSL smoothstep: 0 below edge0, 1 above edge1, a cubic ease in between. */
export function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)))
  return t * t * (3 - 2 * t)
}

/** Where the person is drawn sharp: mask values from here to PERSON_EDGE_HIGH fade in. */
export const PERSON_EDGE_LOW = 0.25
export const PERSON_EDGE_HIGH = 0.75
/**
 * Which pixels feed the blurred background: weight 1 - smoothstep(0.05, 0.35, mask), i.e. the
 * person mask slightly dilated, so the person's colours never bleed into the background.
 */
export const BACKGROUND_EDGE_LOW = 0.05
export const BACKGROUND_EDGE_HIGH = 0.35

/** Size a frame is downscaled to before it goes to the engine: long side `longSide`, aspect kept, never upscaled. */
export function analysisSize(width: number, height: number, longSide: number): { width: number; height: number } {
  const long = Math.max(width, height)
  if (long <= 0) return { width: 0, height: 0 }
  const scale = Math.min(1, longSide / long)
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

/** EMA weight of the newest mask for a gap of dtMs with time constant tauMs (frame-rate independent). */
export function emaAlpha(dtMs: number, tauMs: number): number {
  if (!(tauMs > 0) || !(dtMs > 0)) return 1
  return 1 - Math.exp(-dtMs / tauMs)
}

/** Bytes 0..255 -> floats 0..1. */
export function maskToFloat(data: Uint8Array): Float32Array {
  const out = new Float32Array(data.length)
  for (let i = 0; i < data.length; i++) out[i] = data[i] / 255
  return out
}

/**
 * Exponential moving average of masks: prev + alpha * (next - prev), in place into `prev`
 * when given (and the same size); otherwise returns a copy of `next`.
 */
export function smoothMask(prev: Float32Array | null, next: Float32Array, alpha: number): Float32Array {
  if (!prev || prev.length !== next.length) return Float32Array.from(next)
  const a = Math.min(1, Math.max(0, alpha))
  for (let i = 0; i < next.length; i++) prev[i] += a * (next[i] - prev[i])
  return prev
}

/**
 * Separable box blur with edge clamping (two passes of a running sum), used to feather
 * the mask edge so the person blends into the blurred background instead of a hard cut-out.
 */
export function boxBlurMask(mask: Float32Array, width: number, height: number, radius: number): Float32Array {
  if (radius < 1) return Float32Array.from(mask)
  const temp = new Float32Array(mask.length)
  const out = new Float32Array(mask.length)
  blurLines(mask, temp, width, height, radius, 1, width)
  blurLines(temp, out, height, width, radius, width, 1)
  return out
}

/** Blurs `lines` lines of `length` samples; sample i of line l is at l * lineStep + i * step. */
function blurLines(
  src: Float32Array,
  dst: Float32Array,
  length: number,
  lines: number,
  radius: number,
  step: number,
  lineStep: number
): void {
  const inverseSize = 1 / (2 * radius + 1)
  const last = length - 1
  for (let line = 0; line < lines; line++) {
    const base = line * lineStep
    let sum = 0
    for (let i = -radius; i <= radius; i++) sum += src[base + (i < 0 ? 0 : i > last ? last : i) * step]
    // Samples past either end repeat the end sample (indices clamped inline: this runs per sample).
    for (let i = 0; i < length; i++) {
      dst[base + i * step] = sum * inverseSize
      const add = i + radius + 1
      const drop = i - radius
      sum += src[base + (add > last ? last : add) * step] - src[base + (drop < 0 ? 0 : drop) * step]
    }
  }
}

/** A polygon as a 0/1 mask; `out` (when given) keeps its other pixels, so polygons can be unioned. */
export function rasterizePolygon(polygon: readonly Point[], width: number, height: number, out?: Float32Array): Float32Array {
  return fillPolygonInto(out ?? new Float32Array(width * height), polygon, width, height, 1)
}

/** Union of several polygons given in source-image pixels, rasterised at mask resolution. */
export function polygonsToMask(
  polygons: readonly (readonly Point[])[],
  sourceWidth: number,
  sourceHeight: number,
  maskWidth: number,
  maskHeight: number
): Float32Array {
  const mask = new Float32Array(maskWidth * maskHeight)
  const sx = maskWidth / sourceWidth
  const sy = maskHeight / sourceHeight
  for (const polygon of polygons) {
    rasterizePolygon(
      polygon.map(([x, y]): Point => [x * sx, y * sy]),
      maskWidth,
      maskHeight,
      mask
    )
  }
  return mask
}
