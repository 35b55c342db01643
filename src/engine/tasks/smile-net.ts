/**
 * Smile net: our FER-2013 emotion net fine-tuned to one question, smiling or not, on the
 * stock photos of ../shared/data/train/smile (npm run train -- smile). Same crop as the
 * expression nets (expressionRoiFromLandmarks), 48x48 grey, (luma - 128) / 64; the output is
 * [N,2] softmax (not smiling, smiling). Its probability is one of the smile head's inputs.
 */
import type { RgbaImage } from '../../shared/vision'
import type { Roi } from '../ops/image'
import { CropModel, type CropModelSpec } from './crop-model'

export const SMILE_NET_FILE = 'trained/smile-net48.onnx'
export const SMILE_NET_SIZE = 48

export const SMILE_NET_SPEC: CropModelSpec = {
  file: SMILE_NET_FILE,
  inputName: 'image',
  outputName: 'probabilities',
  size: SMILE_NET_SIZE,
  norm: { mean: 128, scale: 1 / 64, grayscale: true }
}

/** Mean "smiling" probability over the views in a [views, 2] output. */
export function smilingProbability(output: ArrayLike<number>): number {
  if (output.length === 0 || output.length % 2 !== 0) throw new Error(`smile net returned ${output.length} values`)
  let sum = 0
  for (let i = 1; i < output.length; i += 2) sum += output[i]
  return sum / (output.length / 2)
}

export class SmileNet {
  private constructor(private readonly model: CropModel) {}

  static async create(modelDir: string): Promise<SmileNet> {
    return new SmileNet(await CropModel.open(modelDir, SMILE_NET_SPEC))
  }

  /** Probability 0..1 that the face in `roi` smiles; `mirror` averages in the mirrored crop. */
  async smiling(image: RgbaImage, roi: Roi, mirror: boolean): Promise<number> {
    return smilingProbability(await this.model.run(image, roi, mirror))
  }

  async close(): Promise<void> {
    await this.model.close()
  }
}
