/**
 * Each operator mapping of the TFLite -> ONNX converter on tiny hand-built
 * models, run by onnxruntime-node and compared with naive NHWC kernels.
 */
import * as ort from 'onnxruntime-node'
import onnxProto from 'onnx-proto'
import { describe, expect, it } from 'vitest'
import { convertTflite } from '../../../tools/convert/tflite/convert'
import { BuiltinOp, TensorType } from '../../../tools/convert/tflite/schema'
import { buildTflite, floatBytes, halfBytes, int32Bytes, type TinyModel, type TinyOperator, type TinyTensor } from './tiny-tflite'
import { conv2d, pool, resizeBilinear, seededValues, transposeConvBias, type Nhwc } from './reference-ops'

const TOLERANCE = 1e-4
const SAME = 0
const VALID = 1
// BuiltinOptions union indices from schema.fbs (the converter reads the table, not the tag).
const UNION = { Conv2D: 1, DepthwiseConv2D: 2, Pool2D: 5, Concatenation: 10, Add: 11, ResizeBilinear: 15, Reshape: 17, Mul: 21, Pad: 22, Reducer: 27 }

async function run(model: TinyModel, input: Float32Array): Promise<{ dims: readonly number[]; data: Float32Array }[]> {
  const onnx = convertTflite(buildTflite(model), { graphName: 'test' })
  const session = await ort.InferenceSession.create(onnx)
  try {
    const shape = model.tensors[model.inputs[0]].shape
    const result = await session.run({ input: new ort.Tensor('float32', input, shape) })
    return session.outputNames.map((name) => ({ dims: result[name].dims, data: result[name].data as Float32Array }))
  } finally {
    await session.release()
  }
}

/** One operator model: tensor 0 is the input, the last tensor the output. */
/** The operator types of the converted graph. */
function opTypes(model: TinyModel): string[] {
  const bytes = convertTflite(buildTflite(model), { graphName: 'test' })
  return onnxProto.onnx.ModelProto.decode(bytes).graph!.node!.map((node) => node.opType ?? '')
}

function single(tensors: TinyTensor[], op: Omit<TinyOperator, 'outputs'>): TinyModel {
  return { tensors, inputs: [0], outputs: [tensors.length - 1], operators: [{ ...op, outputs: [tensors.length - 1] }] }
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance = TOLERANCE): void {
  expect(actual.length).toBe(expected.length)
  let worst = 0
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]))
  expect(worst).toBeLessThanOrEqual(tolerance)
}

function nhwc(shape: [number, number, number, number], seed: number): Nhwc {
  return { shape, data: seededValues(shape.reduce((a, b) => a * b, 1), seed) }
}

