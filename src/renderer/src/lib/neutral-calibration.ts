/**
 * Neutral-mouth calibration as a small state machine. Start -> a short countdown asking for a
 * relaxed face -> samples of the main face for `samplingMs` -> the median MAR becomes the
 * baseline, unless the face looked like a smile (median smile score >= maxSmile) or the mouth
 * was already open past the default teeth threshold (median MAR >= maxMar): a baseline taken
 * during a smile would lift the threshold above the smile and auto-capture could never fire.
 */
import { calibrateNeutralMar } from './smile-trigger'

export interface NeutralCalibrationConfig {
  countdownMs: number
  samplingMs: number
  /** A neutral mouth stays below this MAR (the default teeth threshold). */
  maxMar: number
  /** A relaxed face stays below this smile score (only a clear smile is refused). */
  maxSmile: number
}

export const DEFAULT_NEUTRAL_CALIBRATION: NeutralCalibrationConfig = {
  countdownMs: 3000,
  samplingMs: 1500,
  maxMar: 0.09,
  // Not the smiling threshold (0.5): a resting face with closed lips and a slight upturn reads
  // 0.4-0.6 on the smile head, and refusing it would refuse that person's relaxed face every time.
  maxSmile: 0.7
}

/** calibrateNeutralMar needs this many samples. */
const MIN_SAMPLES = 5
const SLOW_ENGINE_FACTOR = 3

export type CalibrationRejection = 'smiling' | 'mouth-open' | 'no-face'

export type CalibrationState =
  | { phase: 'idle' }
  | { phase: 'countdown'; remainingMs: number }
  | { phase: 'sampling'; remainingMs: number }
  | { phase: 'done'; baseline: number }
  | { phase: 'rejected'; reason: CalibrationRejection; mar: number | null }

export interface NeutralCalibration {
  readonly state: CalibrationState
  readonly active: boolean
  start(nowMs: number): void
  /** One sample of the main face (ignored unless sampling). */
  sample(face: { mar: number; smile?: number }): void
  /** Advances the clock; returns the state, which is 'done' or 'rejected' once at the end. */
  tick(nowMs: number): CalibrationState
  cancel(): void
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

export function createNeutralCalibration(config: NeutralCalibrationConfig = DEFAULT_NEUTRAL_CALIBRATION): NeutralCalibration {
  let state: CalibrationState = { phase: 'idle' }
  let startMs = 0
  let mars: number[] = []
  let smiles: number[] = []

  function finish(): CalibrationState {
    const baseline = calibrateNeutralMar(mars)
    if (baseline === null) return { phase: 'rejected', reason: 'no-face', mar: null }
    if (smiles.length > 0 && median(smiles) >= config.maxSmile) return { phase: 'rejected', reason: 'smiling', mar: baseline }
    if (baseline >= config.maxMar) return { phase: 'rejected', reason: 'mouth-open', mar: baseline }
    return { phase: 'done', baseline }
  }

  return {
    get state() {
      return state
    },
    get active() {
      return state.phase === 'countdown' || state.phase === 'sampling'
    },
    start(nowMs) {
      startMs = nowMs
      mars = []
      smiles = []
      state = { phase: 'countdown', remainingMs: config.countdownMs }
    },
    sample(face) {
      if (state.phase !== 'sampling') return
      mars.push(face.mar)
      if (face.smile !== undefined) smiles.push(face.smile)
    },
    tick(nowMs) {
      if (state.phase !== 'countdown' && state.phase !== 'sampling') return state
      const elapsed = nowMs - startMs
      const sampling = elapsed - config.countdownMs
      // A slow engine (few results a second) gets up to three times as long to deliver enough samples.
      const enough = mars.length >= MIN_SAMPLES || sampling >= SLOW_ENGINE_FACTOR * config.samplingMs
      if (sampling < 0) state = { phase: 'countdown', remainingMs: -sampling }
      else if (sampling < config.samplingMs || !enough) state = { phase: 'sampling', remainingMs: Math.max(0, config.samplingMs - sampling) }
      else state = finish()
      return state
    },
    cancel() {
      state = { phase: 'idle' }
    }
  }
}

/** The calibration line in plain words. */
export function calibrationText(state: CalibrationState): string | null {
  switch (state.phase) {
    case 'idle':
      return null
    case 'countdown':
      return `Relax your face, lips closed… ${Math.ceil(state.remainingMs / 1000)}`
    case 'sampling':
      return 'Hold still with a relaxed face…'
    case 'done':
      return `Calibrated: your relaxed mouth opening is ${state.baseline.toFixed(3)}.`
    case 'rejected':
      if (state.reason === 'no-face') return 'Not calibrated: no face was in view. Try again.'
      if (state.reason === 'smiling') return 'Not calibrated: that looked like a smile. Relax your face and try again.'
      return `Not calibrated: the mouth was open (${state.mar?.toFixed(3)}). Close your lips and try again.`
  }
}
