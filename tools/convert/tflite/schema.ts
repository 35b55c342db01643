/**
 * Hand-written readers for the few tables of the TFLite flatbuffer schema
 * (tensorflow/lite/schema/schema.fbs) that the converter needs. The file is
 * parsed eagerly into plain objects; the models we convert are small.
 *
 * Field numbers follow schema.fbs; a flatbuffer vtable slot is 4 + 2 * field.
 * A union occupies two fields: its type (ubyte) then its table offset.
 */
import { ByteBuffer } from 'flatbuffers'

export const TensorType = {
  FLOAT32: 0,
  FLOAT16: 1,
  INT32: 2,
  UINT8: 3,
  INT64: 4,
  INT8: 9
} as const

export const BuiltinOp = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  LOGISTIC: 14,
  MAX_POOL_2D: 17,
  MUL: 18,
  RELU: 19,
  RELU6: 21,
  RESHAPE: 22,
  RESIZE_BILINEAR: 23,
  CUSTOM: 32,
  PAD: 34,
  MEAN: 40,
  PRELU: 54,
  HARD_SWISH: 117
} as const

export type Padding = 'SAME' | 'VALID'
/** ActivationFunctionType: NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGN_BIT. */
export type FusedActivation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT'
const ACTIVATIONS: FusedActivation[] = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT']

export interface TfliteTensor {
  index: number
  name: string
  shape: number[]
  type: number
  /** Bytes of the constant data, or null for activations. */
  data: Uint8Array | null
}

/** The union members the converter reads, decoded by the op that owns them. */
export interface TfliteOperator {
  /** Builtin operator number (BuiltinOp) or CUSTOM. */
  builtin: number
  customCode: string | null
  inputs: number[]
  outputs: number[]
  /** Raw view of the builtin options table, read with the `*Options` helpers below. */
  options: FlatTable | null
  customOptions: Uint8Array | null
}

export interface TfliteModel {
  version: number
  description: string
  tensors: TfliteTensor[]
  inputs: number[]
  outputs: number[]
  operators: TfliteOperator[]
}

/** A flatbuffer table position with typed field getters (field = index in the .fbs table). */
export class FlatTable {
  constructor(
    readonly bb: ByteBuffer,
    readonly pos: number
  ) {}

  private slot(field: number): number {
    return this.bb.__offset(this.pos, 4 + 2 * field)
  }

  has(field: number): boolean {
    return this.slot(field) !== 0
  }

  int32(field: number, fallback = 0): number {
    const o = this.slot(field)
    return o ? this.bb.readInt32(this.pos + o) : fallback
  }

  uint32(field: number, fallback = 0): number {
    const o = this.slot(field)
    return o ? this.bb.readUint32(this.pos + o) : fallback
  }

  int8(field: number, fallback = 0): number {
    const o = this.slot(field)
    return o ? this.bb.readInt8(this.pos + o) : fallback
  }

  uint8(field: number, fallback = 0): number {
    const o = this.slot(field)
    return o ? this.bb.readUint8(this.pos + o) : fallback
  }

  bool(field: number, fallback = false): boolean {
    const o = this.slot(field)
    return o ? this.bb.readUint8(this.pos + o) !== 0 : fallback
  }

  float32(field: number, fallback = 0): number {
    const o = this.slot(field)
    return o ? this.bb.readFloat32(this.pos + o) : fallback
  }

  string(field: number): string | null {
    const o = this.slot(field)
    return o ? (this.bb.__string(this.pos + o) as string) : null
  }

  table(field: number): FlatTable | null {
    const o = this.slot(field)
    return o ? new FlatTable(this.bb, this.bb.__indirect(this.pos + o)) : null
  }

  tables(field: number): FlatTable[] {
    const o = this.slot(field)
    if (!o) return []
    const start = this.bb.__vector(this.pos + o)
    const length = this.bb.__vector_len(this.pos + o)
    return Array.from({ length }, (_, i) => new FlatTable(this.bb, this.bb.__indirect(start + 4 * i)))
  }

  int32s(field: number): number[] {
    const o = this.slot(field)
    if (!o) return []
    const start = this.bb.__vector(this.pos + o)
    const length = this.bb.__vector_len(this.pos + o)
    return Array.from({ length }, (_, i) => this.bb.readInt32(start + 4 * i))
  }

