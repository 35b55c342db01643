/**
 * The TF.js graph-model converter, checked on @vladmandic/human's emotion model against
 * TF.js itself (WASM backend, local files). Tolerance: max abs error 1e-4 on the softmax
 * probabilities (measured: ~1e-7 or less).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import * as ort from 'onnxruntime-node'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { convertTfGraphModel, type TfGraphModelJson } from '../../../tools/convert/tfjs/graph'
import { FACE_EMOTION_FILE, humanEmotionConverter } from '../../../tools/convert/tfjs/human'
import { packageDir } from '../../../tools/convert/tfjs/package-dir'

const TOLERANCE = 1e-4
const SIZE = 64
const humanDir = packageDir('@vladmandic/human')
const faceApiDemo = join(packageDir('@vladmandic/face-api'), 'demo')

let outDir = ''
let reference: tf.GraphModel
let session: ort.InferenceSession

/** A grey 64x64 crop of a face-api sample photo, scaled to -1..1 as the model expects. */
async function greyInput(file: string, region: { left: number; top: number; width: number; height: number }): Promise<Float32Array> {
  const data = await sharp(join(faceApiDemo, file)).extract(region).resize(SIZE, SIZE).greyscale().raw().toBuffer()
  return Float32Array.from(data, (v) => (v / 255 - 0.5) * 2)
}

function randomInput(seed: number): Float32Array {
  let state = seed
  return Float32Array.from({ length: SIZE * SIZE }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return (state / 2 ** 31) * 2 - 1
  })
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'smilecam-graph-'))
  await humanEmotionConverter.convert(outDir)
  session = await ort.InferenceSession.create(join(outDir, FACE_EMOTION_FILE))
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
  setWasmPaths(`${join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist')}/`)
  await tf.setBackend('wasm')
  await tf.ready()
  const json = JSON.parse(await readFile(join(humanDir, 'models/emotion.json'), 'utf8')) as TfGraphModelJson
  const bin = await readFile(join(humanDir, 'models/emotion.bin'))
  reference = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights as tf.io.WeightsManifestEntry[],
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length)
    })
  )
})

afterAll(async () => {
  await session?.release()
  reference?.dispose()
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

const INPUTS: [string, () => Promise<Float32Array>][] = [
  ['sample2 face', () => greyInput('sample2.jpg', { left: 860, top: 240, width: 250, height: 250 })],
  ['sample1 crop', () => greyInput('sample1.jpg', { left: 600, top: 200, width: 400, height: 400 })],
  ['random -1..1', async () => randomInput(12345)]
]

describe('convertTfGraphModel on the human emotion model', () => {
  it('exposes image [batch,64,64,1] -> probabilities', () => {
    expect(session.inputNames).toEqual(['image'])
    expect(session.outputNames).toEqual(['probabilities'])
  })

  it.each(INPUTS)('matches TF.js on %s', async (_label, makeInput) => {
    expect(tf.getBackend()).toBe('wasm')
    const input = await makeInput()
    const result = await session.run({ image: new ort.Tensor('float32', input, [1, SIZE, SIZE, 1]) })
    const onnx = result.probabilities.data as Float32Array
    expect(result.probabilities.dims).toEqual([1, 7])
    const x = tf.tensor4d(input, [1, SIZE, SIZE, 1])
    const y = reference.execute(x) as tf.Tensor
    const expected = y.dataSync()
    x.dispose()
    y.dispose()
    let max = 0
    for (let i = 0; i < 7; i++) max = Math.max(max, Math.abs(onnx[i] - expected[i]))
    expect(max).toBeLessThan(TOLERANCE)
    expect(onnx.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
  })

  it('runs a batch of two', async () => {
    const a = await INPUTS[0][1]()
    const b = await INPUTS[2][1]()
    const both = new Float32Array(a.length * 2)
    both.set(a)
    both.set(b, a.length)
    const result = await session.run({ image: new ort.Tensor('float32', both, [2, SIZE, SIZE, 1]) })
    expect(result.probabilities.dims).toEqual([2, 7])
  })
})

describe('convertTfGraphModel limits', () => {
  const base = (op: string): TfGraphModelJson => ({
    format: 'graph-model',
    modelTopology: {
      node: [
        { name: 'x', op: 'Placeholder', attr: { shape: { shape: { dim: [{ size: 1 }, { size: 4 }, { size: 4 }, { size: 1 }] } } } },
        { name: 'y', op, input: ['x'] }
      ]
    },
    weightsManifest: []
  })

  it('names an unsupported op', () => {
    expect(() => convertTfGraphModel(base('Sigmoid'), new Map(), { name: 't', inputName: 'image', outputName: 'out' })).toThrow(/Sigmoid/)
  })

  it('refuses a model without a single image input', () => {
    const model = base('Relu')
    model.modelTopology.node[0].attr = { shape: { shape: { dim: [{ size: 1 }, { size: 4 }] } } }
    expect(() => convertTfGraphModel(model, new Map(), { name: 't', inputName: 'image', outputName: 'out' })).toThrow(/NHWC/)
  })
})
