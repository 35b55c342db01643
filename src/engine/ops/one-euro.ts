/**
 * One-Euro filter (Casiez et al. 2012): an adaptive low-pass filter that smooths
 * jitter when a point is still and follows quickly when it moves. Used on video
 * landmarks; one filter instance per coordinate stream.
 */
export interface OneEuroParams {
  /** Cutoff at rest, Hz: lower = smoother when still. */
  minCutoff: number
  /** How fast the cutoff rises with speed: higher = less lag when moving. */
  beta: number
  /** Cutoff for the derivative estimate, Hz. */
  derivativeCutoff: number
}

export const DEFAULT_ONE_EURO: OneEuroParams = { minCutoff: 1.5, beta: 0.02, derivativeCutoff: 1 }

function smoothingFactor(cutoffHz: number, dtSeconds: number): number {
  const tau = 1 / (2 * Math.PI * cutoffHz)
  return 1 / (1 + tau / dtSeconds)
}

/** Filters a fixed-length vector of values (e.g. 136 landmark coordinates) over time. */
export class OneEuroVectorFilter {
  private previous: Float64Array | null = null
  private derivative: Float64Array | null = null
  private lastTimeMs = 0

  constructor(private readonly params: OneEuroParams = DEFAULT_ONE_EURO) {}

  /** `scale` normalises speed (e.g. face size in px) so the filter behaves the same for near and far faces. */
  filter(values: readonly number[], timeMs: number, scale = 1): number[] {
    if (!this.previous || !this.derivative || values.length !== this.previous.length || timeMs <= this.lastTimeMs) {
      this.previous = Float64Array.from(values)
      this.derivative = new Float64Array(values.length)
      this.lastTimeMs = timeMs
      return [...values]
    }
    const dt = (timeMs - this.lastTimeMs) / 1000
    this.lastTimeMs = timeMs
    const { minCutoff, beta, derivativeCutoff } = this.params
    const alphaD = smoothingFactor(derivativeCutoff, dt)
    const out = new Array<number>(values.length)
    for (let i = 0; i < values.length; i++) {
      const rawDerivative = (values[i] - this.previous[i]) / dt
      const d = this.derivative[i] + alphaD * (rawDerivative - this.derivative[i])
      this.derivative[i] = d
      const cutoff = minCutoff + beta * Math.abs(d / Math.max(scale, 1e-6)) * 100
      const alpha = smoothingFactor(cutoff, dt)
      const smoothed = this.previous[i] + alpha * (values[i] - this.previous[i])
      this.previous[i] = smoothed
      out[i] = smoothed
    }
    return out
  }

  reset(): void {
    this.previous = null
    this.derivative = null
  }
}
