/** Photo audit contract: what the audit takes and the report it gives. */
import type { FaceResult, EmotionLabel, EmotionScores, Sentiment, Point } from './vision'

/**
 * Where the UI's photo comes from: `bytes` is a file opened or dropped in the renderer, `url` a
 * web address. The renderer never names a path: nothing over IPC or HTTP makes the app read a file.
 */
export type AuditSource = { kind: 'bytes'; name: string; data: Uint8Array } | { kind: 'url'; url: string }

/** What the audit service takes: the UI's sources, plus a path the CLI reads in its own process. */
export type LocalAuditSource = AuditSource | { kind: 'file'; path: string }

export type BlurMode = 'person' | 'face'

export interface AuditOptions {
  /** Background blur strength 0..1 (maps to a Gaussian sigma relative to image size). */
  blurStrength: number
  blurMode: BlurMode
  /** Face outline area / circular crop area needed to pass. */
  minFaceAreaRatio: number
  /** MAR at or above which parted lips count as showing teeth (see teethVisible in src/core/audit/checks.ts). */
  marThreshold: number
}

export const DEFAULT_AUDIT_OPTIONS: AuditOptions = {
  blurStrength: 0.5,
  blurMode: 'person',
  minFaceAreaRatio: 0.25,
  marThreshold: 0.08
}

export const BLUR_MODES: readonly BlurMode[] = ['person', 'face']

export interface OptionRange {
  min: number
  max: number
  /** How an error message names the option. */
  label: string
}

export type NumericAuditOption = { [K in keyof AuditOptions]: AuditOptions[K] extends number ? K : never }[keyof AuditOptions]

/**
 * What each numeric audit option may be. The audit service (resolveAuditOptions), the IPC
 * validator and the settings schema all read this table.
 */
export const AUDIT_OPTION_RANGES: Readonly<Record<NumericAuditOption, OptionRange>> = {
  blurStrength: { min: 0, max: 1, label: 'Blur strength' },
  minFaceAreaRatio: { min: 0.01, max: 1, label: 'The face-size threshold' },
  marThreshold: { min: 0.01, max: 1, label: 'The mouth-opening threshold' }
}

/** LinkedIn's recommended minimum profile photo size. */
export const RECOMMENDED_PHOTO_SIZE = 400

/** Side of a "fix my photo" square unless asked otherwise, and the range it may be asked in. */
export const FIX_DEFAULT_SIZE = 800
export const FIX_MIN_SIZE = RECOMMENDED_PHOTO_SIZE
export const FIX_MAX_SIZE = 4096

/**
 * Every check decides its own pass/fail (in src/core/audit/checks.ts) and carries advice; the
 * app, the CLI and the summary only display them.
 */
export interface CheckVerdict {
  /** True when this check needs no change to the photo. */
  pass: boolean
  advice: string
}

export interface FaceSizeCheck extends CheckVerdict {
  faceAreaRatio: number
  faceLargeEnough: boolean
  /** Every face-outline point lies inside the circular crop. */
  faceInsideCircle: boolean
  /** min(width, height) >= RECOMMENDED_PHOTO_SIZE */
  resolutionOk: boolean
}

export interface SentimentCheck extends CheckVerdict {
  emotion: EmotionLabel
  scores: EmotionScores
  sentiment: Sentiment
  smile: number
  smiling: boolean
}

export interface TeethCheck extends CheckVerdict {
  teethVisible: boolean
  mar: number
}

export interface BlurCheck extends CheckVerdict {
  mode: BlurMode
  strength: number
}

/** The extra profile-photo checks (src/core/audit/photo-quality.ts), each with its own pass and advice. */
export interface EyesOpenCheck {
  pass: boolean
  advice: string
  /** Eye aspect ratio, mean of both eyes. */
  ear: number
}

export interface HeadTiltCheck {
  pass: boolean
  advice: string
  /** Roll of the eye line in degrees (0 = level). */
  rollDegrees: number
}

export interface LightingCheck {
  pass: boolean
  advice: string
  /** Mean face luma 0..255. */
  exposure: number
  /** Face luma standard deviation. */
  contrast: number
  /** Left/right brightness difference over the mean. */
  sideLight: number
}

export interface SharpnessCheck {
  pass: boolean
  advice: string
  /** Laplacian variance of the face at a fixed face width. */
  sharpness: number
}

export interface PositionCheck {
  pass: boolean
  advice: string
  /** Face centre's distance from the circle centre, in radii. */
  offCentre: number
  /** Room between the circle top and the face outline top, in radii (< 0: cut off). */
  headRoom: number
}

export interface PhotoQualityChecks {
  eyesOpen: EyesOpenCheck
  headTilt: HeadTiltCheck
  lighting: LightingCheck
  sharpness: SharpnessCheck
  position: PositionCheck
}

/** An encoded image ready to show or save. */
export interface EncodedImage {
  mimeType: 'image/jpeg' | 'image/png'
  width: number
  height: number
  data: Uint8Array
}

/** "Fix my photo": the square re-crop of an audited photo and its own face-size check. */
export interface FixReport {
  image: EncodedImage
  /** The square crop in the original photo's pixels. */
  crop: { x: number; y: number; side: number }
  /** The crop had fewer pixels than the written square. */
  upscaled: boolean
  /** What was done differently from what was asked (smaller size, upscaling, full-height crop). */
  notes: string[]
  /** Face-size check of a fresh detection on the fixed photo's pixels. */
  faceSize: FaceSizeCheck
}

export interface PhotoReport {
  /** Identifies this report for follow-up calls (re-blur, save). */
  id: string
  /** File name or URL the photo came from (never a signed LinkedIn URL). */
  source: string
  width: number
  height: number
  faceCount: number
  /** The audited (largest) face; absent when no face was found. */
  face?: FaceResult
  /** Face outline polygon (jaw + forehead estimate) in pixels. */
  faceOutline?: Point[]
  checks?: {
    blur: BlurCheck
    faceSize: FaceSizeCheck
    sentiment: SentimentCheck
    teeth: TeethCheck
  } & PhotoQualityChecks
  /** Plain-language summary when the photo could not be audited (e.g. no face). */
  verdict: string
  timings: Record<string, number>
}

export type AuditStep = 'fetch' | 'sign-in' | 'download' | 'decode' | 'detect' | 'checks' | 'render' | 'done'

export interface AuditProgress {
  step: AuditStep
  /** 0..1 overall progress. */
  fraction: number
  message: string
}
