/** Pure numbers behind the blur compositor: kernel weights and the size of the blur buffers. */
import { blurSigma } from '../../../shared/blur'

/** Most taps on each side of the centre; the shader's loop is compiled for this many. */
export const MAX_BLUR_RADIUS = 24

/**
 * Normalised 1D Gaussian weights for offsets 0..radius (one side; the kernel is symmetric).
 * radius = ceil(3 sigma) capped at maxRadius; weights[0] + 2 * sum(weights[1..]) === 1.
 */
export function gaussianWeights(sigma: number, maxRadius = MAX_BLUR_RADIUS): Float32Array {
  if (!(sigma > 0)) return Float32Array.of(1)
  const radius = Math.max(1, Math.min(maxRadius, Math.ceil(sigma * 3)))
  const weights = new Float32Array(radius + 1)
  let total = 0
  for (let i = 0; i <= radius; i++) {
    weights[i] = Math.exp(-(i * i) / (2 * sigma * sigma))
    total += i === 0 ? weights[i] : 2 * weights[i]
  }
  for (let i = 0; i <= radius; i++) weights[i] /= total
  return weights
}

/**
 * The shared blur (src/shared/blur.ts) of a width×height frame, in pixels of its blur buffer
 * (`bufferWidth` wide), capped where the kernel ends (3 sigma = MAX_BLUR_RADIUS taps).
 */
export function bufferBlurSigma(strength: number, width: number, height: number, bufferWidth: number): number {
  if (width <= 0) return 0
  return Math.min(MAX_BLUR_RADIUS / 3, (blurSigma(strength, width, height) * bufferWidth) / width)
}

/** The blur runs at a fraction of the output size: blur is low-frequency, so nothing visible is lost. */
export function blurBufferSize(width: number, height: number, downscale = 4): { width: number; height: number } {
  return {
    width: Math.max(16, Math.round(width / downscale)),
    height: Math.max(16, Math.round(height / downscale))
  }
}

export { analysisSize } from '../../../shared/mask/ops'

/**
 * Folds the one-sided weights into taps that use the GPU's bilinear filter: texels i and i+1
 * are fetched together at an offset between them, halving the fetches. Returns the centre
 * weight plus (offset, weight) pairs; each pair is sampled at +offset and -offset.
 */
export function linearSampledTaps(weights: Float32Array): { centre: number; offsets: number[]; weights: number[] } {
  const offsets: number[] = []
  const paired: number[] = []
  for (let i = 1; i < weights.length; i += 2) {
    const a = weights[i]
    const b = i + 1 < weights.length ? weights[i + 1] : 0
    const total = a + b
    offsets.push(total > 0 ? (i * a + (i + 1) * b) / total : i)
    paired.push(total)
  }
  return { centre: weights[0], offsets, weights: paired }
}

/** Strength rounded to the slider's 5% steps, so only a handful of blur shaders are ever compiled. */
export function quantizeStrength(strength: number): number {
  return Math.round(Math.min(1, Math.max(0, strength)) * 20) / 20
}
