/**
 * The live view's keep-sharp mask, one update per engine result: the person mask (person
 * mode) or the face outlines filled in (face-only mode, the original landmark method), then
 * smoothed over time (frame-rate independent EMA, so edges do not flicker) and feathered.
 * Pure: no DOM, no GPU.
 */
import { faceOutline } from '../../../shared/face-geometry'
import type { LiveBlurMode } from '../../../shared/settings'
import type { VisionResult } from '../../../shared/vision'
import { analysisSize } from './blur-math'
import { boxBlurMask, emaAlpha, maskToFloat, polygonsToMask, smoothMask, type AlphaMask } from '../../../shared/mask/ops'

export type { AlphaMask }

export interface LiveMaskOptions {
  /** Time constant of the exponential moving average (edge flicker vs. lag). */
  smoothingMs: number
  /** Long side of the rasterised face-outline mask. */
  faceMaskLongSide: number
  /** Feather radius as a fraction of the mask's long side. */
  featherFraction: number
}

export const DEFAULT_LIVE_MASK_OPTIONS: LiveMaskOptions = { smoothingMs: 70, faceMaskLongSide: 192, featherFraction: 1 / 96 }

export interface LiveMask {
  /** The mask for this result, or null when there is none (blur off, or no person mask). */
  update(result: VisionResult, mode: LiveBlurMode, timestampMs: number): AlphaMask | null
  /** Forget the history (mode switched, camera changed). */
  reset(): void
}

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

export function createLiveMask(options: LiveMaskOptions = DEFAULT_LIVE_MASK_OPTIONS): LiveMask {
  let smoothed: Float32Array | null = null
  let lastMs: number | null = null
  return {
    update(result, mode, timestampMs) {
      const raw = rawMask(result, mode, options.faceMaskLongSide)
      if (!raw) return null
      const alpha = lastMs === null ? 1 : emaAlpha(timestampMs - lastMs, options.smoothingMs)
      lastMs = timestampMs
      smoothed = smoothMask(smoothed, raw.values, alpha)
      const radius = Math.max(1, Math.round(Math.max(raw.width, raw.height) * options.featherFraction))
      return { values: boxBlurMask(smoothed, raw.width, raw.height, radius), width: raw.width, height: raw.height }
    },
    reset() {
      smoothed = null
      lastMs = null
    }
  }
}