  /** A [ubyte] vector as a view (no copy) into the file bytes. */
  bytes(field: number): Uint8Array | null {
    const o = this.slot(field)
    if (!o) return null
    const start = this.bb.__vector(this.pos + o)
    const length = this.bb.__vector_len(this.pos + o)
    const all = this.bb.bytes()
    return all.subarray(start, start + length)
  }
}

const FILE_IDENTIFIER = 'TFL3'

/** Parses a .tflite file (first subgraph only, which is the whole model for MediaPipe). */
export function readTfliteModel(bytes: Uint8Array): TfliteModel {
  if (bytes.length < 8) throw new Error('not a TFLite model: file too short')
  const bb = new ByteBuffer(bytes)
  const identifier = String.fromCharCode(...bytes.subarray(4, 8))
  if (identifier !== FILE_IDENTIFIER) throw new Error(`not a TFLite model: identifier "${identifier}"`)
  const model = new FlatTable(bb, bb.readInt32(0))

  // Model { version, operator_codes, subgraphs, description, buffers }
  const buffers = model.tables(4).map((buffer) => buffer.bytes(0))
  const opcodes = model.tables(1).map((code) => {
    // OperatorCode { deprecated_builtin_code:byte, custom_code, version, builtin_code:int }
    const deprecated = code.int8(0)
    const extended = code.int32(3)
    return { builtin: Math.max(deprecated, extended), customCode: code.string(1) }
  })
  const subgraphs = model.tables(2)
  if (subgraphs.length === 0) throw new Error('TFLite model has no subgraph')
  const graph = subgraphs[0]

  // SubGraph { tensors, inputs, outputs, operators, name }
  const tensors = graph.tables(0).map((tensor, index): TfliteTensor => {
    // Tensor { shape, type, buffer, name, quantization, is_variable }
    const data = buffers[tensor.uint32(2)] ?? null
    return {
      index,
      name: tensor.string(3) ?? `tensor_${index}`,
      shape: tensor.int32s(0),
      type: tensor.int8(1),
      data: data && data.length > 0 ? data : null
    }
  })
  const operators = graph.tables(3).map((op): TfliteOperator => {
    // Operator { opcode_index, inputs, outputs, builtin_options_type, builtin_options, custom_options, ... }
    const code = opcodes[op.uint32(0)]
    if (!code) throw new Error(`operator refers to missing opcode ${op.uint32(0)}`)
    return {
      builtin: code.builtin,
      customCode: code.customCode,
      inputs: op.int32s(1),
      outputs: op.int32s(2),
      options: op.table(4),
      customOptions: op.bytes(5)
    }
  })
  return {
    version: model.uint32(0),
    description: model.string(3) ?? '',
    tensors,
    inputs: graph.int32s(1),
    outputs: graph.int32s(2),
    operators
  }
}

export interface ConvOptions {
  padding: Padding
  strideW: number
  strideH: number
  activation: FusedActivation
  dilationW: number
  dilationH: number
}

function padding(value: number): Padding {
  return value === 1 ? 'VALID' : 'SAME'
}

function activation(value: number): FusedActivation {
  const name = ACTIVATIONS[value]
  if (!name) throw new Error(`unknown fused activation ${value}`)
  return name
}

/** Conv2DOptions { padding, stride_w, stride_h, fused_activation_function, dilation_w_factor, dilation_h_factor }. */
export function conv2dOptions(t: FlatTable | null): ConvOptions {
  return {
    padding: padding(t?.int8(0) ?? 0),
    strideW: t?.int32(1) ?? 1,
    strideH: t?.int32(2) ?? 1,
    activation: activation(t?.int8(3) ?? 0),
    dilationW: t?.int32(4, 1) ?? 1,
    dilationH: t?.int32(5, 1) ?? 1
  }
}

