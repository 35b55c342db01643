/**
 * The keep-sharp mask from an engine result, as the headless camera uses it and the app can:
 * the person mask (or the face outlines filled in), refined to the frame's own edges while it is
 * upsampled (./guided-filter.ts), then smoothed over time without lagging motion (./temporal.ts).
 *
 * Measured with bench/camera.ts (still clip, sensor noise sigma 3): flicker 0.0034 raw, 0.0038
 * refined only, 0.0016 smoothed at mask size then refined, 0.00055 refined then smoothed at
 * frame size (this order), for a lag on the moving clip of 0.007 mean absolute difference.
 */
import { faceOutline } from '../face-geometry'
import type { LiveBlurMode } from '../settings'
import type { VisionResult } from '../vision'
import { DEFAULT_GUIDED_UPSAMPLE, guidedUpsample, resampleBilinear, type GuidedUpsampleOptions, type GuideImage } from './guided-filter'
import { analysisSize, boxBlurMask, maskToFloat, polygonsToMask, type AlphaMask } from './ops'
import { createMaskSmoother, DEFAULT_MASK_SMOOTHER, type MaskSmootherOptions } from './temporal'

/** This result's unsmoothed mask for the mode, or null. */
export function rawMask(result: VisionResult, mode: LiveBlurMode, faceMaskLongSide: number): AlphaMask | null {
  if (mode === 'person') {
    if (!result.personMask) return null
    const { width, height, data } = result.personMask
    return { values: maskToFloat(data), width, height }
  }
  if (mode === 'face') {
    const { width, height } = analysisSize(result.width, result.height, faceMaskLongSide)
    const outlines = result.faces.filter((face) => face.landmarks68.length === 68).map((face) => faceOutline(face.landmarks68))
    return { values: polygonsToMask(outlines, result.width, result.height, width, height), width, height }
  }
  return null
}

export interface KeepMaskOptions {
  /** Temporal smoothing; null = none (each result as it comes). */
  smoothing: MaskSmootherOptions | null
  /** Edge-aware upsampling; null = plain bilinear upsampling. */
  refine: GuidedUpsampleOptions | null
  faceMaskLongSide: number
  /** Face outlines are hard polygons: feathered by this fraction of the mask's long side. */
  faceFeatherFraction: number
}

export const DEFAULT_KEEP_MASK: KeepMaskOptions = {
  smoothing: DEFAULT_MASK_SMOOTHER,
  refine: DEFAULT_GUIDED_UPSAMPLE,
  faceMaskLongSide: 192,
  faceFeatherFraction: 1 / 96
}

export interface KeepMask {
  /**
   * The mask at the guide's size (0..1, 1 = keep sharp) for this result, or null when the result
   * has none (blur off, no person mask). `guide` is the luma of the frame the result is for.
   * With smoothing on, the array is the smoother's own and changes with the next update.
   */
  update(result: VisionResult, mode: LiveBlurMode, timestampMs: number, guide: GuideImage): Float32Array | null
  reset(): void
}

export function createKeepMask(options: KeepMaskOptions = DEFAULT_KEEP_MASK): KeepMask {
  const smoother = options.smoothing ? createMaskSmoother(options.smoothing) : null
  let lastMode: LiveBlurMode | null = null
  let scratch: Float32Array | null = null
  return {
    update(result, mode, timestampMs, guide) {
      if (mode !== lastMode) smoother?.reset()
      lastMode = mode
      const raw = rawMask(result, mode, options.faceMaskLongSide)
      if (!raw) return null
      let values = raw.values
      if (mode === 'face') {
        const radius = Math.max(1, Math.round(Math.max(raw.width, raw.height) * options.faceFeatherFraction))
        values = boxBlurMask(values, raw.width, raw.height, radius)
      }
      const mask = { values, width: raw.width, height: raw.height }
      // With smoothing the upsampled mask is only an input to the smoother: one buffer serves every frame.
      const size = guide.width * guide.height
      if (smoother && scratch?.length !== size) scratch = new Float32Array(size)
      const out = smoother ? (scratch ?? undefined) : undefined
      const upsampled = options.refine
        ? guidedUpsample(mask, guide, options.refine, out)
        : resampleBilinear(mask.values, mask.width, mask.height, guide.width, guide.height, out)
      // Smoothed after the refinement, at full size: the refinement follows the picture, so the
      // camera's pixel noise reaches the mask; averaged here, it is damped with the model's own.
      return smoother ? smoother.update(upsampled, timestampMs) : upsampled
    },
    reset() {
      smoother?.reset()
      lastMode = null
    }
  }
}

/** BT.601 luma of an RGBA picture, as the guide for the refinement (the app's analysis frame). */
export function rgbaLuma(rgba: ArrayLike<number>, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height)
  for (let p = 0, o = 0; p < out.length; p++, o += 4) out[p] = Math.round(0.299 * rgba[o] + 0.587 * rgba[o + 1] + 0.114 * rgba[o + 2])
  return out
}
