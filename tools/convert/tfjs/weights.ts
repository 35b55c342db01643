/**
 * Reads TF.js weight files (a weights manifest plus its .bin shards) into float32
 * arrays, dequantising uint8/uint16 entries (value = q * scale + min, as TF.js does).
 * Shared by the face-api layers converter and the TF graph-model converter.
 */
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export interface WeightEntrySpec {
  name: string
  shape: number[]
  dtype: string
  quantization?: { dtype: string; scale?: number; min?: number }
}

export interface WeightsManifestGroup {
  paths: string[]
  weights: WeightEntrySpec[]
}

export interface WeightTensor {
  shape: number[]
  /** float32 values (int32 values for int32 tensors, converted to float). */
  data: Float32Array
  dtype: 'float32' | 'int32'
}

export type WeightMap = Map<string, WeightTensor>

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 }

/** Reads a `*-weights_manifest.json` file and the shards next to it. */
export async function readWeightsManifestFile(manifestPath: string): Promise<WeightMap> {
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as WeightsManifestGroup[]
  return readWeightGroups(manifest, dirname(manifestPath))
}

/** Reads every group of a manifest; shards are concatenated per group, in order. */
export async function readWeightGroups(groups: WeightsManifestGroup[], baseDir: string): Promise<WeightMap> {
  const weights: WeightMap = new Map()
  for (const group of groups) {
    const shards = await Promise.all(group.paths.map((p) => readFile(join(baseDir, p))))
    const buffer = Buffer.concat(shards)
    let offset = 0
    for (const spec of group.weights) {
      const { tensor, byteLength } = decodeWeight(spec, buffer, offset)
      weights.set(spec.name, tensor)
      offset += byteLength
    }
    if (offset !== buffer.length) {
      throw new Error(`weights: manifest describes ${offset} bytes but shards hold ${buffer.length}`)
    }
  }
  return weights
}

/** Decodes one weight starting at `offset` of `buffer`. Exported for tests. */
export function decodeWeight(
  spec: WeightEntrySpec,
  buffer: Uint8Array,
  offset: number
): { tensor: WeightTensor; byteLength: number } {
  const count = spec.shape.reduce((a, b) => a * b, 1)
  const storedType = spec.quantization?.dtype ?? spec.dtype
  const bytesPerValue = BYTES_PER_DTYPE[storedType]
  if (bytesPerValue === undefined) throw new Error(`weights: ${spec.name}: unsupported dtype ${storedType}`)
  const byteLength = count * bytesPerValue
  if (offset + byteLength > buffer.length) throw new Error(`weights: ${spec.name}: shard too short`)
  const view = new DataView(buffer.buffer, buffer.byteOffset + offset, byteLength)
  const data = new Float32Array(count)
  if (spec.dtype !== 'float32' && spec.dtype !== 'int32') {
    throw new Error(`weights: ${spec.name}: unsupported tensor dtype ${spec.dtype}`)
  }
  if (spec.quantization && (storedType === 'uint8' || storedType === 'uint16')) {
    const scale = spec.quantization.scale ?? 1
    const min = spec.quantization.min ?? 0
    for (let i = 0; i < count; i++) {
      const q = storedType === 'uint8' ? view.getUint8(i) : view.getUint16(i * 2, true)
      data[i] = q * scale + min
    }
  } else if (storedType === 'float16') {
    for (let i = 0; i < count; i++) data[i] = halfToFloat(view.getUint16(i * 2, true))
  } else if (storedType === 'int32') {
    for (let i = 0; i < count; i++) data[i] = view.getInt32(i * 4, true)
  } else if (storedType === 'float32') {
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true)
  } else {
    throw new Error(`weights: ${spec.name}: cannot decode ${storedType} as ${spec.dtype}`)
  }
  return { tensor: { shape: [...spec.shape], data, dtype: spec.dtype }, byteLength }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exponent = (h >> 10) & 0x1f
  const fraction = h & 0x3ff
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024)
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024)
}

/** Looks a weight up, failing with the name when the model files don't match the code. */
export function requireWeight(weights: WeightMap, name: string, shape?: readonly number[]): WeightTensor {
  const tensor = weights.get(name)
  if (!tensor) throw new Error(`weights: missing ${name}`)
  if (shape && (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i]))) {
    throw new Error(`weights: ${name} has shape [${tensor.shape.join(',')}], expected [${shape.join(',')}]`)
  }
  return tensor
}

/**
 * Reorders a TF conv filter [kh, kw, in, out] into ONNX Conv weight layout [out, in, kh, kw].
 * A TF depthwise filter [kh, kw, channels, 1] becomes [channels, 1, kh, kw] the same way when
 * called with `depthwise = true`.
 */
export function tfFilterToOnnx(filter: WeightTensor, depthwise = false): { dims: number[]; data: Float32Array } {
  const [kh, kw, cin, cout] = filter.shape
  const outChannels = depthwise ? cin * cout : cout
  const inChannels = depthwise ? 1 : cin
  const data = new Float32Array(filter.data.length)
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        for (let o = 0; o < cout; o++) {
          const src = ((y * kw + x) * cin + i) * cout + o
          // Depthwise with multiplier m: output channel = i * m + o, one input channel each.
          const outIndex = depthwise ? i * cout + o : o
          const inIndex = depthwise ? 0 : i
          data[((outIndex * inChannels + inIndex) * kh + y) * kw + x] = filter.data[src]
        }
      }
    }
  }
  return { dims: [outChannels, inChannels, kh, kw], data }
}
