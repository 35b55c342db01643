/**
 * An ONNX model that takes one square (possibly rotated) face crop as NHWC input:
 * the landmark and expression tasks differ only in crop size, colour and normalisation.
 */
import { join } from 'node:path'
import type * as ort from 'onnxruntime-node'
import { SmilecamError } from '../../../shared/errors'
import type { RgbaImage } from '../../../shared/vision'
import { cropToTensor, type Roi, type TensorNorm } from '../ops/image'
import { createSession, runFloat } from '../ops/session'

export interface CropModelSpec {
  file: string
  inputName: string
  outputName: string
  /** Side of the square crop in model pixels. */
  size: number
  /** How crop pixels become input values (grayscale: one channel). */
  norm: TensorNorm
}

export class CropModel {
  private session: ort.InferenceSession | null
  private readonly input: Float32Array

  private constructor(
    session: ort.InferenceSession,
    readonly spec: CropModelSpec
  ) {
    this.session = session
    this.input = new Float32Array(spec.size * spec.size * (spec.norm.grayscale ? 1 : 3))
  }

  static async open(modelDir: string, spec: CropModelSpec): Promise<CropModel> {
    const session = await createSession(join(modelDir, spec.file))
    if (!session.inputNames.includes(spec.inputName) || !session.outputNames.includes(spec.outputName)) {
      await session.release()
      throw new SmilecamError('MODEL_MISSING', `Model file ${spec.file} is not the expected model; run \`npm run models\`.`)
    }
    return new CropModel(session, spec)
  }

  /** Crops `roi` (un-rotated, so the face is upright), runs the model, returns its output. */
  async run(image: RgbaImage, roi: Roi): Promise<Float32Array> {
    if (!this.session) throw new SmilecamError('ENGINE_CLOSED', 'The face model was already closed.')
    const { size, norm, outputName } = this.spec
    const tensor = cropToTensor(image, checkedRoi(roi), size, size, norm, this.input)
    const [output] = await runFloat(this.session, tensor, [1, size, size, norm.grayscale ? 1 : 3], [outputName])
    return output
  }

  async close(): Promise<void> {
    const session = this.session
    this.session = null
    await session?.release()
  }
}

function checkedRoi(roi: Roi): Roi {
  if (!(roi.width > 0 && roi.height > 0) || ![roi.cx, roi.cy, roi.angle].every(Number.isFinite)) {
    throw new SmilecamError('INVALID_INPUT', 'The face region is empty or not a number.')
  }
  return roi
}
