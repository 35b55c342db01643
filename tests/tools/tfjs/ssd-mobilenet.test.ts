/**
 * The converted SSD MobileNet v1 face detector must match face-api itself (TF.js, WASM
 * backend, local files).
 * - Same 512x512 input tensor: scores and decoded boxes (our graph's box_encodings decoded
 *   against its anchors output, in fractions of the input) within 1e-4 absolute
 *   (= 0.05 px at 512). Measured: ~2e-7 scores, ~2e-6 boxes.
 * - Same input tensor, after NMS: the same faces, boxes within 1e-4, scores within 1e-4.
 * - Whole demo photos (face-api pads and resizes with TF.js, SsdFaceDetector samples the same
 *   points with cropToTensor): the same faces at face-api's default minConfidence 0.5, scores
 *   within 1e-3 (measured ~1e-5), box edges within the deliberate sampling offset
 *   (side / 512 - 1) / 2 px (face-api's mapping ignores it, ours doesn't) + 1 px (measured
 *   <= offset + 0.4 px).
 */
import { FACE_API_MODEL_DIR, loadFaceApiWasm } from './face-api-wasm'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cropToTensor } from '../../../src/engine/ops/image'
import type { ScoredBox } from '../../../src/engine/ops/nms'
import {
  faceApiInputRoi,
  clipToUnitSquare,
  decodeSsdBoxes,
  greedyNms,
  SSD_INPUT_SIZE as TASK_INPUT_SIZE,
  SSD_IOU_THRESHOLD,
  SsdFaceDetector
} from '../../../src/engine/tasks/ssd-face-detector'
import { readWeightsManifestFile } from '../../../tools/convert/tfjs/weights'
import { foldBatchNorm, SSD_ANCHOR_COUNT, SSD_INPUT_SIZE, SSD_MODEL_FILE, ssdMobilenetConverter } from '../../../tools/convert/tfjs/ssd-mobilenet'
import { loadRgba, SAMPLE_IMAGES } from '../tflite/sample-images'

const RAW_TOLERANCE = 1e-4
const PHOTO_SCORE_TOLERANCE = 1e-3
const PHOTO_EDGE_SLACK_PX = 1
const SIZE = SSD_INPUT_SIZE
const require = createRequire(import.meta.url)
const packageDir = dirname(require.resolve('@vladmandic/face-api/package.json'))

interface TfTensor {
  dataSync(): Float32Array
  dispose(): void
}
interface FaceApiDetection {
  score: number
  box: { x: number; y: number; width: number; height: number }
}
interface FaceApiModule {
  tf: {
    env(): { set(flag: string, value: boolean): void }
    setWasmPaths(prefix: string): void
    setBackend(name: string): Promise<boolean>
    ready(): Promise<void>
    getBackend(): string
    tensor4d(data: Float32Array, shape: number[]): TfTensor
    tensor3d(data: Float32Array, shape: number[]): TfTensor
  }
  toNetInput(input: unknown): Promise<unknown>
  nets: {
    ssdMobilenetv1: {
      loadFromDisk(dir: string): Promise<void>
      forwardInput(input: unknown): { boxes: TfTensor[]; scores: TfTensor[] }
      locateFaces(input: unknown, options: unknown): Promise<FaceApiDetection[]>
    }
  }
  detectAllFaces(input: unknown, options: unknown): Promise<FaceApiDetection[]>
  SsdMobilenetv1Options: new (options?: { minConfidence?: number; maxResults?: number }) => unknown
}

let outDir = ''
let faceapi: FaceApiModule

/** A demo photo as face-api would feed it: padded bottom/right to a square, resampled to 512x512, RGB 0..255. */
async function photoInput(path: string): Promise<Float32Array> {
  const image = await loadRgba(path)
  return cropToTensor(image, faceApiInputRoi(image.width, image.height, SIZE), SIZE, SIZE, { mean: 0, scale: 1 })
}

/** Deterministic pseudo-random pixels (xorshift), so failures reproduce. */
function randomInput(seed: number): Float32Array {
  let state = seed >>> 0 || 1
  const out = new Float32Array(SIZE * SIZE * 3)
  for (let i = 0; i < out.length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    out[i] = ((state >>> 0) / 2 ** 32) * 255
  }
  return out
}

