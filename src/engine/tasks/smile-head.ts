/**
 * Learned smiling decision: a logistic regression over the expression nets' log-probabilities
 * and face geometry (the 68 points in an eye-aligned frame), fitted by `npm run train -- smile`
 * on ../shared/data/train/smile and shipped as JSON (resources/models/trained/smile-head.json).
 * Everything here is pure: the weights come in as data.
 */
import { access, readFile } from 'node:fs/promises'
import { SmilecamError } from '../../shared/errors'
import { meanPoint } from '../../shared/face-geometry'
import { EMOTION_LABELS, type EmotionScores, type Point } from '../../shared/vision'

/** The fitted head, inside the model folder. */
export const SMILE_HEAD_FILE = 'trained/smile-head.json'

/** Named groups of features, in the order the head lists them. */
export type SmileFeatureBlock = 'fer' | 'face-api' | 'smilecam' | 'smilenet' | 'lm68' | 'geometry'

export const SMILE_FEATURE_BLOCK_SIZES: Record<SmileFeatureBlock, number> = {
  fer: EMOTION_LABELS.length,
  'face-api': EMOTION_LABELS.length,
  smilecam: EMOTION_LABELS.length,
  smilenet: 1,
  lm68: 136,
  geometry: 4
}

export interface SmileHead {
  blocks: SmileFeatureBlock[]
  /** Per-feature standardisation: (x - mean) / scale. */
  mean: number[]
  scale: number[]
  weights: number[]
  bias: number
  /** Probability at or above which the face is smiling (0..1, exclusive). */
  threshold: number
}

/** What the features are computed from. */
export interface SmileInputs {
  /** Emotion probabilities of each expression net that ran (mirror-averaged on stills). */
  expressions: Partial<Record<'fer' | 'face-api' | 'smilecam', EmotionScores>>
  /** The smile net's "smiling" probability (src/engine/tasks/smile-net.ts), when it ran. */
  smileNet?: number
  landmarks68: readonly Point[]
  mar: number
  ear: number
}

/** Probabilities below this floor are clipped before the log, as in training. */
const LOG_FLOOR = 1e-4

/**
 * The 68 points in a frame where the eye centres sit at (-0.5, 0) and (0.5, 0): translation,
 * roll and face size removed, so the geometry means the same on any photo.
 */
export function eyeAlignedLandmarks(points: readonly Point[]): Point[] {
  const left = meanPoint(points.slice(36, 42))
  const right = meanPoint(points.slice(42, 48))
  const dx = right[0] - left[0]
  const dy = right[1] - left[1]
  const span = Math.hypot(dx, dy)
  if (span === 0) return points.map((): Point => [0, 0])
  const cos = dx / span
  const sin = dy / span
  const cx = (left[0] + right[0]) / 2
  const cy = (left[1] + right[1]) / 2
  return points.map(([x, y]): Point => {
    const ux = x - cx
    const uy = y - cy
    return [(cos * ux + sin * uy) / span, (-sin * ux + cos * uy) / span]
  })
}

/**
 * Four scalars: MAR, EAR, mouth width (eye-centre units) and corner lift (how far the upper
 * inner lip sits below the mouth corners, over the mouth width; smiles lift the corners).
 */
export function smileGeometry(aligned: readonly Point[], mar: number, ear: number): number[] {
  const width = Math.hypot(aligned[54][0] - aligned[48][0], aligned[54][1] - aligned[48][1])
  const lift = width > 0 ? (aligned[62][1] - (aligned[48][1] + aligned[54][1]) / 2) / width : 0
  return [mar, ear, width, lift]
}

export function smileFeatures(blocks: readonly SmileFeatureBlock[], inputs: SmileInputs): number[] | null {
  const features: number[] = []
  let aligned: Point[] | null = null
  for (const block of blocks) {
    if (block === 'lm68' || block === 'geometry') {
      aligned ??= eyeAlignedLandmarks(inputs.landmarks68)
      if (block === 'lm68') for (const [x, y] of aligned) features.push(x, y)
      else features.push(...smileGeometry(aligned, inputs.mar, inputs.ear))
    } else if (block === 'smilenet') {
      if (inputs.smileNet === undefined) return null
      // Its log-odds, clipped as in training.
      features.push(Math.log(inputs.smileNet + LOG_FLOOR) - Math.log(1 - inputs.smileNet + LOG_FLOOR))
    } else {
      const scores = inputs.expressions[block]
      if (!scores) return null
      for (const label of EMOTION_LABELS) features.push(Math.log(Math.max(scores[label], 0) + LOG_FLOOR))
    }
  }
  return features
}

/**
 * Smile score 0..1: the logistic regression on standardised features, shifted so that the
 * head's cross-validated threshold lands on 0.5 (the score is at or above 0.5 exactly when the
 * head decides "smiling").
 */
export function smileScore(head: SmileHead, features: readonly number[]): number {
  if (features.length !== head.weights.length) throw new Error(`smile head expects ${head.weights.length} features, got ${features.length}`)
  let z = head.bias - Math.log(head.threshold / (1 - head.threshold))
  for (let i = 0; i < features.length; i++) z += head.weights[i] * ((features[i] - head.mean[i]) / head.scale[i])
  return 1 / (1 + Math.exp(-z))
}

/** Checks the shape of a parsed head so a wrong file fails at load time, not per face. */
export function parseSmileHead(value: unknown): SmileHead {
  const head = value as Partial<SmileHead>
  const blocks = Array.isArray(head.blocks) ? head.blocks : []
  const size = blocks.reduce((n, b) => n + (SMILE_FEATURE_BLOCK_SIZES[b as SmileFeatureBlock] ?? NaN), 0)
  const ok =
    blocks.length > 0 &&
    Number.isFinite(size) &&
    [head.mean, head.scale, head.weights].every((a) => Array.isArray(a) && a.length === size && a.every(Number.isFinite)) &&
    Number.isFinite(head.bias) &&
    typeof head.threshold === 'number' &&
    head.threshold > 0 &&
    head.threshold < 1
  if (!ok) throw new SmilecamError('MODEL_MISSING', 'The smile head file is not a valid smile head; run `npm run train -- smile`.')
  return head as SmileHead
}

export async function loadSmileHead(path: string): Promise<SmileHead> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new SmilecamError('MODEL_MISSING', `Smile head ${path} is missing.`)
  }
  return parseSmileHead(JSON.parse(text))
}

/** The head, or null when the file is absent (before `npm run train -- smile` has run): smile is then the happy score. */
export async function loadOptionalSmileHead(path: string): Promise<SmileHead | null> {
  try {
    await access(path)
  } catch {
    return null
  }
  return loadSmileHead(path)
}
