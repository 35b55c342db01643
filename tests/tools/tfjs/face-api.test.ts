/**
 * The converted face-api nets must give the same outputs as face-api itself running on
 * TF.js (WASM backend, all files local) for the same input tensor.
 * Tolerance: max abs error 1e-4 (landmarks are fractions of the crop, so 1e-4 = 0.01 px
 * at 112 px; probabilities are 0..1). Measured: ~2e-7 for both.
 */
import { FACE_API_MODEL_DIR, loadFaceApiWasm } from './face-api-wasm'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import * as ort from 'onnxruntime-node'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { faceApiConverter, FACE_API_INPUT_SIZE } from '../../../tools/convert/tfjs/face-api'

const TOLERANCE = 1e-4
const SIZE = FACE_API_INPUT_SIZE
const require = createRequire(import.meta.url)
const packageDir = dirname(require.resolve('@vladmandic/face-api/package.json'))

interface TfTensor {
  dataSync(): Float32Array
  dispose(): void
}
interface FaceApiNet {
  loadFromDisk(dir: string): Promise<void>
  forward(input: unknown): Promise<TfTensor>
}
interface FaceApiModule {
  tf: {
    env(): { set(flag: string, value: boolean): void }
    setWasmPaths(prefix: string): void
    setBackend(name: string): Promise<boolean>
    ready(): Promise<void>
    getBackend(): string
    tensor4d(data: Float32Array, shape: number[]): TfTensor
  }
  nets: { faceLandmark68Net: FaceApiNet; faceExpressionNet: FaceApiNet }
}

let outDir = ''
let faceapi: FaceApiModule

/** A sample photo shipped by face-api: centre square crop, resized to 112x112, RGB 0..255. */
async function sampleInput(file: string): Promise<Float32Array> {
  const { data } = await sharp(join(packageDir, 'demo', file))
    .resize(SIZE, SIZE, { fit: 'cover' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  return Float32Array.from(data)
}

/** Deterministic pseudo-random pixels (xorshift), so failures reproduce. */
function randomInput(seed: number, range: [number, number]): Float32Array {
  let state = seed >>> 0 || 1
  const out = new Float32Array(SIZE * SIZE * 3)
  for (let i = 0; i < out.length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    out[i] = range[0] + ((state >>> 0) / 2 ** 32) * (range[1] - range[0])
  }
  return out
}

async function runOnnx(file: string, input: Float32Array): Promise<{ name: string; data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(join(outDir, file))
  try {
    const result = await session.run({ image: new ort.Tensor('float32', input, [1, SIZE, SIZE, 3]) })
    const name = session.outputNames[0]
    return { name, data: result[name].data as Float32Array, dims: result[name].dims }
  } finally {
    await session.release()
  }
}

async function runFaceApi(net: FaceApiNet, input: Float32Array): Promise<Float32Array> {
  const tensor = faceapi.tf.tensor4d(input, [1, SIZE, SIZE, 3])
  const output = await net.forward(tensor)
  const values = output.dataSync().slice()
  tensor.dispose()
  output.dispose()
  return values
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length)
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]))
  return max
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'smilecam-face-api-'))
  await faceApiConverter.convert(outDir)
  faceapi = await loadFaceApiWasm<FaceApiModule>()
  await faceapi.nets.faceLandmark68Net.loadFromDisk(FACE_API_MODEL_DIR)
  await faceapi.nets.faceExpressionNet.loadFromDisk(FACE_API_MODEL_DIR)
})

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

const INPUTS: [string, () => Promise<Float32Array>][] = [
  ['sample1.jpg', () => sampleInput('sample1.jpg')],
  ['sample2.jpg', () => sampleInput('sample2.jpg')],
  ['sample4.jpg', () => sampleInput('sample4.jpg')],
  ['random pixels 0..255', async () => randomInput(7, [0, 255])],
  ['random values -300..600', async () => randomInput(99, [-300, 600])]
]

describe('faceApiConverter', () => {
  it('reports both models with provenance', async () => {
    const records = await faceApiConverter.convert(outDir)
    expect(records.map((r) => r.file)).toEqual(['face_landmark_68.onnx', 'face_expression.onnx'])
    for (const r of records) {
      expect(r.sourcePackage).toBe('@vladmandic/face-api')
      expect(r.license).toBe('MIT')
      expect(r.sourceVersion).toMatch(/^\d+\.\d+\.\d+/)
    }
  })

  it.each(INPUTS)('landmark net matches face-api on %s', async (_label, makeInput) => {
    expect(faceapi.tf.getBackend()).toBe('wasm')
    const input = await makeInput()
    const onnx = await runOnnx('face_landmark_68.onnx', input)
    expect(onnx.name).toBe('landmarks')
    expect(onnx.dims).toEqual([1, 136])
    const reference = await runFaceApi(faceapi.nets.faceLandmark68Net, input)
    expect(maxAbsDiff(onnx.data, reference)).toBeLessThan(TOLERANCE)
  })

  it.each(INPUTS)('expression net matches face-api on %s', async (_label, makeInput) => {
    const input = await makeInput()
    const onnx = await runOnnx('face_expression.onnx', input)
    expect(onnx.name).toBe('probabilities')
    expect(onnx.dims).toEqual([1, 7])
    expect(onnx.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    const reference = await runFaceApi(faceapi.nets.faceExpressionNet, input)
    expect(maxAbsDiff(onnx.data, reference)).toBeLessThan(TOLERANCE)
  })

  it('gives different landmarks for different faces (the comparison is not vacuous)', async () => {
    const a = await runOnnx('face_landmark_68.onnx', await sampleInput('sample1.jpg'))
    const b = await runOnnx('face_landmark_68.onnx', await sampleInput('sample4.jpg'))
    expect(maxAbsDiff(a.data, b.data)).toBeGreaterThan(0.01)
  })
})
