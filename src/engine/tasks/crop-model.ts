/**
 * An ONNX model that takes one square (possibly rotated) face crop as NHWC input:
 * the landmark and expression tasks differ only in crop size, colour and normalisation.
 */
import { join } from 'node:path'
import type * as ort from 'onnxruntime-node'
import { SmilecamError } from '../../shared/errors'
import type { RgbaImage } from '../../shared/vision'
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
  /** Room for two views (the crop and its mirror image). */
  private readonly input: Float32Array
  private readonly viewLength: number

  private constructor(
    session: ort.InferenceSession,
    readonly spec: CropModelSpec
  ) {
    this.session = session
    this.viewLength = spec.size * spec.size * (spec.norm.grayscale ? 1 : 3)
    this.input = new Float32Array(this.viewLength * 2)
  }

  static async open(modelDir: string, spec: CropModelSpec): Promise<CropModel> {
    const session = await createSession(join(modelDir, spec.file))
    if (!session.inputNames.includes(spec.inputName) || !session.outputNames.includes(spec.outputName)) {
      await session.release()
      throw new SmilecamError('MODEL_MISSING', `Model file ${spec.file} is not the expected model; run \`npm run models\`.`)
    }
    return new CropModel(session, spec)
  }

  /**
   * Crops `roi` (un-rotated, so the face is upright), runs the model, returns its output.
   * With `withMirror`, the left-right mirrored crop runs in the same batch and the
   * output holds both results, crop first.
   */
  async run(image: RgbaImage, roi: Roi, withMirror = false): Promise<Float32Array> {
    if (!this.session) throw new SmilecamError('ENGINE_CLOSED', 'The face model was already closed.')
    const { size, norm, outputName } = this.spec
    const channels = norm.grayscale ? 1 : 3
    const crop = this.input.subarray(0, this.viewLength)
    cropToTensor(image, checkedRoi(roi), size, size, norm, crop)
    if (withMirror) mirrorNhwc(crop, size, size, channels, this.input.subarray(this.viewLength))
    const views = withMirror ? 2 : 1
    const [output] = await runFloat(this.session, this.input.subarray(0, this.viewLength * views), [views, size, size, channels], [outputName])
    return output
  }

  async close(): Promise<void> {
    const session = this.session
    this.session = null
    await session?.release()
  }
}

/** Writes the left-right mirror image of one HWC tensor into `out`. */
export function mirrorNhwc(tensor: Float32Array, width: number, height: number, channels: number, out: Float32Array): Float32Array {
  for (let y = 0; y < height; y++) {
    const row = y * width * channels
    for (let x = 0; x < width; x++) {
      const from = row + (width - 1 - x) * channels
      const to = row + x * channels
      for (let c = 0; c < channels; c++) out[to + c] = tensor[from + c]
    }
  }
  return out
}

function checkedRoi(roi: Roi): Roi {
  if (!(roi.width > 0 && roi.height > 0) || ![roi.cx, roi.cy, roi.angle].every(Number.isFinite)) {
    throw new SmilecamError('INVALID_INPUT', 'The face region is empty or not a number.')
  }
  return roi
}
