/**
 * The four profile-photo checks, as pure functions of the engine's FaceResult, the photo
 * size and (for teeth) the photo pixels. Each check carries plain-language advice.
 */
import type { AuditOptions, BlurCheck, BlurMode, FaceSizeCheck, SentimentCheck, TeethCheck } from '../../shared/audit'
import { RECOMMENDED_PHOTO_SIZE } from '../../shared/audit'
import { faceEmotion, sentimentOfScores } from '../../shared/emotion'
import { circleCrop, distance, faceAreaRatio, pointsInsideCircle } from '../../shared/face-geometry'
import { EMOTION_LABELS, type EmotionScores, type FaceResult, type Point, type RgbaImage } from '../../shared/vision'
import { fillPolygon } from './render'

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

export interface SmileGeometry {
  /**
   * How far the mouth corners sit above the lips' centre, over the mouth width, measured
   * along the face's own up axis (so head roll does not count). Smiles lift the corners.
   */
  cornerLift: number
  /** Mouth width over the outer eye-corner distance; smiles widen the mouth. */
  mouthWidth: number
  /** Mouth aspect ratio (inner lips), as in FaceResult.mar. */
  mar: number
}

/** Geometric smile cues from the 68 points. */
export function smileGeometry(p: readonly Point[], mar: number): SmileGeometry {
  const eyeSpan = distance(p[36], p[45])
  const mouthSpan = distance(p[48], p[54])
  if (eyeSpan === 0 || mouthSpan === 0) return { cornerLift: 0, mouthWidth: 0, mar }
  // Face "down" axis: perpendicular to the eye line, pointing to the chin side.
  const ex = (p[45][0] - p[36][0]) / eyeSpan
  const ey = (p[45][1] - p[36][1]) / eyeSpan
  const down = (q: Point): number => -ey * q[0] + ex * q[1]
  const cornersDown = (down(p[48]) + down(p[54])) / 2
  // Reference: the upper lip's inner edge (62), which stays put when the jaw drops, so an open
  // mouth alone does not read as lifted corners.
  return { cornerLift: (down(p[62]) - cornersDown) / mouthSpan, mouthWidth: mouthSpan / eyeSpan, mar }
}

/** Thresholds of the smiling decision; judged on ../shared/data/smile (see bench/eval-teeth-smile.ts). */
export interface SmileThresholds {
  /** Happy score at or above which the face is smiling whatever the geometry says. */
  happySure: number
  /** Happy score at or above which geometry may confirm a smile. */
  happyMaybe: number
  /** Corner lift (fraction of mouth width) that confirms a maybe-smile. */
  cornerLift: number
  /** Mouth width over eye span that confirms a maybe-smile. */
  mouthWidth: number
}

export const DEFAULT_SMILE_THRESHOLDS: SmileThresholds = {
  happySure: 0.5,
  happyMaybe: 0.15,
  cornerLift: 0.08,
  mouthWidth: 0.85
}

/**
 * Smiling decision: the expression model's happy score decides clear cases; in the grey zone
 * the mouth geometry (corners lifted, or a wide mouth) tips it towards smiling.
 */
export function isSmiling(happy: number, geometry: SmileGeometry, t: SmileThresholds = DEFAULT_SMILE_THRESHOLDS): boolean {
  if (happy >= t.happySure) return true
  if (happy < t.happyMaybe) return false
  return geometry.cornerLift >= t.cornerLift || geometry.mouthWidth >= t.mouthWidth
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
  const smiling = isSmiling(smile, smileGeometry(face.landmarks68, face.mar), thresholds)
  let advice: string
  if (smiling && sentiment === 'positive') advice = `Friendly: reads as ${emotion.label}, smiling (smile ${percent(smile)}).`
  else if (smiling) advice = `Smiling, though the expression reads as ${emotion.label}; a relaxed, natural smile reads warmer.`
  else if (sentiment === 'negative') advice = `The expression reads as ${emotion.label}; a relaxed smile makes a warmer first impression.`
  else advice = `The expression reads as ${emotion.label}, not smiling; a slight smile looks more approachable.`
  return { emotion: emotion.label, scores, sentiment, smile, smiling, advice }
}

// ---------------------------------------------------------------- teeth

export interface MouthAppearance {
  /** Share of inner-mouth pixels that look like teeth (bright and unsaturated next to the lips). */
  toothFraction: number
  /** Pixels sampled inside the inner-lip polygon. */
  innerPixels: number
}

/** Lightness gain over the lips' median that a tooth pixel needs (0..255 scale). */
const TOOTH_LIGHTNESS_GAIN = 25
/** A tooth pixel's saturation is at most this share of the lips' median saturation. */
const TOOTH_SATURATION_SHARE = 0.75

