/**
 * Seven-emotion classifier on one upright square face crop. Two converted models are
 * available; both return a softmax that we re-key to EmotionScores:
 *  - 'fer'      face_emotion.onnx (@vladmandic/human's mini-Xception, trained on FER-2013):
 *               64x64 grey, (luma - 127.5) / 127.5; labels in FER order.
 *  - 'face-api' face_expression.onnx (@vladmandic/face-api): 112x112 RGB 0..255 (normalised in the graph).
 * The default is the one that measured better on ../shared/data/emotion (bench/eval-emotion.ts).
 */
import { EMOTION_LABELS, type EmotionLabel, type EmotionScores, type RgbaImage } from '../../../shared/vision'
import type { Roi } from '../ops/image'
import { CropModel, type CropModelSpec } from './crop-model'

export type ExpressionModelChoice = 'fer' | 'face-api'

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
  }
}

export const DEFAULT_EXPRESSION_MODEL: ExpressionModelChoice = 'fer'

export class ExpressionClassifier {
  private constructor(
    private readonly model: CropModel,
    private readonly labels: readonly EmotionLabel[]
  ) {}

  static async create(modelDir: string, choice: ExpressionModelChoice = DEFAULT_EXPRESSION_MODEL): Promise<ExpressionClassifier> {
    const spec = EXPRESSION_MODELS[choice]
    return new ExpressionClassifier(await CropModel.open(modelDir, spec), spec.labels)
  }

  /** Emotion probabilities (sum 1) for the face inside `roi`. */
  async classify(image: RgbaImage, roi: Roi): Promise<EmotionScores> {
    return emotionScoresFromOutput(await this.model.run(image, roi), this.labels)
  }

  async close(): Promise<void> {
    await this.model.close()
  }
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

/** The label with the highest score. */
export function topEmotion(scores: EmotionScores): EmotionLabel {
  return EMOTION_LABELS.reduce((best, label) => (scores[label] > scores[best] ? label : best), EMOTION_LABELS[0])
}