interface OnnxOutputs {
  encodings: Float32Array
  scores: Float32Array
  anchors: Float32Array
  dims: Record<string, readonly number[]>
}

async function runOnnx(input: Float32Array): Promise<OnnxOutputs> {
  const session = await ort.InferenceSession.create(join(outDir, SSD_MODEL_FILE))
  try {
    expect(session.inputNames).toEqual(['image'])
    const r = await session.run({ image: new ort.Tensor('float32', input, [1, SIZE, SIZE, 3]) })
    return {
      encodings: r.box_encodings.data as Float32Array,
      scores: r.scores.data as Float32Array,
      anchors: r.anchors.data as Float32Array,
      dims: { box_encodings: r.box_encodings.dims, scores: r.scores.dims, anchors: r.anchors.dims }
    }
  } finally {
    await session.release()
  }
}

/** face-api's forward pass on a 512x512 tensor: boxes [ymin, xmin, ymax, xmax] and scores per anchor. */
async function faceApiRaw(input: Float32Array): Promise<{ boxes: Float32Array; scores: Float32Array }> {
  const tensor = faceapi.tf.tensor4d(input, [1, SIZE, SIZE, 3])
  const { boxes, scores } = faceapi.nets.ssdMobilenetv1.forwardInput(await faceapi.toNetInput(tensor))
  const result = { boxes: boxes[0].dataSync().slice(), scores: scores[0].dataSync().slice() }
  for (const t of [tensor, ...boxes, ...scores]) t.dispose()
  return result
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]))
  return max
}

/** Our decoded candidates back in face-api's [ymin, xmin, ymax, xmax] layout. */
function asCorners(boxes: readonly ScoredBox[]): Float32Array {
  return Float32Array.from(boxes.flatMap(({ box }) => [box.y, box.x, box.y + box.height, box.x + box.width]))
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'smilecam-ssd-'))
  await ssdMobilenetConverter.convert(outDir)
  faceapi = await loadFaceApiWasm<FaceApiModule>()
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(FACE_API_MODEL_DIR)
}, 60_000)

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

describe('foldBatchNorm', () => {
  it('gives the affine map of (x - mean) / sqrt(var + eps) * gamma + beta', () => {
    const { scale, shift } = foldBatchNorm(Float32Array.of(2, 1), Float32Array.of(0.5, -1), Float32Array.of(3, 0), Float32Array.of(4, 0.25), 0)
    for (const x of [-2, 0, 7]) {
      expect(x * scale[0] + shift[0]).toBeCloseTo(((x - 3) / 2) * 2 + 0.5, 6)
      expect(x * scale[1] + shift[1]).toBeCloseTo((x / 0.5) * 1 - 1, 6)
    }
  })
})

