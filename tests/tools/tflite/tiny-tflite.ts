/**
 * Builds tiny TFLite flatbuffers for tests (one or a few operators), written
 * with the flatbuffers Builder against the same schema fields the converter reads.
 */
import { Builder } from 'flatbuffers'

export interface TinyTensor {
  shape: number[]
  /** TensorType; FLOAT32 (0) by default. */
  type?: number
  /** Constant data (raw little-endian bytes). */
  data?: Uint8Array
  name?: string
}

export type OptionField = [field: number, kind: 'i8' | 'i32' | 'bool' | 'f32', value: number]

export interface TinyOperator {
  builtin: number
  customCode?: string
  inputs: number[]
  outputs: number[]
  /** BuiltinOptions union type (1-based index in schema.fbs) and the table's scalar fields. */
  options?: { unionType: number; fields: OptionField[]; int32Vectors?: [field: number, values: number[]][] }
  customOptions?: Uint8Array
}

export interface TinyModel {
  tensors: TinyTensor[]
  inputs: number[]
  outputs: number[]
  operators: TinyOperator[]
  description?: string
}

export function floatBytes(values: number[] | Float32Array): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer)
}

export function int32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(Int32Array.from(values).buffer)
}

/** float -> IEEE half (round to nearest), for fp16 weight tests. */
export function floatToHalf(value: number): number {
  const f32 = new Float32Array([value])
  const bits = new Uint32Array(f32.buffer)[0]
  const sign = (bits >>> 16) & 0x8000
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15
  const mantissa = bits & 0x7fffff
  if (exponent <= 0) return sign
  if (exponent >= 0x1f) return sign | 0x7c00
  const rounded = (exponent << 10) | (mantissa >> 13)
  return sign | (rounded + ((mantissa >> 12) & 1))
}

export function halfBytes(values: number[]): Uint8Array {
  return new Uint8Array(Uint16Array.from(values.map(floatToHalf)).buffer)
}

function int32Vector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4)
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i])
  return b.endVector()
}

function byteVector(b: Builder, bytes: Uint8Array): number {
  b.startVector(1, bytes.length, 16)
  for (let i = bytes.length - 1; i >= 0; i--) b.addInt8(bytes[i])
  return b.endVector()
}

function offsetVector(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4)
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i])
  return b.endVector()
}

export function buildTflite(model: TinyModel): Uint8Array {
  const b = new Builder(1024)
  b.forceDefaults(true)

  // Buffers: 0 is the empty sentinel; each constant tensor gets its own.
  const bufferOffsets: number[] = []
  const emptyBuffer = (() => {
    b.startObject(1)
    return b.endObject()
  })()
  bufferOffsets.push(emptyBuffer)
  const tensorBuffer = model.tensors.map((t) => {
    if (!t.data) return 0
    const data = byteVector(b, t.data)
    b.startObject(1)
    b.addFieldOffset(0, data, 0)
    bufferOffsets.push(b.endObject())
    return bufferOffsets.length - 1
  })

  const tensorOffsets = model.tensors.map((t, i) => {
    const shape = int32Vector(b, t.shape)
    const name = b.createString(t.name ?? `t${i}`)
    b.startObject(4)
    b.addFieldOffset(0, shape, 0)
    b.addFieldInt8(1, t.type ?? 0, 0)
    b.addFieldInt32(2, tensorBuffer[i], 0)
    b.addFieldOffset(3, name, 0)
    return b.endObject()
  })

  // One operator code per distinct builtin/custom pair.
  const codes: { builtin: number; custom?: string }[] = []
  const codeIndex = model.operators.map((op) => {
    let i = codes.findIndex((c) => c.builtin === op.builtin && c.custom === op.customCode)
    if (i < 0) i = codes.push({ builtin: op.builtin, custom: op.customCode }) - 1
    return i
  })
  const codeOffsets = codes.map((c) => {
    const custom = c.custom ? b.createString(c.custom) : 0
    b.startObject(4)
    b.addFieldInt8(0, Math.min(c.builtin, 127), 0)
    if (custom) b.addFieldOffset(1, custom, 0)
    b.addFieldInt32(2, 1, 1)
    b.addFieldInt32(3, c.builtin, 0)
    return b.endObject()
  })

  const operatorOffsets = model.operators.map((op, i) => {
    const inputs = int32Vector(b, op.inputs)
    const outputs = int32Vector(b, op.outputs)
    const custom = op.customOptions ? byteVector(b, op.customOptions) : 0
    let options = 0
    if (op.options) {
      const vectors = (op.options.int32Vectors ?? []).map(([field, values]) => [field, int32Vector(b, values)] as const)
      const fieldCount = Math.max(0, ...op.options.fields.map(([f]) => f + 1), ...vectors.map(([f]) => f + 1))
      b.startObject(fieldCount)
      for (const [field, kind, value] of op.options.fields) {
        if (kind === 'i8' || kind === 'bool') b.addFieldInt8(field, value, 0)
        else if (kind === 'i32') b.addFieldInt32(field, value, 0)
        else b.addFieldFloat32(field, value, 0)
      }
      for (const [field, offset] of vectors) b.addFieldOffset(field, offset, 0)
      options = b.endObject()
    }
    b.startObject(6)
    b.addFieldInt32(0, codeIndex[i], 0)
    b.addFieldOffset(1, inputs, 0)
    b.addFieldOffset(2, outputs, 0)
    if (op.options) {
      b.addFieldInt8(3, op.options.unionType, 0)
      b.addFieldOffset(4, options, 0)
    }
    if (custom) b.addFieldOffset(5, custom, 0)
    return b.endObject()
  })

  const tensors = offsetVector(b, tensorOffsets)
  const inputs = int32Vector(b, model.inputs)
  const outputs = int32Vector(b, model.outputs)
  const operators = offsetVector(b, operatorOffsets)
  const graphName = b.createString('main')
  b.startObject(5)
  b.addFieldOffset(0, tensors, 0)
  b.addFieldOffset(1, inputs, 0)
  b.addFieldOffset(2, outputs, 0)
  b.addFieldOffset(3, operators, 0)
  b.addFieldOffset(4, graphName, 0)
  const graph = b.endObject()

  const operatorCodes = offsetVector(b, codeOffsets)
  const subgraphs = offsetVector(b, [graph])
  const description = b.createString(model.description ?? 'tiny test model')
  const buffers = offsetVector(b, bufferOffsets)
  b.startObject(5)
  b.addFieldInt32(0, 3, 0)
  b.addFieldOffset(1, operatorCodes, 0)
  b.addFieldOffset(2, subgraphs, 0)
  b.addFieldOffset(3, description, 0)
  b.addFieldOffset(4, buffers, 0)
  const root = b.endObject()
  b.finish(root, 'TFL3')
  return b.asUint8Array()
}
