/**
 * Genuine (Duchenne) smile score from the 68 points, for the live SmileTrigger. A felt smile
 * moves the eyes as well as the mouth: the cheeks rise, pushing the lower eyelids up, and the
 * eyes narrow. A posed mouth-only grin widens the mouth but leaves the eyes as they were; a
 * yawn opens the mouth tall and narrows the eyes without widening the mouth; talking moves the
 * lips only. So the score needs both: mouth widening AND eye engagement, each measured against
 * the same person's neutral face (people differ far more than a smile changes them).
 */
import { distance, eyeAspectRatio } from './face-geometry'
import type { Point } from './vision'

/** The three measurements, in units of the outer eye-corner span (36-45), so face size does not count. */
export interface SmileGeometry {
  /** Mean eye aspect ratio (lid gap over eye width). */
  eyeOpening: number
  /**
   * How far the lower eyelids (40, 41, 46, 47) sit below the line through each eye's corners:
   * rising cheeks push the lower lid up towards that line.
   */
  lowerLidDrop: number
  /** Mouth-corner distance (48-54). */
  mouthWidth: number
}

/** Changes that count as a full-strength smile component (relative to neutral). */
const FULL_MOUTH_WIDENING = 0.12
const FULL_EYE_NARROWING = 0.2
const FULL_LID_RAISE = 0.35

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value))
}

/** Signed distance of `p` below the line a -> b (positive = below for an upright face). */
function dropBelow(p: Point, a: Point, b: Point): number {
  const length = distance(a, b)
  if (length === 0) return 0
  return ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])) / length
}

export function smileGeometry(points: readonly Point[]): SmileGeometry {
  const span = distance(points[36], points[45])
  if (span === 0) return { eyeOpening: 0, lowerLidDrop: 0, mouthWidth: 0 }
  const leftLid = (dropBelow(points[40], points[36], points[39]) + dropBelow(points[41], points[36], points[39])) / 2
  const rightLid = (dropBelow(points[46], points[42], points[45]) + dropBelow(points[47], points[42], points[45])) / 2
  return {
    eyeOpening: eyeAspectRatio(points),
    lowerLidDrop: (leftLid + rightLid) / 2 / span,
    mouthWidth: distance(points[48], points[54]) / span
  }
}

/**
 * 0..1: mouth widening times eye engagement (the mean of eye narrowing and lower-lid raise),
 * each relative to `neutral` and scaled so that a clear smile reaches 1.
 */
export function genuineSmileScore(current: SmileGeometry, neutral: SmileGeometry): number {
  const mouth = neutral.mouthWidth > 0 ? clamp01((current.mouthWidth / neutral.mouthWidth - 1) / FULL_MOUTH_WIDENING) : 0
  const narrowing = neutral.eyeOpening > 0 ? clamp01((1 - current.eyeOpening / neutral.eyeOpening) / FULL_EYE_NARROWING) : 0
  const lidRaise = neutral.lowerLidDrop > 0 ? clamp01((1 - current.lowerLidDrop / neutral.lowerLidDrop) / FULL_LID_RAISE) : 0
  return mouth * ((narrowing + lidRaise) / 2)
}

/** Frames with a closed mouth and a low smile score teach the neutral face. */
const NEUTRAL_MAX_MAR = 0.05
const NEUTRAL_MAX_SMILE = 0.3
/** Weight of each new neutral frame in the running mean (about the last 20 frames count). */
const NEUTRAL_LEARNING_RATE = 0.05

/**
 * The person's neutral geometry as a running mean of relaxed frames (mouth closed, not
 * smiling); null until the first relaxed frame, which is taken as it is.
 */
export function updateNeutralGeometry(neutral: SmileGeometry | null, current: SmileGeometry, mar: number, smile: number | undefined): SmileGeometry | null {
  const relaxed = mar < NEUTRAL_MAX_MAR && (smile === undefined || smile < NEUTRAL_MAX_SMILE)
  if (!relaxed) return neutral
  if (!neutral) return current
  const mix = (a: number, b: number): number => a + (b - a) * NEUTRAL_LEARNING_RATE
  return {
    eyeOpening: mix(neutral.eyeOpening, current.eyeOpening),
    lowerLidDrop: mix(neutral.lowerLidDrop, current.lowerLidDrop),
    mouthWidth: mix(neutral.mouthWidth, current.mouthWidth)
  }
}
