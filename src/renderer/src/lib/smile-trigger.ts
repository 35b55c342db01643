/**
 * SmileTrigger: a pure state machine that decides when a genuine smile should
 * take a photo. It sees one summary per engine result and never touches the DOM.
 *
 * It fires when, continuously for `holdMs`:
 *   MAR >= threshold (teeth showing) AND smile score >= minSmile AND the smile is genuine
 *   (genuine score >= minGenuine: the eyes narrow and the cheeks lift with the mouth, see
 *   src/shared/genuine-smile.ts) AND eyes open (EAR) AND the face is large enough AND steady
 *   enough AND the face is "live".
 * Then it needs MAR to fall below a lower re-arm threshold (hysteresis) and the
 * cooldown to pass before it can fire again.
 *
 * Rejections:
 * - Yawns: a yawn opens the mouth far wider than a smile and narrows the eyes while
 *   the expression model does not read "happy". MAR >= yawnMar with a low smile
 *   score, closed-ish eyes or no smile score at all is reported as 'yawn' and never fires.
 * - Posed grins: a mouth-only smile leaves the eyes as they were, so its genuine score stays low
 *   ('not-genuine').
 * - Talking: speech makes MAR swing across the threshold several times a second.
 *   We count threshold crossings in a sliding window; too many means 'talking' and
 *   blocks firing until the mouth settles. The smile-score requirement and the
 *   continuous hold reject the rest.
 * - Posters and screens: a printed or displayed face is perfectly static. We require
 *   liveness = some landmark motion (above `liveMotion`, a tiny fraction of the face
 *   size) at least once in the last `liveWindowMs`. Any real head, and any clip made
 *   from a still photo with even slight synthetic jitter, passes; a photo on a
 *   tripod-still screen does not. A hand-held poster moves and is NOT rejected by this.
 */

export interface SmileFaceSample {
  /** Mouth aspect ratio (inner lips over mouth width). */
  mar: number
  /** Smile score 0..1 from the engine's smile head; undefined when that stage did not run. */
  smile?: number
  /** Genuine (Duchenne) smile score 0..1 from the landmarks; undefined when not measured. */
  genuine?: number
  /** Eye aspect ratio, mean of both eyes. */
  ear: number
  /** Face box area / frame area (0..1). */
  boxAreaFraction: number
  /** Mean landmark displacement since the previous result, divided by the face box diagonal. */
  motion: number
}

export interface SmileFrame {
  tMs: number
  face: SmileFaceSample | null
}

export interface SmileTriggerConfig {
  marThreshold: number
  /** MAR must drop below threshold * rearmFraction before the trigger can fire again (hysteresis). */
  rearmFraction: number
  minSmile: number
  /** Genuine-smile score needed (eyes and cheeks moving with the mouth). */
  minGenuine: number
  minEar: number
  minBoxAreaFraction: number
  /** Largest per-result landmark motion (face-size units) still counted as steady. */
  maxMotion: number
  holdMs: number
  cooldownMs: number
  /** 0 = fire right after the hold; otherwise count down this long first. */
  countdownMs: number
  /** Conditions may fail this long without restarting the hold (one noisy result). */
  dropoutToleranceMs: number
  yawnMar: number
  talkWindowMs: number
  /** This many MAR threshold crossings within talkWindowMs means talking. */
  talkCrossings: number
  liveWindowMs: number
  liveMotion: number
  /** Face absent this long re-arms the trigger (a new person may step in). */
  rearmAbsentMs: number
  /** Per-user neutral MAR from calibration; raises the threshold for naturally open mouths. */
  neutralMar: number | null
  /** Margin above neutralMar a smile must reach. */
  neutralMargin: number
}

export type SmilePreset = 'slight' | 'normal' | 'big'

/** Preset values for the parts of the config that define "how big a smile". */
export const SMILE_PRESETS: Record<SmilePreset, { marThreshold: number; minSmile: number }> = {
  slight: { marThreshold: 0.06, minSmile: 0.4 },
  normal: { marThreshold: 0.09, minSmile: 0.55 },
  big: { marThreshold: 0.14, minSmile: 0.7 }
}