function lightness(r: number, g: number, b: number): number {
  return (Math.max(r, g, b) + Math.min(r, g, b)) / 2
}

/** HSV-style saturation 0..1: teeth are near grey/white, lips are red. */
function saturation(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b)
  return max === 0 ? 0 : (max - Math.min(r, g, b)) / max
}

function median(values: number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/**
 * Looks inside the mouth: pixels of the inner-lip polygon (60-67) compared with the lip ring
 * (outer lips 48-59 minus the inner polygon). Teeth are brighter and less saturated than lips;
 * a dark open mouth or a tongue is not.
 */
export function mouthAppearance(image: RgbaImage, p: readonly Point[]): MouthAppearance {
  const outer = p.slice(48, 60)
  const inner = p.slice(60, 68)
  const xs = outer.map((q) => q[0])
  const ys = outer.map((q) => q[1])
  const left = Math.max(0, Math.floor(Math.min(...xs)))
  const top = Math.max(0, Math.floor(Math.min(...ys)))
  const right = Math.min(image.width, Math.ceil(Math.max(...xs)) + 1)
  const bottom = Math.min(image.height, Math.ceil(Math.max(...ys)) + 1)
  const w = right - left
  const h = bottom - top
  if (w <= 0 || h <= 0) return { toothFraction: 0, innerPixels: 0 }
  const shift = (q: Point): Point => [q[0] - left, q[1] - top]
  const outerMask = fillPolygon(outer.map(shift), w, h)
  const innerMask = fillPolygon(inner.map(shift), w, h)

  const lipLightness: number[] = []
  const lipSaturation: number[] = []
  const innerPixels: Array<[number, number]> = []
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const m = y * w + x
      if (!outerMask[m] && !innerMask[m]) continue
      const i = ((top + y) * image.width + left + x) * 4
      const r = image.data[i]
      const g = image.data[i + 1]
      const b = image.data[i + 2]
      if (innerMask[m]) {
        innerPixels.push([lightness(r, g, b), saturation(r, g, b)])
      } else {
        lipLightness.push(lightness(r, g, b))
        lipSaturation.push(saturation(r, g, b))
      }
    }
  }
  if (innerPixels.length === 0) return { toothFraction: 0, innerPixels: 0 }
  const lipL = median(lipLightness)
  const lipS = median(lipSaturation)
  const toothLike = innerPixels.filter(([l, s]) => l >= lipL + TOOTH_LIGHTNESS_GAIN && s <= lipS * TOOTH_SATURATION_SHARE).length
  return { toothFraction: toothLike / innerPixels.length, innerPixels: innerPixels.length }
}

export interface TeethThresholds {
  marThreshold: number
  /** Below marThreshold, a mouth this open with this much tooth-like inside still shows teeth. */
  minMarWithToothPixels: number
  toothFraction: number
}

export const DEFAULT_TEETH_THRESHOLDS: TeethThresholds = {
  marThreshold: 0.09,
  minMarWithToothPixels: 0.03,
  toothFraction: 0.3
}

/**
 * Teeth decision: MAR >= threshold (lips apart), or lips slightly apart with tooth-coloured
 * pixels between them (`appearance` omitted = MAR only).
 */
export function teethVisible(mar: number, appearance: MouthAppearance | undefined, t: TeethThresholds = DEFAULT_TEETH_THRESHOLDS): boolean {
  if (mar >= t.marThreshold) return true
  if (!appearance) return false
  return mar >= t.minMarWithToothPixels && appearance.toothFraction >= t.toothFraction
}

export function checkTeeth(face: FaceResult, image: RgbaImage | undefined, thresholds: TeethThresholds = DEFAULT_TEETH_THRESHOLDS): TeethCheck {
  const appearance = image ? mouthAppearance(image, face.landmarks68) : undefined
  const visible = teethVisible(face.mar, appearance, thresholds)
  const advice = visible
    ? `Teeth visible (mouth opening ${face.mar.toFixed(2)}); an open smile reads friendly.`
    : `No teeth visible (mouth opening ${face.mar.toFixed(2)}, ${thresholds.marThreshold} or more shows teeth); a smile that shows teeth tends to read warmer.`
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
  image: RgbaImage,
  options: AuditOptions,
  personMaskAvailable: boolean
): FaceChecks {
  const maskAvailable = options.blurMode === 'person' ? personMaskAvailable : outline.length >= 3
  return {
    blur: checkBlur(options.blurMode, options.blurStrength, maskAvailable),
    faceSize: checkFaceSize(outline, image.width, image.height, options.minFaceAreaRatio),
    sentiment: checkSentiment(face),
    teeth: checkTeeth(face, image, { ...DEFAULT_TEETH_THRESHOLDS, marThreshold: options.marThreshold })
  }
}