describe('tflite -> onnx operators', () => {
  it('CONV_2D, SAME, stride 2 on an even input (asymmetric pads), fused RELU6', async () => {
    const x = nhwc([1, 6, 8, 3], 1)
    const w = { shape: [4, 3, 3, 3], data: seededValues(4 * 27, 2) }
    const bias = seededValues(4, 3)
    const expected = conv2d(x, w, bias, { padding: 'SAME', stride: [2, 2] })
    const relu6 = expected.data.map((v) => Math.min(6, Math.max(0, v)))
    const model = single(
      [{ shape: x.shape }, { shape: w.shape, data: floatBytes(w.data) }, { shape: [4], data: floatBytes(bias) }, { shape: expected.shape }],
      { builtin: BuiltinOp.CONV_2D, inputs: [0, 1, 2], options: { unionType: UNION.Conv2D, fields: [[0, 'i8', SAME], [1, 'i32', 2], [2, 'i32', 2], [3, 'i8', 3]] } }
    )
    const [out] = await run(model, x.data)
    expect(out.dims).toEqual([1, 3, 4, 4])
    expectClose(out.data, relu6)
  })

  it('CONV_2D, VALID, with dilation and fp16 weights behind DEQUANTIZE', async () => {
    const x = nhwc([1, 7, 7, 2], 4)
    const wValues = Array.from(seededValues(3 * 3 * 3 * 2, 5))
    // The reference uses the fp16-rounded weights, which is what the model holds.
    const rounded = Float32Array.from(wValues, (v) => Math.fround(halfRound(v)))
    const expected = conv2d(x, { shape: [3, 3, 3, 2], data: rounded }, new Float32Array(3), { padding: 'VALID', stride: [1, 1], dilation: [2, 2] })
    const model: TinyModel = {
      tensors: [
        { shape: x.shape },
        { shape: [3, 3, 3, 2], type: TensorType.FLOAT16, data: halfBytes(wValues) },
        { shape: [3, 3, 3, 2] },
        { shape: expected.shape }
      ],
      inputs: [0],
      outputs: [3],
      operators: [
        { builtin: BuiltinOp.DEQUANTIZE, inputs: [1], outputs: [2] },
        { builtin: BuiltinOp.CONV_2D, inputs: [0, 2, -1], outputs: [3], options: { unionType: UNION.Conv2D, fields: [[0, 'i8', VALID], [1, 'i32', 1], [2, 'i32', 1], [4, 'i32', 2], [5, 'i32', 2]] } }
      ]
    }
    const [out] = await run(model, x.data)
    expectClose(out.data, expected.data)
  })

  it('DEPTHWISE_CONV_2D with depth multiplier 2, SAME stride 2, fused RELU', async () => {
    const x = nhwc([1, 5, 6, 3], 6)
    const w = { shape: [1, 3, 3, 6], data: seededValues(54, 7) }
    const bias = seededValues(6, 8)
    const expected = conv2d(x, w, bias, { padding: 'SAME', stride: [2, 2], depthwise: true })
    const model = single(
      [{ shape: x.shape }, { shape: w.shape, data: floatBytes(w.data) }, { shape: [6], data: floatBytes(bias) }, { shape: expected.shape }],
      {
        builtin: BuiltinOp.DEPTHWISE_CONV_2D,
        inputs: [0, 1, 2],
        options: { unionType: UNION.DepthwiseConv2D, fields: [[0, 'i8', SAME], [1, 'i32', 2], [2, 'i32', 2], [3, 'i32', 2], [4, 'i8', 1]] }
      }
    )
    const [out] = await run(model, x.data)
    expectClose(out.data, expected.data.map((v) => Math.max(0, v)))
  })

  it('MAX_POOL_2D SAME (odd input) and AVERAGE_POOL_2D SAME averaging only valid pixels', async () => {
    const x = nhwc([1, 5, 5, 2], 9)
    for (const [builtin, kind] of [[BuiltinOp.MAX_POOL_2D, 'max'], [BuiltinOp.AVERAGE_POOL_2D, 'avg']] as const) {
      const expected = pool(x, kind, { padding: 'SAME', filter: [2, 2], stride: [2, 2] })
      const model = single([{ shape: x.shape }, { shape: expected.shape }], {
        builtin,
        inputs: [0],
        options: { unionType: UNION.Pool2D, fields: [[0, 'i8', SAME], [1, 'i32', 2], [2, 'i32', 2], [3, 'i32', 2], [4, 'i32', 2]] }
      })
      const [out] = await run(model, x.data)
      expect(out.dims).toEqual([1, 3, 3, 2])
      expectClose(out.data, expected.data)
    }
  })

  it('custom Convolution2DTransposeBias, SAME stride 2', async () => {
    for (const k of [2, 3]) {
      const x = nhwc([1, 4, 5, 3], 10 + k)
      const w = { shape: [2, k, k, 3], data: seededValues(2 * k * k * 3, 11) }
      const bias = Float32Array.from([0.25, -0.5])
      const expected = transposeConvBias(x, w, bias, 'SAME', [2, 2])
      const model = single(
        [{ shape: x.shape }, { shape: w.shape, data: floatBytes(w.data) }, { shape: [2], data: floatBytes(bias) }, { shape: expected.shape }],
        { builtin: BuiltinOp.CUSTOM, customCode: 'Convolution2DTransposeBias', inputs: [0, 1, 2], customOptions: int32Bytes([1, 2, 2]) }
      )
      const [out] = await run(model, x.data)
      expect(out.dims).toEqual(expected.shape)
      expectClose(out.data, expected.data)
    }
  })

  it('RESIZE_BILINEAR with half_pixel_centers, align_corners, and neither', async () => {
    const x = nhwc([1, 3, 4, 2], 12)
    for (const [alignCorners, halfPixel] of [[false, true], [true, false], [false, false]] as const) {
      const expected = resizeBilinear(x, 6, 7, alignCorners, halfPixel)
      const model = single([{ shape: x.shape }, { shape: [2], type: TensorType.INT32, data: int32Bytes([6, 7]) }, { shape: expected.shape }], {
        builtin: BuiltinOp.RESIZE_BILINEAR,
        inputs: [0, 1],
        options: { unionType: UNION.ResizeBilinear, fields: [[2, 'bool', alignCorners ? 1 : 0], [3, 'bool', halfPixel ? 1 : 0]] }
      })
      const [out] = await run(model, x.data)
      expectClose(out.data, expected.data)
    }
  })

  it('PAD on spatial and channel axes', async () => {
    const x = nhwc([1, 2, 3, 2], 13)
    const pads = [0, 0, 1, 2, 0, 1, 1, 3] // NHWC [before, after] pairs
    const model = single([{ shape: x.shape }, { shape: [4, 2], type: TensorType.INT32, data: int32Bytes(pads) }, { shape: [1, 5, 4, 6] }], {
      builtin: BuiltinOp.PAD,
      inputs: [0, 1],
      options: { unionType: UNION.Pad, fields: [] }
    })
    const [out] = await run(model, x.data)
    expect(out.dims).toEqual([1, 5, 4, 6])
    const expected = new Float32Array(5 * 4 * 6)
    for (let y = 0; y < 2; y++) for (let xx = 0; xx < 3; xx++) for (let c = 0; c < 2; c++) expected[((y + 1) * 4 + xx) * 6 + c + 1] = x.data[(y * 3 + xx) * 2 + c]
    expectClose(out.data, expected)
  })

  it('elementwise: HARD_SWISH, LOGISTIC, PRELU with per-channel alpha, MUL by a broadcast activation, ADD with fused RELU', async () => {
    const x = nhwc([1, 2, 3, 4], 14)
    const scaled = x.data.map((v) => v * 5)
    const alpha = Float32Array.from([0.1, 0.2, 0.3, 0.4])
    // t0 input, t1 hard_swish, t2 logistic, t3 alpha, t4 prelu, t5 mean over H,W (keep dims), t6 mul, t7 axes, t8 add
    const model: TinyModel = {
      tensors: [
        { shape: x.shape },
        { shape: x.shape },
        { shape: x.shape },
        { shape: [1, 1, 4], data: floatBytes(alpha) },
        { shape: x.shape },
        { shape: [1, 1, 1, 4] },
        { shape: x.shape },
        { shape: [2], type: TensorType.INT32, data: int32Bytes([1, 2]) },
        { shape: x.shape }
      ],
      inputs: [0],
      outputs: [8],
      operators: [
        { builtin: BuiltinOp.HARD_SWISH, inputs: [0], outputs: [1] },
        { builtin: BuiltinOp.LOGISTIC, inputs: [1], outputs: [2] },
        { builtin: BuiltinOp.PRELU, inputs: [0, 3], outputs: [4] },
        { builtin: BuiltinOp.MEAN, inputs: [4, 7], outputs: [5], options: { unionType: UNION.Reducer, fields: [[0, 'bool', 1]] } },
        { builtin: BuiltinOp.MUL, inputs: [2, 5], outputs: [6], options: { unionType: UNION.Mul, fields: [[0, 'i8', 0]] } },
        { builtin: BuiltinOp.ADD, inputs: [6, 4], outputs: [8], options: { unionType: UNION.Add, fields: [[0, 'i8', 1]] } }
      ]
    }
    const [out] = await run(model, scaled)
    const c = 4
    const hardSwish = scaled.map((v) => (v * Math.min(6, Math.max(0, v + 3))) / 6)
    const logistic = hardSwish.map((v) => 1 / (1 + Math.exp(-v)))
    const prelu = scaled.map((v, i) => (v >= 0 ? v : v * alpha[i % c]))
    const mean = Array.from({ length: c }, (_, ch) => prelu.filter((_, i) => i % c === ch).reduce((a, b) => a + b, 0) / 6)
    const expected = logistic.map((v, i) => Math.max(0, v * mean[i % c] + prelu[i]))
    expectClose(out.data, expected)
  })

  it('RESHAPE and CONCATENATION keep TFLite (NHWC) element order', async () => {
    const x = nhwc([1, 2, 2, 3], 15)
    // t0 input [1,2,2,3]; t1 conv 1x1 identity -> [1,2,2,3] (forces NCHW internally); t2 reshape [1,4,3]; t3 concat axis 3 of t0,t1 -> [1,2,2,6]; t4 reshape [1,24]
    const identity = new Float32Array(9)
    for (let i = 0; i < 3; i++) identity[i * 3 + i] = 1
    const model: TinyModel = {
      tensors: [
        { shape: x.shape },
        { shape: [1, 2, 2, 3] },
        { shape: [1, 4, 3] },
        { shape: [1, 2, 2, 6] },
        { shape: [1, 24] },
        { shape: [3, 1, 1, 3], data: floatBytes(identity) }
      ],
      inputs: [0],
      outputs: [2, 4],
      operators: [
        { builtin: BuiltinOp.CONV_2D, inputs: [0, 5, -1], outputs: [1], options: { unionType: UNION.Conv2D, fields: [[0, 'i8', VALID], [1, 'i32', 1], [2, 'i32', 1]] } },
        { builtin: BuiltinOp.RESHAPE, inputs: [1], outputs: [2], options: { unionType: UNION.Reshape, fields: [], int32Vectors: [[0, [1, 4, 3]]] } },
        { builtin: BuiltinOp.CONCATENATION, inputs: [0, 1], outputs: [3], options: { unionType: UNION.Concatenation, fields: [[0, 'i32', 3]] } },
        { builtin: BuiltinOp.RESHAPE, inputs: [3], outputs: [4], options: { unionType: UNION.Reshape, fields: [], int32Vectors: [[0, [1, 24]]] } }
      ]
    }
    const [reshaped, concatenated] = await run(model, x.data)
    expect(reshaped.dims).toEqual([1, 4, 3])
    expectClose(reshaped.data, x.data)
    const expected = new Float32Array(24)
    for (let p = 0; p < 4; p++) for (let c = 0; c < 3; c++) expected[p * 6 + c] = expected[p * 6 + 3 + c] = x.data[p * 3 + c]
    expectClose(concatenated.data, expected)
  })

  it('PRELU with per-channel slopes below 0 and above 1 runs as convolutions and an Add (no PRelu node)', async () => {
    const x = nhwc([1, 3, 2, 4], 16)
    const alpha = Float32Array.from([-0.5, 0, 0.25, 1.5])
    const model = single([{ shape: x.shape }, { shape: [1, 1, 4], data: floatBytes(alpha) }, { shape: x.shape }], { builtin: BuiltinOp.PRELU, inputs: [0, 1] })
    const scaled = x.data.map((v) => v * 4 - 2)
    const [out] = await run(model, scaled)
    expectClose(out.data, scaled.map((v, i) => (v >= 0 ? v : v * alpha[i % 4])))
    expect(opTypes(model)).not.toContain('PRelu')
  })

  it('PAD of the channel axis alone becomes a 1x1 convolution (no Pad node) with the same zeros', async () => {
    const x = nhwc([1, 2, 3, 2], 17)
    const pads = [0, 0, 0, 0, 0, 0, 1, 2] // one zero channel before, two after
    const model = single([{ shape: x.shape }, { shape: [4, 2], type: TensorType.INT32, data: int32Bytes(pads) }, { shape: [1, 2, 3, 5] }], {
      builtin: BuiltinOp.PAD,
      inputs: [0, 1],
      options: { unionType: UNION.Pad, fields: [] }
    })
    const [out] = await run(model, x.data)
    expect(out.dims).toEqual([1, 2, 3, 5])
    const expected = new Float32Array(2 * 3 * 5)
    for (let p = 0; p < 6; p++) for (let c = 0; c < 2; c++) expected[p * 5 + 1 + c] = x.data[p * 2 + c]
    expectClose(out.data, expected, 0)
    expect(opTypes(model)).not.toContain('Pad')
  })

  it('rejects operators it does not know', () => {
    const model = single([{ shape: [1, 2, 2, 1] }, { shape: [1, 2, 2, 1] }], { builtin: 25 /* SOFTMAX */, inputs: [0] })
    expect(() => convertTflite(buildTflite(model), { graphName: 'x' })).toThrow(/unsupported TFLite builtin operator 25/)
  })
})

/** Rounds a float to the nearest fp16 value, for building references of fp16 weights. */
function halfRound(v: number): number {
  const bytes = halfBytes([v])
  const h = bytes[0] | (bytes[1] << 8)
  const exponent = (h >> 10) & 0x1f
  const fraction = h & 0x3ff
  const sign = h & 0x8000 ? -1 : 1
  return exponent === 0 ? sign * 2 ** -14 * (fraction / 1024) : sign * 2 ** (exponent - 15) * (1 + fraction / 1024)
}
