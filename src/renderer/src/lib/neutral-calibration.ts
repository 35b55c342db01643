/**
 * Neutral-mouth calibration as a small state machine: while active it collects the main face's
 * MAR for `durationMs`, then yields the median (calibrateNeutralMar), or null when it saw too
 * few faces to measure one.
 */
import { calibrateNeutralMar } from './smile-trigger'

export const CALIBRATION_MS = 2000

export interface NeutralCalibration {
  readonly active: boolean
  start(nowMs: number): void
  /** One MAR sample (ignored unless active). */
  sample(mar: number): void
  /** When the calibration ends on this tick: its outcome (baseline null = failed). Otherwise null. */
  tick(nowMs: number): { baseline: number | null } | null
}

export function createNeutralCalibration(durationMs = CALIBRATION_MS): NeutralCalibration {
  let samples: number[] | null = null
  let startMs = 0
  return {
    get active() {
      return samples !== null
    },
    start(nowMs) {
      samples = []
      startMs = nowMs
    },
    sample(mar) {
      samples?.push(mar)
    },
    tick(nowMs) {
      if (!samples || nowMs - startMs < durationMs) return null
      const baseline = calibrateNeutralMar(samples)
      samples = null
      return { baseline }
    }
  }
}
