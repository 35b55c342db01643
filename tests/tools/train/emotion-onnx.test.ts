import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCropNetOnnx, probeDifference, type TrainedEmotionNet } from '../../../tools/train/emotion-onnx'

const b64 = (values: ArrayLike<number>): string => Buffer.from(Float32Array.from(values).buffer).toString('base64')

/**
 * A hand-made net: an identity 3x3 convolution, a 2x2 max-pool (48 -> 24), and one dense layer
 * whose "happy" row (index 3) averages the 576 pooled values; every other logit is 0.
 */
function handMadeNet(probe?: TrainedEmotionNet['probe'], classes = 7, averagingRow = 3): TrainedEmotionNet {
  const kernel = new Array(9).fill(0)
  kernel[4] = 1
  const dense = new Array(classes * 576).fill(0)
  for (let i = 0; i < 576; i++) dense[averagingRow * 576 + i] = 1 / 576
  return {
    input: { size: 48, mean: 128, scale: 1 / 64 },
    layers: [
      { kind: 'conv', shape: [1, 1, 3, 3], weight: b64(kernel), bias: b64([0]) },
      { kind: 'maxpool' },
      { kind: 'dense', shape: [classes, 576], weight: b64(dense), bias: b64(new Array(classes).fill(0)) }
    ],
    probe
  }
}

describe('buildCropNetOnnx', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'emotion-onnx-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('runs the layers in order: a constant 2 image gives softmax(0,0,0,2,0,0,0)', async () => {
    const path = join(dir, 'hand.onnx')
    await writeFile(path, buildCropNetOnnx(handMadeNet(), 7, 'hand'))
    const session = await ort.InferenceSession.create(path)
    const out = await session.run({ image: new ort.Tensor('float32', new Float32Array(48 * 48).fill(2), [1, 48, 48, 1]) })
    await session.release()
    const happy = Math.exp(2) / (Math.exp(2) + 6)
    const rest = 1 / (Math.exp(2) + 6)
    expect(Array.from(out.probabilities.data as Float32Array)).toEqual([rest, rest, rest, happy, rest, rest, rest].map((v) => expect.closeTo(v, 5)))
  })

  it('builds the two-class smile net the same way: a constant 2 image gives softmax(0, 2) per view', async () => {
    const path = join(dir, 'two.onnx')
    await writeFile(path, buildCropNetOnnx(handMadeNet(undefined, 2, 1), 2, 'two'))
    const session = await ort.InferenceSession.create(path)
    const out = await session.run({ image: new ort.Tensor('float32', new Float32Array(2 * 48 * 48).fill(2), [2, 48, 48, 1]) })
    await session.release()
    const smiling = Math.exp(2) / (Math.exp(2) + 1)
    expect(out.probabilities.dims).toEqual([2, 2])
    expect(Array.from(out.probabilities.data as Float32Array)).toEqual([1 - smiling, smiling, 1 - smiling, smiling].map((v) => expect.closeTo(v, 5)))
  })

  it('checks onnxruntime against the trainer probe (raw grey input normalised as the engine does)', async () => {
    // Raw grey 192 everywhere -> (192 - 128) / 64 = 1 -> happy logit 1.
    const happy = Math.exp(1) / (Math.exp(1) + 6)
    const rest = 1 / (Math.exp(1) + 6)
    const net = handMadeNet({ input: b64(new Array(48 * 48).fill(192)), probabilities: b64([rest, rest, rest, happy, rest, rest, rest]) })
    const path = join(dir, 'probe.onnx')
    await writeFile(path, buildCropNetOnnx(net, 7, 'probe'))
    expect(await probeDifference(path, net)).toBeLessThan(1e-6)
  })
})