export const DEFAULT_SMILE_TRIGGER_CONFIG: SmileTriggerConfig = {
  marThreshold: 0.09,
  rearmFraction: 0.7,
  minSmile: 0.55,
  minGenuine: 0.25,
  minEar: 0.14,
  minBoxAreaFraction: 0.012,
  maxMotion: 0.06,
  holdMs: 400,
  cooldownMs: 10_000,
  countdownMs: 0,
  dropoutToleranceMs: 150,
  yawnMar: 0.45,
  talkWindowMs: 1500,
  talkCrossings: 4,
  liveWindowMs: 3000,
  liveMotion: 0.0015,
  rearmAbsentMs: 2000,
  neutralMar: null,
  neutralMargin: 0.05
}

export type SmilePhase = 'waiting' | 'holding' | 'countdown' | 'cooldown' | 'rearm'

export type SmileBlockReason =
  | 'no-face'
  | 'too-small'
  | 'moving'
  | 'static'
  | 'eyes-closed'
  | 'mouth-closed'
  | 'no-smile'
  | 'not-genuine'
  | 'yawn'
  | 'talking'

export interface SmileTriggerUpdate {
  phase: SmilePhase
  /** True on exactly the update that takes the photo. */
  fired: boolean
  /** 0..1 progress of the current hold. */
  holdProgress: number
  countdownRemainingMs: number
  /** Why the conditions are not met right now (null when they are). */
  blockedBy: SmileBlockReason | null
  /** MAR threshold in effect (after calibration), for the smile meter. */
  threshold: number
}

export interface SmileTrigger {
  update(frame: SmileFrame): SmileTriggerUpdate
  setConfig(patch: Partial<SmileTriggerConfig>): void
  readonly config: Readonly<SmileTriggerConfig>
  reset(): void
}

/** Effective MAR threshold: the configured one, raised above a calibrated neutral mouth. */
export function effectiveMarThreshold(config: SmileTriggerConfig): number {
  if (config.neutralMar === null) return config.marThreshold
  return Math.max(config.marThreshold, config.neutralMar + config.neutralMargin)
}

/**
 * MAR below which the trigger re-arms. With a calibrated neutral mouth it sits halfway
 * between neutral and the threshold, so a naturally open mouth can still re-arm.
 */
export function rearmMarThreshold(config: SmileTriggerConfig): number {
  const threshold = effectiveMarThreshold(config)
  if (config.neutralMar === null) return threshold * config.rearmFraction
  return (config.neutralMar + threshold) / 2
}

