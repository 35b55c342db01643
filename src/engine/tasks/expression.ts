/**
 * Seven-emotion classifier on one upright square face crop. Two converted models are
 * available; both return a softmax that we re-key to EmotionScores:
 *  - 'fer'      face_emotion.onnx (@vladmandic/human's mini-Xception, trained on FER-2013):
 *               64x64 grey, (luma - 127.5) / 127.5; labels in FER order.
 *  - 'face-api' face_expression.onnx (@vladmandic/face-api): 112x112 RGB 0..255 (normalised in the graph).
 *  - 'smilecam' our net trained on FER-2013 Training (npm run train -- emotion).
 * Each runs on the crop and (stills) on its mirror image, and the views are averaged. The
 * reported emotion is EMOTION_ENSEMBLE's mean; fer and face-api still run as smile-head inputs.
 */
import { SmilecamError } from '../../shared/errors'
import { EMOTION_LABELS, type EmotionLabel, type EmotionScores, type Point, type RgbaImage } from '../../shared/vision'
import type { Roi } from '../ops/image'
import { CropModel, type CropModelSpec } from './crop-model'
import { landmarkRoiFromPoints } from './face-landmarks68'

export type ExpressionModelChoice = 'fer' | 'face-api' | 'smilecam'

interface ExpressionModelSpec extends CropModelSpec {
  /** The model's output order in our label names. */
  labels: readonly EmotionLabel[]
}

export const EXPRESSION_MODELS: Record<ExpressionModelChoice, ExpressionModelSpec> = {
  fer: {
    file: 'face_emotion.onnx',
    inputName: 'image',
    outputName: 'probabilities',
    size: 64,
    norm: { mean: 127.5, scale: 1 / 127.5, grayscale: true },
    labels: ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']
  },
  'face-api': {
    file: 'face_expression.onnx',
    inputName: 'image',
    outputName: 'probabilities',
    size: 112,
    norm: { mean: 0, scale: 1 },
    // face-api's FaceExpressions order: neutral, happy, sad, angry, fearful, disgusted, surprised.
    labels: ['neutral', 'happy', 'sad', 'angry', 'fear', 'disgust', 'surprise']
  },
  smilecam: {
    // Our compact VGG-style net trained on FER-2013 Training (npm run train -- emotion).
    file: 'trained/emotion-fer48.onnx',
    inputName: 'image',
    outputName: 'probabilities',
    size: 48,
    norm: { mean: 128, scale: 1 / 64, grayscale: true },
    labels: EMOTION_LABELS
  }
}

export interface ExpressionOptions {
  /** Models to average (default both). */
  models?: readonly ExpressionModelChoice[]
  /** Also classify the mirrored crop and average it in (default true). */
  mirror?: boolean
}

export const DEFAULT_EXPRESSION_MODELS: readonly ExpressionModelChoice[] = ['fer', 'face-api']

/** The models the pipeline runs: the emotion ensemble and the smile head's inputs. */
export const EXPRESSION_MODELS_RUN: readonly ExpressionModelChoice[] = ['fer', 'face-api', 'smilecam']

/**
 * The models whose mean is the reported emotion, chosen on the validation fold of FER Training
 * (npm run train -- emotion prints the comparison): ours alone 63.8 %, ours + face-api 61.9 %.
 * fer cannot be judged there (it was trained on the whole Training split, fold included).
 */
export const EMOTION_ENSEMBLE: readonly ExpressionModelChoice[] = ['smilecam']

/** Mean of the ensemble members that ran (all that ran when none of them did). */
export function emotionEnsemble(byModel: ReadonlyMap<ExpressionModelChoice, EmotionScores>): EmotionScores {
  const members = EMOTION_ENSEMBLE.filter((m) => byModel.has(m)).map((m) => byModel.get(m) as EmotionScores)
  return averageScores(members.length > 0 ? members : [...byModel.values()])
}

export class ExpressionClassifier {
  private constructor(
    private readonly models: readonly { choice: ExpressionModelChoice; model: CropModel; labels: readonly EmotionLabel[] }[],
    private readonly mirror: boolean
  ) {}

  static async create(modelDir: string, options: ExpressionOptions = {}): Promise<ExpressionClassifier> {
    const choices = options.models ?? DEFAULT_EXPRESSION_MODELS
    if (choices.length === 0) throw new SmilecamError('INVALID_INPUT', 'No expression model was chosen.')
    const opened: { choice: ExpressionModelChoice; model: CropModel; labels: readonly EmotionLabel[] }[] = []
    try {
      for (const choice of choices) {
        const spec = EXPRESSION_MODELS[choice]
        opened.push({ choice, model: await CropModel.open(modelDir, spec), labels: spec.labels })
      }
    } catch (error) {
      await Promise.all(opened.map((m) => m.model.close()))
      throw error
    }
    return new ExpressionClassifier(opened, options.mirror ?? true)
  }

  /**
   * Emotion probabilities (sum 1) for the face inside `roi`. `mirror` overrides the
   * default per call: video skips the mirrored views to halve the cost per frame.
   */
  async classify(image: RgbaImage, roi: Roi, mirror = this.mirror): Promise<EmotionScores> {
    return averageScores([...(await this.classifyEach(image, roi, mirror)).values()])
  }

  /** Each model's probabilities (its views averaged), keyed by model. */
  async classifyEach(image: RgbaImage, roi: Roi, mirror = this.mirror): Promise<Map<ExpressionModelChoice, EmotionScores>> {
    const byModel = new Map<ExpressionModelChoice, EmotionScores>()
    for (const { choice, model, labels } of this.models) {
      const output = await model.run(image, roi, mirror)
      const views: EmotionScores[] = []
      for (let start = 0; start < output.length; start += labels.length) {
        views.push(emotionScoresFromOutput(output.subarray(start, start + labels.length), labels))
      }
      byModel.set(choice, averageScores(views))
    }
    return byModel
  }

  async close(): Promise<void> {
    await Promise.all(this.models.map((m) => m.model.close()))
  }
}

/** Mean of several score sets. */
export function averageScores(sets: readonly EmotionScores[]): EmotionScores {
  const mean = Object.fromEntries(EMOTION_LABELS.map((label) => [label, 0])) as EmotionScores
  for (const scores of sets) for (const label of EMOTION_LABELS) mean[label] += scores[label] / sets.length
  return mean
}

/**
 * FER-2013 frames a face as a square ~1.1x the side of its 68 points' box, centred ~0.1 side
 * above that box's centre (measured by running the landmark net on ../shared/data/emotion),
 * so the expression crop for a face found in a photo copies that framing, rolled upright.
 */
export const EXPRESSION_ROI_SCALE = 1.1
export const EXPRESSION_ROI_SHIFT = -0.1

/** The expression crop for a face with known 68 points. */
export function expressionRoiFromLandmarks(points: readonly Point[]): Roi {
  return landmarkRoiFromPoints(points, EXPRESSION_ROI_SCALE, EXPRESSION_ROI_SHIFT)
}

/** Re-keys a probability vector given in `order` to EmotionScores. */
export function emotionScoresFromOutput(probabilities: ArrayLike<number>, order: readonly EmotionLabel[]): EmotionScores {
  if (probabilities.length !== order.length) throw new Error(`expression model returned ${probabilities.length} values`)
  const scores = Object.fromEntries(EMOTION_LABELS.map((label) => [label, 0])) as EmotionScores
  order.forEach((label, i) => {
    scores[label] = probabilities[i]
  })
  return scores
}