/** DepthwiseConv2DOptions { padding, stride_w, stride_h, depth_multiplier, fused_activation_function, dilation_w, dilation_h }. */
export function depthwiseOptions(t: FlatTable | null): ConvOptions & { depthMultiplier: number } {
  return {
    padding: padding(t?.int8(0) ?? 0),
    strideW: t?.int32(1) ?? 1,
    strideH: t?.int32(2) ?? 1,
    depthMultiplier: t?.int32(3) ?? 1,
    activation: activation(t?.int8(4) ?? 0),
    dilationW: t?.int32(5, 1) ?? 1,
    dilationH: t?.int32(6, 1) ?? 1
  }
}

export interface PoolOptions {
  padding: Padding
  strideW: number
  strideH: number
  filterW: number
  filterH: number
  activation: FusedActivation
}

/** Pool2DOptions { padding, stride_w, stride_h, filter_width, filter_height, fused_activation_function }. */
export function pool2dOptions(t: FlatTable | null): PoolOptions {
  return {
    padding: padding(t?.int8(0) ?? 0),
    strideW: t?.int32(1) ?? 1,
    strideH: t?.int32(2) ?? 1,
    filterW: t?.int32(3) ?? 1,
    filterH: t?.int32(4) ?? 1,
    activation: activation(t?.int8(5) ?? 0)
  }
}

/** AddOptions / MulOptions { fused_activation_function, ... }. */
export function binaryOptions(t: FlatTable | null): { activation: FusedActivation } {
  return { activation: activation(t?.int8(0) ?? 0) }
}

/** ConcatenationOptions { axis, fused_activation_function }. */
export function concatOptions(t: FlatTable | null): { axis: number; activation: FusedActivation } {
  return { axis: t?.int32(0) ?? 0, activation: activation(t?.int8(1) ?? 0) }
}

/** ResizeBilinearOptions { new_height (deprecated), new_width (deprecated), align_corners, half_pixel_centers }. */
export function resizeBilinearOptions(t: FlatTable | null): { alignCorners: boolean; halfPixelCenters: boolean } {
  return { alignCorners: t?.bool(2) ?? false, halfPixelCenters: t?.bool(3) ?? false }
}

/** ReshapeOptions { new_shape }. */
export function reshapeOptions(t: FlatTable | null): { newShape: number[] } {
  return { newShape: t?.int32s(0) ?? [] }
}

/** ReducerOptions { keep_dims }. */
export function reducerOptions(t: FlatTable | null): { keepDims: boolean } {
  return { keepDims: t?.bool(0) ?? false }
}

/**
 * Custom options of MediaPipe's `Convolution2DTransposeBias`: the raw bytes of
 * TfLiteTransposeConvParams { TfLitePadding padding (1 = SAME, 2 = VALID); int stride_width; int stride_height }.
 */
export function transposeConvBiasOptions(bytes: Uint8Array | null): { padding: Padding; strideW: number; strideH: number } {
  if (!bytes || bytes.length < 12) throw new Error('Convolution2DTransposeBias: missing custom options')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const pad = view.getInt32(0, true)
  if (pad !== 1 && pad !== 2) throw new Error(`Convolution2DTransposeBias: unknown padding ${pad}`)
  return { padding: pad === 1 ? 'SAME' : 'VALID', strideW: view.getInt32(4, true), strideH: view.getInt32(8, true) }
}

/** IEEE 754 half -> float. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exponent = (h >> 10) & 0x1f
  const fraction = h & 0x3ff
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024)
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024)
}

/** Decodes a constant tensor's bytes into float32 (FLOAT32 or FLOAT16) or int values (INT32/INT64). */
export function tensorValues(tensor: TfliteTensor): Float32Array | Int32Array {
  const data = tensor.data
  if (!data) throw new Error(`tensor ${tensor.name} has no constant data`)
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  switch (tensor.type) {
    case TensorType.FLOAT32:
      return Float32Array.from({ length: data.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true))
    case TensorType.FLOAT16:
      return Float32Array.from({ length: data.byteLength / 2 }, (_, i) => halfToFloat(view.getUint16(2 * i, true)))
    case TensorType.INT32:
      return Int32Array.from({ length: data.byteLength / 4 }, (_, i) => view.getInt32(4 * i, true))
    case TensorType.INT64:
      return Int32Array.from({ length: data.byteLength / 8 }, (_, i) => Number(view.getBigInt64(8 * i, true)))
    default:
      throw new Error(`tensor ${tensor.name}: unsupported constant type ${tensor.type}`)
  }
}
