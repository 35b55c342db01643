import { describe, expect, it } from 'vitest'
import { paddingFor, permute, transposePaddingFor, nhwcAxisToNchw, broadcastConstantToNchw } from '../../../tools/convert/tflite/layout'
import { parsePackedAssetsLoader } from '../../../tools/convert/tflite/mediapipe'
import { BuiltinOp, conv2dOptions, halfToFloat, readTfliteModel, tensorValues, TensorType, transposeConvBiasOptions } from '../../../tools/convert/tflite/schema'
import { buildTflite, floatBytes, halfBytes, int32Bytes } from './tiny-tflite'

describe('tflite flatbuffer accessors', () => {
  const bytes = buildTflite({
    description: 'hello',
    tensors: [
      { shape: [1, 4, 4, 2], name: 'image' },
      { shape: [3, 1, 1, 2], type: TensorType.FLOAT16, data: halfBytes([1, -2, 0.5, 0.25, 3, 65504]), name: 'w16' },
      { shape: [3], data: floatBytes([0.1, 0.2, 0.3]), name: 'bias' },
      { shape: [1, 2, 2, 3], name: 'out' },
      { shape: [2], type: TensorType.INT32, data: int32Bytes([7, -9]), name: 'ints' }
    ],
    inputs: [0],
    outputs: [3],
    operators: [
      { builtin: BuiltinOp.CONV_2D, inputs: [0, 1, 2], outputs: [3], options: { unionType: 1, fields: [[0, 'i8', 1], [1, 'i32', 2], [2, 'i32', 3], [3, 'i8', 3]] } },
      { builtin: BuiltinOp.HARD_SWISH, inputs: [3], outputs: [3] },
      { builtin: BuiltinOp.CUSTOM, customCode: 'Convolution2DTransposeBias', inputs: [3], outputs: [3], customOptions: int32Bytes([2, 4, 5]) }
    ]
  })
  const model = readTfliteModel(bytes)

  it('reads the model, subgraph, tensors and constant buffers', () => {
    expect(model.version).toBe(3)
    expect(model.description).toBe('hello')
    expect(model.inputs).toEqual([0])
    expect(model.outputs).toEqual([3])
    expect(model.tensors.map((t) => t.name)).toEqual(['image', 'w16', 'bias', 'out', 'ints'])
    expect(model.tensors[0].shape).toEqual([1, 4, 4, 2])
    expect(model.tensors[0].data).toBeNull()
    expect(Array.from(tensorValues(model.tensors[1]))).toEqual([1, -2, 0.5, 0.25, 3, 65504])
    expect(Array.from(tensorValues(model.tensors[2]))).toEqual(Array.from(Float32Array.from([0.1, 0.2, 0.3])))
    expect(Array.from(tensorValues(model.tensors[4]))).toEqual([7, -9])
  })

  it('reads operators, their codes and options', () => {
    expect(model.operators.map((o) => o.builtin)).toEqual([BuiltinOp.CONV_2D, BuiltinOp.HARD_SWISH, BuiltinOp.CUSTOM])
    expect(model.operators[0].inputs).toEqual([0, 1, 2])
    expect(conv2dOptions(model.operators[0].options)).toEqual({ padding: 'VALID', strideW: 2, strideH: 3, activation: 'RELU6', dilationW: 1, dilationH: 1 })
    expect(model.operators[1].options).toBeNull()
    expect(model.operators[2].customCode).toBe('Convolution2DTransposeBias')
    expect(transposeConvBiasOptions(model.operators[2].customOptions)).toEqual({ padding: 'VALID', strideW: 4, strideH: 5 })
  })

  it('rejects files that are not TFLite models', () => {
    expect(() => readTfliteModel(new Uint8Array(4))).toThrow(/too short/)
    expect(() => readTfliteModel(new Uint8Array(64))).toThrow(/identifier/)
  })

  it('decodes IEEE halves, including subnormals and infinities', () => {
    expect(halfToFloat(0x3c00)).toBe(1)
    expect(halfToFloat(0xc000)).toBe(-2)
    expect(halfToFloat(0x0001)).toBe(2 ** -24)
    expect(halfToFloat(0x7c00)).toBe(Infinity)
    expect(halfToFloat(0x7bff)).toBe(65504)
  })
})

describe('layout helpers', () => {
  it('TFLite SAME padding puts the odd pixel at the end', () => {
    expect(paddingFor('SAME', 256, 3, 2)).toEqual({ begin: 0, end: 1 })
    expect(paddingFor('SAME', 5, 3, 1)).toEqual({ begin: 1, end: 1 })
    expect(paddingFor('SAME', 6, 5, 2)).toEqual({ begin: 1, end: 2 })
    expect(paddingFor('SAME', 7, 3, 1, 2)).toEqual({ begin: 2, end: 2 })
    expect(paddingFor('VALID', 6, 5, 2)).toEqual({ begin: 0, end: 0 })
  })

  it('transpose-conv SAME crops as MediaPipe does', () => {
    expect(transposePaddingFor('SAME', 128, 2, 2)).toEqual({ begin: 0, end: 0 })
    expect(transposePaddingFor('SAME', 4, 3, 2)).toEqual({ begin: 0, end: 1 })
    expect(transposePaddingFor('SAME', 4, 4, 1)).toEqual({ begin: 1, end: 2 })
  })

  it('permutes dense tensors and maps NHWC axes', () => {
    // [2,3] -> [3,2]
    expect(Array.from(permute(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0]))).toEqual([1, 4, 2, 5, 3, 6])
    expect([0, 1, 2, 3, -1].map(nhwcAxisToNchw)).toEqual([0, 2, 3, 1, 1])
    const { dims, data } = broadcastConstantToNchw(Float32Array.from([1, 2, 3]), [3])
    expect(dims).toEqual([1, 3, 1, 1])
    expect(Array.from(data)).toEqual([1, 2, 3])
  })
})

describe('packed assets loader', () => {
  it('reads byte ranges from the Emscripten loader metadata', () => {
    const script = 'var x = 1;\n loadPackage({"files": [{"filename": "/a/face_landmark.tflite", "start": 10, "end": 30}], "remote_package_size": 30, "package_uuid": "u"});\n})();'
    expect(parsePackedAssetsLoader(script)).toEqual([{ filename: '/a/face_landmark.tflite', start: 10, end: 30 }])
    expect(() => parsePackedAssetsLoader('nothing here')).toThrow(/no loadPackage/)
  })
})
