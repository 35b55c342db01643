/**
 * Pure pixel comparisons between what the live page shows and a reference frame, per region:
 * how different the pixels are, and how much fine detail survives (blur removes it).
 */

/** A raw interleaved image (RGB or RGBA). */
export interface RawFrame {
  width: number
  height: number
  channels: number
  data: Uint8Array
}

/** A region in frame fractions (0..1), so it holds for any frame size. */
export interface Region {
  x0: number
  y0: number
  x1: number
  y1: number
}

export interface RegionComparison {
  /** Mean absolute RGB difference (0..255). */
  diff: number
  /** Gradient energy of `shown` divided by that of `reference` (1 = as sharp, 0 = flat). */
  sharpness: number
}

function luma(frame: RawFrame, x: number, y: number): number {
  const i = (y * frame.width + x) * frame.channels
  return 0.299 * frame.data[i] + 0.587 * frame.data[i + 1] + 0.114 * frame.data[i + 2]
}

function pixelRange(region: Region, frame: RawFrame): { xs: number; xe: number; ys: number; ye: number } {
  // One pixel short of the right and bottom edges so the gradient's neighbours exist.
  return {
    xs: Math.max(0, Math.round(region.x0 * frame.width)),
    xe: Math.min(frame.width - 1, Math.round(region.x1 * frame.width)),
    ys: Math.max(0, Math.round(region.y0 * frame.height)),
    ye: Math.min(frame.height - 1, Math.round(region.y1 * frame.height))
  }
}

export function meanAbsDiff(shown: RawFrame, reference: RawFrame, region: Region): number {
  assertSameSize(shown, reference)
  const { xs, xe, ys, ye } = pixelRange(region, shown)
  let sum = 0
  let count = 0
  for (let y = ys; y < ye; y++) {
    for (let x = xs; x < xe; x++) {
      const a = (y * shown.width + x) * shown.channels
      const b = (y * reference.width + x) * reference.channels
      for (let c = 0; c < 3; c++) sum += Math.abs(shown.data[a + c] - reference.data[b + c])
      count += 3
    }
  }
  return count === 0 ? 0 : sum / count
}

/** Sum of absolute luma differences to the right and down neighbours: how much fine detail. */
export function gradientEnergy(frame: RawFrame, region: Region): number {
  const { xs, xe, ys, ye } = pixelRange(region, frame)
  let energy = 0
  for (let y = ys; y < ye; y++) {
    for (let x = xs; x < xe; x++) {
      const here = luma(frame, x, y)
      energy += Math.abs(here - luma(frame, x + 1, y)) + Math.abs(here - luma(frame, x, y + 1))
    }
  }
  return energy
}

export function compareRegion(shown: RawFrame, reference: RawFrame, region: Region): RegionComparison {
  return {
    diff: meanAbsDiff(shown, reference, region),
    sharpness: gradientEnergy(shown, region) / Math.max(1, gradientEnergy(reference, region))
  }
}

function assertSameSize(a: RawFrame, b: RawFrame): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`frames differ in size: ${a.width}x${a.height} vs ${b.width}x${b.height}`)
  }
}

/** A rectangle in pixels: [x0, y0, x1, y1), at least one pixel inside the frame's border. */
export type PixelRect = readonly [x0: number, y0: number, x1: number, y1: number]

/**
 * Mean |Laplacian| of one plane (a Y plane, width bytes a row) in a rectangle: fine detail, which a
 * blur removes far more thoroughly than it removes gradients (a blurred ramp keeps its slope).
 */
export function planeDetail(plane: Uint8Array, width: number, [x0, y0, x1, y1]: PixelRect): number {
  let sum = 0
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * width + x
      sum += Math.abs(4 * plane[i] - plane[i - 1] - plane[i + 1] - plane[i - width] - plane[i + width])
    }
  }
  return sum / ((x1 - x0) * (y1 - y0))
}

/** Regions of the neutral clip's frames (tests/e2e/clips.ts NEUTRAL_FACE), in frame fractions. */
export const FACE_REGION: Region = { x0: 0.44, y0: 0.3, x1: 0.62, y1: 0.6 }
/** The bar behind her, top left: background in every frame despite the camera wobble. */
export const BACKGROUND_REGION: Region = { x0: 0, y0: 0, x1: 0.22, y1: 0.4 }

/**
 * The clip frame a shown image was made from: the one whose face region matches best. The
 * shown frame lags the camera by the engine's latency, so "the current camera frame" would not do.
 * `frames` are the clip's frames as RGB (clipFrames in clips.ts).
 */
export async function matchClipFrame(shown: RawFrame, frames: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, width: number, height: number): Promise<{ index: number; frame: RawFrame }> {
  let best: { index: number; frame: RawFrame; diff: number } | null = null
  let index = 0
  for await (const data of frames) {
    const frame: RawFrame = { width, height, channels: 3, data }
    const diff = meanAbsDiff(shown, frame, FACE_REGION)
    if (!best || diff < best.diff) best = { index, frame, diff }
    index++
  }
  if (!best) throw new Error('the clip has no frames')
  return best
}