describe('ssdMobilenetConverter', () => {
  it('reports the model with provenance and the detector reads the same input size', async () => {
    const records = await ssdMobilenetConverter.convert(outDir)
    expect(records.map((r) => r.file)).toEqual(['face_detection_ssd.onnx'])
    expect(records[0]).toMatchObject({ sourcePackage: '@vladmandic/face-api', license: 'MIT' })
    expect(records[0].sourceVersion).toMatch(/^\d+\.\d+\.\d+/)
    expect(TASK_INPUT_SIZE).toBe(SSD_INPUT_SIZE)
  })

  it('outputs face-api anchors unchanged', async () => {
    const weights = await readWeightsManifestFile(join(packageDir, 'model', 'ssd_mobilenetv1_model-weights_manifest.json'))
    const { anchors, dims } = await runOnnx(randomInput(3))
    expect(dims).toEqual({ box_encodings: [1, SSD_ANCHOR_COUNT, 4], scores: [1, SSD_ANCHOR_COUNT], anchors: [SSD_ANCHOR_COUNT, 4] })
    expect(Array.from(anchors)).toEqual(Array.from(weights.get('Output/extra_dim')!.data))
  })

  const INPUTS: [string, () => Promise<Float32Array>][] = [
    ['sample1.jpg', () => photoInput(SAMPLE_IMAGES[0])],
    ['sample4.jpg', () => photoInput(SAMPLE_IMAGES[3])],
    ['random pixels 0..255', async () => randomInput(7)]
  ]

  it.each(INPUTS)('raw scores and decoded boxes match face-api on %s', async (_label, makeInput) => {
    expect(faceapi.tf.getBackend()).toBe('wasm')
    const input = await makeInput()
    const onnx = await runOnnx(input)
    const reference = await faceApiRaw(input)
    expect(maxAbsDiff(onnx.scores, reference.scores)).toBeLessThan(RAW_TOLERANCE)
    const decoded = decodeSsdBoxes(onnx.encodings, onnx.scores, onnx.anchors, 0)
    expect(decoded).toHaveLength(SSD_ANCHOR_COUNT)
    expect(maxAbsDiff(asCorners(decoded), reference.boxes)).toBeLessThan(RAW_TOLERANCE)
  })

  it.each(SAMPLE_IMAGES.map((p) => [p.split('/').pop()!, p]))('NMS keeps the faces face-api keeps on the same tensor of %s', async (_label, path) => {
    const input = await photoInput(path)
    const onnx = await runOnnx(input)
    const ours = greedyNms(decodeSsdBoxes(onnx.encodings, onnx.scores, onnx.anchors, 0.5), SSD_IOU_THRESHOLD, 100)
    const tensor = faceapi.tf.tensor4d(input, [1, SIZE, SIZE, 3])
    const reference = await faceapi.nets.ssdMobilenetv1.locateFaces(tensor, new faceapi.SsdMobilenetv1Options())
    tensor.dispose()
    expect(ours.length).toBeGreaterThanOrEqual(3)
    expect(ours).toHaveLength(reference.length)
    ours.forEach((face, i) => {
      // locateFaces on a square tensor gives boxes in input pixels.
      const box = clipToUnitSquare(face.box)
      const ref = reference[i].box
      expect(Math.abs(face.score - reference[i].score)).toBeLessThan(RAW_TOLERANCE)
      expect(maxAbsDiff([box.x, box.y, box.width, box.height], [ref.x / SIZE, ref.y / SIZE, ref.width / SIZE, ref.height / SIZE])).toBeLessThan(RAW_TOLERANCE)
    })
  })
})

describe('SsdFaceDetector vs face-api detectAllFaces on whole photos', () => {
  it.each(SAMPLE_IMAGES.map((p) => [p.split('/').pop()!, p]))('%s', async (_label, path) => {
    const image = await loadRgba(path)
    const rgb = new Float32Array(image.width * image.height * 3)
    for (let i = 0, j = 0; i < image.data.length; i += 4) {
      rgb[j++] = image.data[i]
      rgb[j++] = image.data[i + 1]
      rgb[j++] = image.data[i + 2]
    }
    const tensor = faceapi.tf.tensor3d(rgb, [image.height, image.width, 3])
    const reference = await faceapi.detectAllFaces(tensor, new faceapi.SsdMobilenetv1Options())
    tensor.dispose()
    const detector = await SsdFaceDetector.create(outDir)
    try {
      const ours = await detector.detect(image, 0.5, 100)
      const samplingOffset = (Math.max(image.width, image.height) / SIZE - 1) / 2
      expect(ours).toHaveLength(reference.length)
      for (const ref of reference) {
        const edgeError = (o: (typeof ours)[number]): number =>
          Math.max(
            Math.abs(o.box.x - ref.box.x),
            Math.abs(o.box.y - ref.box.y),
            Math.abs(o.box.x + o.box.width - ref.box.x - ref.box.width),
            Math.abs(o.box.y + o.box.height - ref.box.y - ref.box.height)
          )
        const twin = [...ours].sort((a, b) => edgeError(a) - edgeError(b))[0]
        expect(edgeError(twin)).toBeLessThan(samplingOffset + PHOTO_EDGE_SLACK_PX)
        expect(Math.abs(twin.score - ref.score)).toBeLessThan(PHOTO_SCORE_TOLERANCE)
      }
    } finally {
      await detector.close()
    }
  })
})
