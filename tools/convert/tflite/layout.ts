/**
 * Pure tensor-layout helpers for the TFLite -> ONNX converter: permuting constant
 * data, TFLite's SAME/VALID padding arithmetic and axis mapping NHWC -> NCHW.
 */
import type { Padding } from './schema'

/** NHWC -> NCHW permutation, and its inverse. */
export const NHWC_TO_NCHW = [0, 3, 1, 2] as const
export const NCHW_TO_NHWC = [0, 2, 3, 1] as const

/** Permutes a dense row-major tensor: out.shape[i] = shape[perm[i]]. */
export function permute<T extends Float32Array | Int32Array>(data: T, shape: readonly number[], perm: readonly number[]): T {
  const rank = shape.length
  if (perm.length !== rank) throw new Error(`permute: perm rank ${perm.length} != shape rank ${rank}`)
  const outShape = perm.map((p) => shape[p])
  const inStrides = stridesOf(shape)
  const out = new (data.constructor as new (n: number) => T)(data.length)
  const index = new Array<number>(rank).fill(0)
  for (let o = 0; o < out.length; o++) {
    let src = 0
    for (let d = 0; d < rank; d++) src += index[d] * inStrides[perm[d]]
    out[o] = data[src]
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) break
      index[d] = 0
    }
  }
  return out
}

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length)
  let s = 1
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s
    s *= shape[d]
  }
  return strides
}

/**
 * TFLite padding for one spatial axis of a convolution or pool: SAME pads so
 * that out = ceil(in / stride), putting the odd pixel at the end; VALID pads nothing.
 */
export function paddingFor(
  padding: Padding,
  inSize: number,
  kernel: number,
  stride: number,
  dilation = 1
): { begin: number; end: number } {
  if (padding === 'VALID') return { begin: 0, end: 0 }
  const effectiveKernel = (kernel - 1) * dilation + 1
  const outSize = Math.ceil(inSize / stride)
  const total = Math.max((outSize - 1) * stride + effectiveKernel - inSize, 0)
  const begin = Math.floor(total / 2)
  return { begin, end: total - begin }
}

/**
 * Padding of MediaPipe's Convolution2DTransposeBias (SAME): the full output is
 * cropped by total = max(0, kernel - (in - 1) % stride - 1), floor(total/2) at the start.
 */
export function transposePaddingFor(padding: Padding, inSize: number, kernel: number, stride: number): { begin: number; end: number } {
  if (padding === 'VALID') return { begin: 0, end: 0 }
  const total = Math.max(0, kernel - ((inSize - 1) % stride) - 1)
  const begin = Math.floor(total / 2)
  return { begin, end: total - begin }
}

/** Maps an NHWC axis (negative allowed) of a rank-4 tensor to its NCHW axis. */
export function nhwcAxisToNchw(axis: number): number {
  const a = axis < 0 ? axis + 4 : axis
  if (a < 0 || a > 3) throw new Error(`axis ${axis} out of range for rank 4`)
  return NCHW_TO_NHWC[a]
}

/**
 * A constant that broadcasts against an NHWC activation, re-laid out to broadcast
 * against the same activation in NCHW: left-pad its shape to rank 4, then permute.
 */
export function broadcastConstantToNchw(data: Float32Array, shape: readonly number[]): { data: Float32Array; dims: number[] } {
  if (shape.length > 4) throw new Error(`constant of rank ${shape.length} cannot broadcast against a rank-4 activation`)
  if (shape.length === 0) return { data, dims: [] }
  const padded = [...new Array<number>(4 - shape.length).fill(1), ...shape]
  return { data: permute(data, padded, NHWC_TO_NCHW), dims: NHWC_TO_NCHW.map((p) => padded[p]) }
}
