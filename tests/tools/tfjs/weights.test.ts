import { describe, expect, it } from 'vitest'
import { decodeWeight, requireWeight, tfFilterToOnnx, type WeightMap } from '../../../tools/convert/tfjs/weights'
import { tfSamePadding } from '../../../tools/convert/tfjs/face-api'

describe('decodeWeight', () => {
  it('dequantises uint8 as q * scale + min', () => {
    const buffer = Uint8Array.from([9, 0, 2, 255])
    const { tensor, byteLength } = decodeWeight(
      { name: 'w', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
      buffer,
      1
    )
    expect(byteLength).toBe(3)
    expect(Array.from(tensor.data)).toEqual([-1, 0, 126.5])
  })

  it('dequantises uint16 little-endian', () => {
    const buffer = Uint8Array.from([0x01, 0x01])
    const { tensor } = decodeWeight(
      { name: 'w', shape: [1], dtype: 'float32', quantization: { dtype: 'uint16', scale: 2, min: 1 } },
      buffer,
      0
    )
    expect(tensor.data[0]).toBe(257 * 2 + 1)
  })

  it('reads plain float32 and float16', () => {
    const f32 = new Uint8Array(new Float32Array([1.5, -2]).buffer)
    expect(Array.from(decodeWeight({ name: 'a', shape: [2], dtype: 'float32' }, f32, 0).tensor.data)).toEqual([1.5, -2])
    const f16 = Uint8Array.from([0x00, 0x3c, 0x00, 0xc0]) // 1.0, -2.0
    const half = decodeWeight({ name: 'b', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } }, f16, 0)
    expect(Array.from(half.tensor.data)).toEqual([1, -2])
  })

  it('fails on a short shard instead of reading garbage', () => {
    expect(() => decodeWeight({ name: 'w', shape: [4], dtype: 'float32' }, new Uint8Array(8), 0)).toThrow(/too short/)
  })
})

describe('tfFilterToOnnx', () => {
  it('moves [kh,kw,in,out] to [out,in,kh,kw]', () => {
    // kh=1, kw=2, in=2, out=3; value encodes its TF index.
    const data = Float32Array.from({ length: 12 }, (_, i) => i)
    const { dims, data: out } = tfFilterToOnnx({ shape: [1, 2, 2, 3], data, dtype: 'float32' })
    expect(dims).toEqual([3, 2, 1, 2])
    // ONNX [o=2, i=1, y=0, x=1] <- TF [y=0, x=1, i=1, o=2] = ((0*2+1)*2+1)*3+2 = 11
    expect(out[((2 * 2 + 1) * 1 + 0) * 2 + 1]).toBe(11)
    // ONNX [o=1, i=0, y=0, x=0] <- TF index 1
    expect(out[((1 * 2 + 0) * 1 + 0) * 2 + 0]).toBe(1)
  })

  it('turns a depthwise [kh,kw,c,1] filter into grouped [c,1,kh,kw]', () => {
    const data = Float32Array.from({ length: 8 }, (_, i) => i) // kh=2, kw=2, c=2
    const { dims, data: out } = tfFilterToOnnx({ shape: [2, 2, 2, 1], data, dtype: 'float32' }, true)
    expect(dims).toEqual([2, 1, 2, 2])
    // channel 1, y=1, x=0 <- TF ((1*2+0)*2+1)*1 = 5
    expect(out[(1 * 2 + 1) * 2 + 0]).toBe(5)
  })
})

describe('tfSamePadding', () => {
  it('puts the odd pixel at the end like TF', () => {
    expect(tfSamePadding(112, 3, 2)).toEqual([0, 1])
    expect(tfSamePadding(7, 3, 2)).toEqual([1, 1])
    expect(tfSamePadding(56, 3, 1)).toEqual([1, 1])
    expect(tfSamePadding(5, 1, 1)).toEqual([0, 0])
  })
})

describe('requireWeight', () => {
  it('names the missing or misshapen weight', () => {
    const map: WeightMap = new Map([['a', { shape: [2], data: new Float32Array(2), dtype: 'float32' }]])
    expect(() => requireWeight(map, 'b')).toThrow(/missing b/)
    expect(() => requireWeight(map, 'a', [3])).toThrow(/expected \[3\]/)
    expect(requireWeight(map, 'a', [2]).shape).toEqual([2])
  })
})
