/**
 * Naive NHWC implementations of the TFLite kernels the converter maps, written
 * from the TFLite reference-kernel semantics (batch 1), to check the converted
 * ONNX graphs op by op.
 */
export interface Nhwc {
  shape: [number, number, number, number]
  data: Float32Array
}

type PaddingKind = 'SAME' | 'VALID'

/** TFLite's ComputePaddingHeightWidth for one axis: output size and the leading pad. */
function outAndPad(padding: PaddingKind, inSize: number, kernel: number, stride: number, dilation: number): [number, number] {
  const effective = (kernel - 1) * dilation + 1
  const out = padding === 'SAME' ? Math.ceil(inSize / stride) : Math.ceil((inSize - effective + 1) / stride)
  const total = Math.max(0, (out - 1) * stride + effective - inSize)
  return [out, Math.floor(total / 2)]
}

const at = (t: Nhwc, y: number, x: number, c: number): number => t.data[(y * t.shape[2] + x) * t.shape[3] + c]

export function conv2d(
  x: Nhwc,
  w: { shape: number[]; data: Float32Array },
  bias: Float32Array,
  o: { padding: PaddingKind; stride: [number, number]; dilation?: [number, number]; depthwise?: boolean }
): Nhwc {
  const [, inH, inW, inC] = x.shape
  const [d0, kH, kW, d3] = w.shape
  const [dh, dw] = o.dilation ?? [1, 1]
  const [outH, padT] = outAndPad(o.padding, inH, kH, o.stride[0], dh)
  const [outW, padL] = outAndPad(o.padding, inW, kW, o.stride[1], dw)
  const outC = o.depthwise ? d3 : d0
  const multiplier = outC / inC
  const out = new Float32Array(outH * outW * outC)
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let oc = 0; oc < outC; oc++) {
        let sum = bias[oc] ?? 0
        for (let ky = 0; ky < kH; ky++) {
          for (let kx = 0; kx < kW; kx++) {
            const iy = oy * o.stride[0] - padT + ky * dh
            const ix = ox * o.stride[1] - padL + kx * dw
            if (iy < 0 || ix < 0 || iy >= inH || ix >= inW) continue
            if (o.depthwise) {
              sum += at(x, iy, ix, Math.floor(oc / multiplier)) * w.data[(ky * kW + kx) * d3 + oc]
            } else {
              for (let ic = 0; ic < inC; ic++) sum += at(x, iy, ix, ic) * w.data[((oc * kH + ky) * kW + kx) * d3 + ic]
            }
          }
        }
        out[(oy * outW + ox) * outC + oc] = sum
      }
    }
  }
  return { shape: [1, outH, outW, outC], data: out }
}

export function pool(x: Nhwc, kind: 'max' | 'avg', o: { padding: PaddingKind; filter: [number, number]; stride: [number, number] }): Nhwc {
  const [, inH, inW, c] = x.shape
  const [outH, padT] = outAndPad(o.padding, inH, o.filter[0], o.stride[0], 1)
  const [outW, padL] = outAndPad(o.padding, inW, o.filter[1], o.stride[1], 1)
  const out = new Float32Array(outH * outW * c)
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = kind === 'max' ? -Infinity : 0
        let count = 0
        for (let ky = 0; ky < o.filter[0]; ky++) {
          for (let kx = 0; kx < o.filter[1]; kx++) {
            const iy = oy * o.stride[0] - padT + ky
            const ix = ox * o.stride[1] - padL + kx
            if (iy < 0 || ix < 0 || iy >= inH || ix >= inW) continue
            const v = at(x, iy, ix, ch)
            acc = kind === 'max' ? Math.max(acc, v) : acc + v
            count++
          }
        }
        out[(oy * outW + ox) * c + ch] = kind === 'max' ? acc : acc / count
      }
    }
  }
  return { shape: [1, outH, outW, c], data: out }
}

/** MediaPipe's Convolution2DTransposeBias (weights OHWI, SAME crops floor(total/2) at the start). */
export function transposeConvBias(x: Nhwc, w: { shape: number[]; data: Float32Array }, bias: Float32Array, padding: PaddingKind, stride: [number, number]): Nhwc {
  const [, inH, inW, inC] = x.shape
  const [outC, kH, kW] = w.shape
  const totalH = padding === 'SAME' ? Math.max(0, kH - ((inH - 1) % stride[0]) - 1) : 0
  const totalW = padding === 'SAME' ? Math.max(0, kW - ((inW - 1) % stride[1]) - 1) : 0
  const outH = stride[0] * (inH - 1) + kH - totalH
  const outW = stride[1] * (inW - 1) + kW - totalW
  const out = new Float32Array(outH * outW * outC)
  for (let i = 0; i < outH * outW; i++) for (let c = 0; c < outC; c++) out[i * outC + c] = bias[c]
  for (let iy = 0; iy < inH; iy++) {
    for (let ix = 0; ix < inW; ix++) {
      for (let ic = 0; ic < inC; ic++) {
        for (let ky = 0; ky < kH; ky++) {
          for (let kx = 0; kx < kW; kx++) {
            const oy = iy * stride[0] - Math.floor(totalH / 2) + ky
            const ox = ix * stride[1] - Math.floor(totalW / 2) + kx
            if (oy < 0 || ox < 0 || oy >= outH || ox >= outW) continue
            for (let oc = 0; oc < outC; oc++) {
              out[(oy * outW + ox) * outC + oc] += at(x, iy, ix, ic) * w.data[((oc * kH + ky) * kW + kx) * inC + ic]
            }
          }
        }
      }
    }
  }
  return { shape: [1, outH, outW, outC], data: out }
}

/** TFLite RESIZE_BILINEAR (reference kernel) with align_corners / half_pixel_centers. */
export function resizeBilinear(x: Nhwc, outH: number, outW: number, alignCorners: boolean, halfPixel: boolean): Nhwc {
  const [, inH, inW, c] = x.shape
  const scale = (i: number, o: number): number => (alignCorners && o > 1 ? (i - 1) / (o - 1) : i / o)
  const sy = scale(inH, outH)
  const sx = scale(inW, outW)
  const out = new Float32Array(outH * outW * c)
  for (let y = 0; y < outH; y++) {
    const fy = halfPixel ? (y + 0.5) * sy - 0.5 : y * sy
    const y0 = Math.max(Math.floor(fy), 0)
    const y1 = Math.min(Math.ceil(fy), inH - 1)
    const ly = fy - Math.floor(fy)
    for (let xx = 0; xx < outW; xx++) {
      const fx = halfPixel ? (xx + 0.5) * sx - 0.5 : xx * sx
      const x0 = Math.max(Math.floor(fx), 0)
      const x1 = Math.min(Math.ceil(fx), inW - 1)
      const lx = fx - Math.floor(fx)
      for (let ch = 0; ch < c; ch++) {
        const top = at(x, y0, x0, ch) * (1 - lx) + at(x, y0, x1, ch) * lx
        const bottom = at(x, y1, x0, ch) * (1 - lx) + at(x, y1, x1, ch) * lx
        out[(y * outW + xx) * c + ch] = top * (1 - ly) + bottom * ly
      }
    }
  }
  return { shape: [1, outH, outW, c], data: out }
}

/** Deterministic pseudo-random values in [-1, 1). */
export function seededValues(count: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1
  return Float32Array.from({ length: count }, () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return (s / 0x100000000) * 2 - 1
  })
}
