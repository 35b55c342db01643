/**
 * The one blur definition: background blur strength 0..1 -> Gaussian sigma as a fraction of the
 * image's shorter side. Stills (src/core/audit/render.ts) and the live compositors
 * (src/renderer/src/lib/blur-math.ts) both use it, so one slider position gives the same look
 * on a photo and in the live view, whatever the resolution.
 */

/** Sigma at strength 1, as a fraction of the shorter image side. */
export const MAX_BLUR_SIGMA_FRACTION = 0.06

/** Gaussian sigma in pixels for `strength` (clamped to 0..1; not a number = 0) on a width×height image. */
export function blurSigma(strength: number, width: number, height: number): number {
  const s = Math.min(1, Math.max(0, Number.isFinite(strength) ? strength : 0))
  return s * MAX_BLUR_SIGMA_FRACTION * Math.min(width, height)
}
