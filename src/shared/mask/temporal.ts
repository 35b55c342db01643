/**
 * Temporal smoothing of the person mask that does not lag a moving head: a per-pixel EMA whose
 * time constant depends on how much that pixel changed. Small frame-to-frame wobble (the
 * segmenter's noise on a still person, the flicker people complain about) is averaged over a
 * long window; a large change (an edge that really moved) goes through almost at once.
 */
import { emaAlpha, smoothstep } from './ops'

export interface MaskSmootherOptions {
  /** Time constant where the mask barely changed (noise). */
  stillTauMs: number
  /** Time constant where it changed a lot (motion). */
  movingTauMs: number
  /** Per-pixel change (0..1) up to which a change counts as noise ... */
  noiseChange: number
  /** ... and from which it counts as motion; in between the time constant blends. */
  motionChange: number
}

export const DEFAULT_MASK_SMOOTHER: MaskSmootherOptions = { stillTauMs: 160, movingTauMs: 15, noiseChange: 0.06, motionChange: 0.3 }

export interface MaskSmoother {
  /** Folds in the newest mask (same size every call, or the history restarts) and returns the smoothed one (owned by the smoother). */
  update(values: Float32Array, timestampMs: number): Float32Array
  reset(): void
}

export function createMaskSmoother(options: MaskSmootherOptions = DEFAULT_MASK_SMOOTHER): MaskSmoother {
  let state: Float32Array | null = null
  let lastMs: number | null = null
  return {
    update(values, timestampMs) {
      if (!state || state.length !== values.length || lastMs === null || timestampMs <= lastMs) {
        state = Float32Array.from(values)
        lastMs = timestampMs
        return state
      }
      const dt = timestampMs - lastMs
      lastMs = timestampMs
      const still = emaAlpha(dt, options.stillTauMs)
      const moving = emaAlpha(dt, options.movingTauMs)
      const { noiseChange, motionChange } = options
      for (let i = 0; i < values.length; i++) {
        const change = values[i] - state[i]
        const size = change < 0 ? -change : change
        // Most pixels (inside the person, far background) barely change: skip the curve there.
        state[i] += (size <= noiseChange ? still : still + (moving - still) * smoothstep(noiseChange, motionChange, size)) * change
      }
      return state
    },
    reset() {
      state = null
      lastMs = null
    }
  }
}
