/**
 * The four profile-photo checks, as pure functions of the engine's FaceResult, the photo
 * size and (for teeth) the photo pixels. Each check carries plain-language advice.
 */
import type { AuditOptions, BlurCheck, BlurMode, FaceSizeCheck, SentimentCheck, TeethCheck } from '../../shared/audit'
import { DEFAULT_AUDIT_OPTIONS, RECOMMENDED_PHOTO_SIZE } from '../../shared/audit'
import { faceEmotion, sentimentOfScores } from '../../shared/emotion'
import { circleCrop, distance, faceAreaRatio, faceOutline, pointsInsideCircle } from '../../shared/face-geometry'
import { EMOTION_LABELS, type EmotionScores, type FaceEmotion, type FaceResult, type PersonMask, type Point, type Sentiment } from '../../shared/vision'

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`
}

// ---------------------------------------------------------------- face size

export function checkFaceSize(outline: readonly Point[], width: number, height: number, minFaceAreaRatio: number): FaceSizeCheck {
  const ratio = faceAreaRatio(outline, width, height)
  const faceLargeEnough = ratio >= minFaceAreaRatio
  const faceInsideCircle = pointsInsideCircle(outline, circleCrop(width, height))
  const resolutionOk = Math.min(width, height) >= RECOMMENDED_PHOTO_SIZE
  const advice: string[] = []
  if (!faceLargeEnough) {
    advice.push(`Face fills ${percent(ratio)} of the circle; crop tighter to reach ${percent(minFaceAreaRatio)}.`)
  } else {
    advice.push(`Face fills ${percent(ratio)} of the circle (${percent(minFaceAreaRatio)} needed).`)
  }
  if (!faceInsideCircle) advice.push('Part of the face falls outside the circular crop; centre the face or leave more room around it.')
  if (!resolutionOk) {
    advice.push(`The photo is ${width}×${height}; use at least ${RECOMMENDED_PHOTO_SIZE}×${RECOMMENDED_PHOTO_SIZE} pixels.`)
  }
  return { faceAreaRatio: ratio, faceLargeEnough, faceInsideCircle, resolutionOk, advice: advice.join(' ') }
}

// ---------------------------------------------------------------- smile and sentiment

/**
 * Mouth width over the outer eye-corner distance: smiles widen the mouth, and the ratio does not
 * depend on face size or head roll. (Corner lift and MAR were measured as well and added
 * nothing on the dev smile set; see bench/eval-teeth-smile.ts.)
 */
export function mouthWidthRatio(p: readonly Point[]): number {
  const eyeSpan = distance(p[36], p[45])
  return eyeSpan === 0 ? 0 : distance(p[48], p[54]) / eyeSpan
}

/**
 * Thresholds of the smiling decision, read off coarse sweeps on ../shared/data/smile
 * (bench/eval-teeth-smile.ts smile --sweep) where accuracy was flat around these round values.
 */
export interface SmileThresholds {
  /** Happy score at or above which the face is smiling whatever the geometry says. */
  happySure: number
  /** Happy score at or above which a wide mouth confirms a smile. */
  happyMaybe: number
  /** Mouth width over eye span that confirms a maybe-smile. */
  mouthWidth: number
}

export const DEFAULT_SMILE_THRESHOLDS: SmileThresholds = {
  happySure: 0.5,
  happyMaybe: 0.3,
  mouthWidth: 0.64
}

/**
 * Smiling decision: the expression model's happy score decides clear cases; in the grey zone a
 * wide mouth confirms a smile. On the dev smile set this beat the happy score alone by 1-2
 * points on detected faces, with either expression model the engine has used.
 */
export function isSmiling(happy: number, mouthWidth: number, t: SmileThresholds = DEFAULT_SMILE_THRESHOLDS): boolean {
  if (happy >= t.happySure) return true
  if (happy < t.happyMaybe) return false
  return mouthWidth >= t.mouthWidth
}

function neutralScores(): EmotionScores {
  const scores = Object.fromEntries(EMOTION_LABELS.map((label) => [label, 0])) as EmotionScores
  scores.neutral = 1
  return scores
}

export function checkSentiment(face: FaceResult, thresholds: SmileThresholds = DEFAULT_SMILE_THRESHOLDS): SentimentCheck {
  // Without the expression stage the face is reported neutral rather than guessed.
  const scores = face.emotion?.scores ?? neutralScores()
  const emotion = face.emotion ?? faceEmotion(scores)
  const sentiment = face.sentiment ?? sentimentOfScores(scores)
  const smile = face.smile ?? scores.happy
  const smiling = isSmiling(smile, mouthWidthRatio(face.landmarks68), thresholds)
  let advice: string
  if (smiling && sentiment === 'positive') advice = `Friendly: reads as ${emotion.label}, smiling (smile ${percent(smile)}).`
  else if (smiling) advice = `Smiling, though the expression reads as ${emotion.label}; a relaxed, natural smile reads warmer.`
  else if (sentiment === 'negative') advice = `The expression reads as ${emotion.label}; a relaxed smile makes a warmer first impression.`
  else advice = `The expression reads as ${emotion.label}, not smiling; a slight smile looks more approachable.`
  return { emotion: emotion.label, scores, sentiment, smile, smiling, advice }
}

// ---------------------------------------------------------------- teeth

/**
 * Teeth decision: MAR >= threshold (lips apart). Measured on ../shared/data/headshots
 * (bench/eval-teeth-smile.ts --sweep): adding the inner-mouth appearance (bright, unsaturated
 * pixels between the lips) changed no decision there, so the product keeps MAR alone.
 */
export function teethVisible(mar: number, marThreshold: number): boolean {
  return mar >= marThreshold
}

export function checkTeeth(face: FaceResult, marThreshold: number): TeethCheck {
  const visible = teethVisible(face.mar, marThreshold)
  const advice = visible
    ? `Teeth visible (mouth opening ${face.mar.toFixed(2)}); an open smile reads friendly.`
    : `No teeth visible (mouth opening ${face.mar.toFixed(2)}; ${marThreshold} or more shows teeth). A smile that shows teeth tends to read warmer.`
  return { teethVisible: visible, mar: face.mar, advice }
}

// ---------------------------------------------------------------- blur

export function checkBlur(mode: BlurMode, strength: number, maskAvailable: boolean): BlurCheck {
  let advice: string
  if (!maskAvailable) {
    advice =
      mode === 'person'
        ? 'No person outline was found, so the background was left sharp; try the face-only blur.'
        : 'No face outline was found, so the background was left sharp.'
  } else if (strength <= 0) {
    advice = 'Blur is off; a softly blurred background keeps attention on your face.'
  } else {
    advice =
      mode === 'person'
        ? `Background blurred at ${percent(strength)} strength around you; adjust the strength until the background stops competing with your face.`
        : `Everything outside the face outline blurred at ${percent(strength)} strength.`
  }
  return { mode, strength, advice }
}

// ---------------------------------------------------------------- all four

export interface FaceChecks {
  blur: BlurCheck
  faceSize: FaceSizeCheck
  sentiment: SentimentCheck
  teeth: TeethCheck
}

export function auditFace(
  face: FaceResult,
  outline: readonly Point[],
  width: number,
  height: number,
  options: AuditOptions,
  personMaskAvailable: boolean
): FaceChecks {
  const maskAvailable = options.blurMode === 'person' ? personMaskAvailable : outline.length >= 3
  return {
    blur: checkBlur(options.blurMode, options.blurStrength, maskAvailable),
    faceSize: checkFaceSize(outline, width, height, options.minFaceAreaRatio),
    sentiment: checkSentiment(face),
    teeth: checkTeeth(face, options.marThreshold)
  }
}

/** The per-face decisions without advice, for `smilecam analyze --json` and other compact outputs. */
export interface FaceVerdicts {
  smile: number
  smiling: boolean
  emotion: FaceEmotion
  sentiment: Sentiment
  teethVisible: boolean
  faceAreaRatio: number
  faceLargeEnough: boolean
}

export function faceVerdicts(
  face: FaceResult,
  width: number,
  height: number,
  options: Pick<AuditOptions, 'minFaceAreaRatio' | 'marThreshold'> = DEFAULT_AUDIT_OPTIONS
): FaceVerdicts {
  const sentiment = checkSentiment(face)
  const faceAreaRatioValue = faceAreaRatio(faceOutline(face.landmarks68), width, height)
  return {
    smile: sentiment.smile,
    smiling: sentiment.smiling,
    emotion: { label: sentiment.emotion, scores: sentiment.scores },
    sentiment: sentiment.sentiment,
    teethVisible: teethVisible(face.mar, options.marThreshold),
    faceAreaRatio: faceAreaRatioValue,
    faceLargeEnough: faceAreaRatioValue >= options.minFaceAreaRatio
  }
}

// ---------------------------------------------------------------- which face to audit

/** Mean person-mask value (0..1) under the eyes and nose, where a real face is always "person". */
export function personCoverage(face: FaceResult, mask: PersonMask, width: number, height: number): number {
  let sum = 0
  let count = 0
  for (let i = 27; i <= 47; i++) {
    const [x, y] = face.landmarks68[i]
    const mx = Math.min(mask.width - 1, Math.max(0, Math.floor((x / width) * mask.width)))
    const my = Math.min(mask.height - 1, Math.max(0, Math.floor((y / height) * mask.height)))
    sum += mask.data[my * mask.width + mx]
    count++
  }
  return sum / count / 255
}

/** A face whose eyes and nose are at least this much "person" counts as a real face. */
const MIN_PERSON_COVERAGE = 0.5

/** The detections that lie on the segmented person. */
export function facesOnPerson(faces: readonly FaceResult[], personMask: PersonMask, width: number, height: number): FaceResult[] {
  return faces.filter((f) => personCoverage(f, personMask, width, height) >= MIN_PERSON_COVERAGE)
}

export function largestFace(faces: readonly FaceResult[]): FaceResult | undefined {
  let best: FaceResult | undefined
  for (const f of faces) if (!best || f.box.width * f.box.height > best.box.width * best.box.height) best = f
  return best
}

/**
 * Detections at or above this score are "sure" faces; below it (down to the engine's threshold)
 * are often the back of a head, hands or a pattern, which must not win over a real face just by
 * being bigger.
 */
export const SURE_FACE_SCORE = 0.7

/**
 * The face to audit among the faces found (the engine's face-vote policy decides what is a face,
 * see src/engine/ops/face-votes.ts). With a person mask, faces off the person (a poster, a
 * face-like pattern) are set aside, so the audit looks at the person in the photo rather than at
 * the largest face; if the mask covers no face at all (a person it missed), every face counts.
 * Among those, sure faces (score >= SURE_FACE_SCORE) come first; the largest of them is audited.
 */
export function pickMainFace(
  faces: readonly FaceResult[],
  personMask: PersonMask | undefined,
  width: number,
  height: number
): FaceResult | undefined {
  const onPerson = personMask ? facesOnPerson(faces, personMask, width, height) : []
  const plausible = onPerson.length > 0 ? onPerson : faces
  const sure = plausible.filter((f) => f.score >= SURE_FACE_SCORE)
  return largestFace(sure.length > 0 ? sure : plausible)
}
