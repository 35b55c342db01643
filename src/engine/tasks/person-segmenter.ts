/**
 * MediaPipe selfie segmentation around an ONNX session: the whole image is
 * stretched into the model input, and the mask comes back at model resolution
 * covering the whole image (the caller rescales it).
 */
import { join } from 'node:path'
import type * as ort from 'onnxruntime-node'
import { SmilecamError } from '../../shared/errors'
import type { PersonMask, RgbaImage } from '../../shared/vision'
import { cropToTensor, fullImageRoi } from '../ops/image'
import { createSession, runFloat, type SessionOptions } from '../ops/session'

export type SegmenterVariant = 'general' | 'landscape'

export const SEGMENTER_CONFIGS: Record<SegmenterVariant, { file: string; width: number; height: number }> = {
  general: { file: 'selfie_segmentation.onnx', width: 256, height: 256 },
  landscape: { file: 'selfie_segmentation_landscape.onnx', width: 256, height: 144 }
}

/** MediaPipe's selfie_segmentation graph feeds RGB in [0, 1]. */
const SEGMENTER_NORM = { mean: 0, scale: 1 / 255 } as const

/** Person probabilities 0..1 -> 0..255 bytes (rounded to nearest, ties to even; clamped). */
export function probabilitiesToMask(probabilities: Float32Array, width: number, height: number): PersonMask {
  // A clamped array rounds and clamps in the store itself: several times cheaper than Math.round/min/max.
  const clamped = new Uint8ClampedArray(width * height)
  for (let i = 0; i < clamped.length; i++) clamped[i] = probabilities[i] * 255
  return { width, height, data: new Uint8Array(clamped.buffer) }
}

export class PersonSegmenter {
  private session: ort.InferenceSession | null
  private readonly input: Float32Array

  private constructor(
    session: ort.InferenceSession,
    private readonly config: { width: number; height: number }
  ) {
    this.session = session
    this.input = new Float32Array(config.width * config.height * 3)
  }

  static async create(modelDir: string, variant: SegmenterVariant = 'general', sessionOptions: SessionOptions = {}): Promise<PersonSegmenter> {
    const config = SEGMENTER_CONFIGS[variant]
    return new PersonSegmenter(await createSession(join(modelDir, config.file), sessionOptions), config)
  }

  /** Mask at model resolution, row 0 = top of the image, 255 = person. */
  async segment(image: RgbaImage): Promise<PersonMask> {
    if (!this.session) throw new SmilecamError('ENGINE_CLOSED', 'The person segmenter was already closed.')
    if (!(image.width > 0 && image.height > 0)) throw new SmilecamError('INVALID_INPUT', 'The image is empty.')
    const { width, height } = this.config
    cropToTensor(image, fullImageRoi(image.width, image.height), width, height, SEGMENTER_NORM, this.input)
    const [probabilities] = await runFloat(this.session, this.input, [1, height, width, 3], ['mask'])
    return probabilitiesToMask(probabilities, width, height)
  }

  async close(): Promise<void> {
    const session = this.session
    this.session = null
    await session?.release()
  }
}
