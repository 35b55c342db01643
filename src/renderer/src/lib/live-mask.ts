/**
 * The live view's keep-sharp mask, one update per engine result: the person mask (person
 * mode) or the face outlines filled in (face-only mode, the original landmark method), then
 * smoothed over time (frame-rate independent EMA, so edges do not flicker) and feathered.
 * Pure: no DOM, no GPU.
 */
import { rawMask } from '../../../shared/mask/keep-mask'
import { boxBlurMask, emaAlpha, smoothMask, type AlphaMask } from '../../../shared/mask/ops'
import type { LiveBlurMode } from '../../../shared/settings'
import type { VisionResult } from '../../../shared/vision'

export type { AlphaMask }
export { rawMask }

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
