/**
 * The four profile-photo checks, as pure functions of the engine's FaceResult, the photo
 * size and (for teeth) the photo pixels. Each check carries plain-language advice.
 */
import type { AuditOptions, BlurCheck, BlurMode, FaceSizeCheck, SentimentCheck, TeethCheck } from '../../shared/audit'
import { DEFAULT_AUDIT_OPTIONS, RECOMMENDED_PHOTO_SIZE } from '../../shared/audit'
import { faceEmotion, sentimentOfScores } from '../../shared/emotion'
import { circleCrop, faceAreaRatio, faceOutline, pointsInsideCircle } from '../../shared/face-geometry'
import { EMOTION_LABELS, type EmotionScores, type FaceEmotion, type FaceResult, type InnerMouthAppearance, type PersonMask, type Point, type Sentiment } from '../../shared/vision'

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
  const pass = faceLargeEnough && faceInsideCircle && resolutionOk
  return { pass, faceAreaRatio: ratio, faceLargeEnough, faceInsideCircle, resolutionOk, advice: advice.join(' ') }
}

// ---------------------------------------------------------------- smile and sentiment

/**
 * Smile score (FaceResult.smile) at or above which a face is smiling. The learned head folds its
 * cross-validated threshold into the score so that 0.5 is its decision (see smileScore in
 * src/engine/tasks/smile-head.ts); without the head the score is the happy probability.
 */
export const SMILING_PROBABILITY = 0.5

export function isSmiling(smile: number, threshold = SMILING_PROBABILITY): boolean {
  return smile >= threshold
}

function neutralScores(): EmotionScores {
  const scores = Object.fromEntries(EMOTION_LABELS.map((label) => [label, 0])) as EmotionScores
  scores.neutral = 1
  return scores
}

export function checkSentiment(face: FaceResult): SentimentCheck {
  // Without the expression stage the face is reported neutral rather than guessed.
  const scores = face.emotion?.scores ?? neutralScores()
  const emotion = face.emotion ?? faceEmotion(scores)
  const sentiment = face.sentiment ?? sentimentOfScores(scores)
  const smile = face.smile ?? scores.happy
  const smiling = isSmiling(smile)
  let advice: string
  if (smiling && sentiment === 'positive') advice = `Friendly: reads as ${emotion.label}, smiling (smile ${percent(smile)}).`
  else if (smiling) advice = `Smiling, though the expression reads as ${emotion.label}; a relaxed, natural smile reads warmer.`
  else if (sentiment === 'negative') advice = `The expression reads as ${emotion.label}; a relaxed smile makes a warmer first impression.`
  else advice = `The expression reads as ${emotion.label}, not smiling; a slight smile looks more approachable.`
  // A friendly photo smiles and does not read negative.
  const pass = smiling && sentiment !== 'negative'
  return { pass, emotion: emotion.label, scores, sentiment, smile, smiling, advice }
}

// ---------------------------------------------------------------- teeth

/**
 * Inner-mouth thresholds of the teeth decision. Chosen by leave-one-out cross-validation over a
 * coarse grid on ../shared/data/headshots (npm run train -- teeth), where accuracy was flat.
 */
export interface TeethRule {
  /** Lips this far apart (MAR) with at least this tooth-like share show teeth (slightly parted lips). */
  partedMar: number
  partedToothFraction: number
  /** A mouth open this wide (MAR) with fewer tooth-like pixels than this is a dark open mouth, not teeth. */
  wideOpenMar: number
  wideOpenMinToothFraction: number
}

export const DEFAULT_TEETH_RULE: TeethRule = {
  partedMar: 0.05,
  partedToothFraction: 0.45,
  wideOpenMar: 0.25,
  wideOpenMinToothFraction: 0.05
}

/**
 * Teeth decision from the mouth opening and the inner-mouth appearance: lips apart (MAR >=
 * marThreshold) show teeth unless the mouth is wide open and dark inside (a yawn, an "O");
 * slightly parted lips show teeth when enough of the gap looks like teeth. Without the
 * appearance (video) it is MAR alone.
 */
export function teethVisible(mar: number, innerMouth: InnerMouthAppearance | undefined, marThreshold: number, rule: TeethRule = DEFAULT_TEETH_RULE): boolean {
  if (!innerMouth) return mar >= marThreshold
  const toothFraction = innerMouth.innerPixels > 0 ? innerMouth.toothFraction : 0
  if (mar >= rule.wideOpenMar && toothFraction < rule.wideOpenMinToothFraction) return false
  if (mar >= marThreshold) return true
  return mar >= rule.partedMar && toothFraction >= rule.partedToothFraction
}

export function checkTeeth(face: FaceResult, marThreshold: number): TeethCheck {
  const visible = teethVisible(face.mar, face.innerMouth, marThreshold)
  const opening = `mouth opening ${face.mar.toFixed(2)}`
  const toothShare = face.innerMouth ? `, ${Math.round(face.innerMouth.toothFraction * 100)}% of the gap looks like teeth` : ''
  const advice = visible
    ? `Teeth visible (${opening}${toothShare}); an open smile reads friendly.`
    : `No teeth visible (${opening}${toothShare}). A smile that shows teeth tends to read warmer.`
  return { pass: visible, teethVisible: visible, mar: face.mar, advice }
}

// ---------------------------------------------------------------- blur

export function checkBlur(mode: BlurMode, strength: number, maskAvailable: boolean): BlurCheck {
  // Blur fails when nothing was blurred: no mask to blur around, or strength 0.
  const pass = maskAvailable && strength > 0
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
  return { pass, mode, strength, advice }
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
    teethVisible: teethVisible(face.mar, face.innerMouth, options.marThreshold),
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