/** Neutral-face calibration: the median MAR of samples taken while the user keeps a neutral face. */
export function calibrateNeutralMar(samples: readonly number[]): number | null {
  const finite = samples.filter((value) => Number.isFinite(value) && value >= 0)
  if (finite.length < 5) return null
  const sorted = [...finite].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Counts how often a series crosses `threshold` (sign changes of value - threshold). */
export function countCrossings(values: readonly number[], threshold: number): number {
  let crossings = 0
  for (let i = 1; i < values.length; i++) {
    if (values[i - 1] >= threshold !== values[i] >= threshold) crossings++
  }
  return crossings
}

/** Checks one face sample against the smile conditions; returns the first failing one. */
export function blockReasonFor(
  face: SmileFaceSample,
  config: SmileTriggerConfig,
  threshold: number
): SmileBlockReason | null {
  const smileLow = face.smile === undefined || face.smile < config.minSmile
  if (face.mar >= config.yawnMar && (smileLow || face.ear < config.minEar)) return 'yawn'
  if (face.boxAreaFraction < config.minBoxAreaFraction) return 'too-small'
  if (face.motion > config.maxMotion) return 'moving'
  if (face.mar < threshold) return 'mouth-closed'
  if (face.ear < config.minEar) return 'eyes-closed'
  if (face.smile !== undefined && face.smile < config.minSmile) return 'no-smile'
  if (face.genuine !== undefined && face.genuine < config.minGenuine) return 'not-genuine'
  return null
}

interface TriggerState {
  phase: SmilePhase
  armed: boolean
  holdStartMs: number | null
  lastGoodMs: number | null
  countdownEndMs: number | null
  cooldownEndMs: number
  lastFaceMs: number | null
  lastLiveMs: number | null
  marHistory: { tMs: number; mar: number }[]
}

function initialState(): TriggerState {
  return {
    phase: 'waiting',
    armed: true,
    holdStartMs: null,
    lastGoodMs: null,
    countdownEndMs: null,
    cooldownEndMs: -Infinity,
    lastFaceMs: null,
    lastLiveMs: null,
    marHistory: []
  }
}

export function createSmileTrigger(initial: Partial<SmileTriggerConfig> = {}): SmileTrigger {
  let config: SmileTriggerConfig = { ...DEFAULT_SMILE_TRIGGER_CONFIG, ...initial }
  let state = initialState()

  function rememberFace(tMs: number, face: SmileFaceSample): void {
    state.lastFaceMs = tMs
    if (face.motion >= config.liveMotion) state.lastLiveMs = tMs
    state.marHistory.push({ tMs, mar: face.mar })
    while (state.marHistory.length > 0 && state.marHistory[0].tMs < tMs - config.talkWindowMs) state.marHistory.shift()
  }

  function conditionsAt(tMs: number, face: SmileFaceSample | null, threshold: number): SmileBlockReason | null {
    if (!face) return 'no-face'
    const reason = blockReasonFor(face, config, threshold)
    if (reason) return reason
    const crossings = countCrossings(
      state.marHistory.map((entry) => entry.mar),
      threshold
    )
    if (crossings >= config.talkCrossings) return 'talking'
    if (state.lastLiveMs === null || tMs - state.lastLiveMs > config.liveWindowMs) return 'static'
    return null
  }

  function fire(tMs: number): void {
    state.armed = false
    state.holdStartMs = null
    state.lastGoodMs = null
    state.countdownEndMs = null
    state.cooldownEndMs = tMs + config.cooldownMs
  }

  function update(frame: SmileFrame): SmileTriggerUpdate {
    const { tMs, face } = frame
    const threshold = effectiveMarThreshold(config)
    if (face) rememberFace(tMs, face)

    // Re-arming: the mouth closed again (hysteresis), or the face was gone a while.
    if (!state.armed) {
      const absentLong = state.lastFaceMs !== null && tMs - state.lastFaceMs >= config.rearmAbsentMs
      if ((face && face.mar < rearmMarThreshold(config)) || (!face && absentLong)) state.armed = true
    }

    const blockedBy = conditionsAt(tMs, face, threshold)
    let fired = false

    if (state.countdownEndMs !== null) {
      // A countdown runs to the end unless the face leaves.
      if (!face && state.lastFaceMs !== null && tMs - state.lastFaceMs > config.dropoutToleranceMs) {
        state.countdownEndMs = null
      } else if (tMs >= state.countdownEndMs) {
        fire(tMs)
        fired = true
      }
    } else if (state.armed && tMs >= state.cooldownEndMs) {
      if (blockedBy === null) {
        state.lastGoodMs = tMs
        if (state.holdStartMs === null) state.holdStartMs = tMs
      } else if (state.lastGoodMs === null || tMs - state.lastGoodMs > config.dropoutToleranceMs) {
        state.holdStartMs = null
        state.lastGoodMs = null
      }
      if (state.holdStartMs !== null && tMs - state.holdStartMs >= config.holdMs) {
        if (config.countdownMs > 0) {
          state.countdownEndMs = tMs + config.countdownMs
          state.holdStartMs = null
        } else {
          fire(tMs)
          fired = true
        }
      }
    } else {
      state.holdStartMs = null
      state.lastGoodMs = null
    }

    state.phase = phaseOf(tMs)
    return {
      phase: state.phase,
      fired,
      holdProgress:
        state.holdStartMs === null ? 0 : Math.min(1, (tMs - state.holdStartMs) / Math.max(1, config.holdMs)),
      countdownRemainingMs: state.countdownEndMs === null ? 0 : Math.max(0, state.countdownEndMs - tMs),
      blockedBy,
      threshold
    }
  }

  function phaseOf(tMs: number): SmilePhase {
    if (state.countdownEndMs !== null) return 'countdown'
    if (tMs < state.cooldownEndMs) return 'cooldown'
    if (!state.armed) return 'rearm'
    return state.holdStartMs === null ? 'waiting' : 'holding'
  }

  return {
    update,
    setConfig(patch) {
      config = { ...config, ...patch }
    },
    get config() {
      return config
    },
    reset() {
      state = initialState()
    }
  }
}

/** Trigger config from the user's capture settings (preset picks the smile score, the MAR comes from settings). */
export function smileTriggerConfigFromSettings(capture: {
  preset: SmilePreset
  marThreshold: number
  holdMs: number
  cooldownMs: number
  countdown: boolean
}): Partial<SmileTriggerConfig> {
  const preset = SMILE_PRESETS[capture.preset]
  return {
    marThreshold: capture.marThreshold,
    minSmile: preset.minSmile,
    holdMs: capture.holdMs,
    cooldownMs: capture.cooldownMs,
    countdownMs: capture.countdown ? 3000 : 0
  }
}
