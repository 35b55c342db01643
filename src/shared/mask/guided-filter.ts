/**
 * Edge-aware upsampling of the low-resolution person mask: a fast guided filter (He & Sun's
 * subsampled form of He, Sun & Tang's guided filter) with the frame's own luma as the guide.
 * The segmenter's 256×144 mask is blocky and a few pixels off at hair and shoulders; fitted
 * locally as q = a·I + b, it takes its edges from the picture instead. Pure: no DOM, no Node.
 */
import { boxBlurMask, type AlphaMask } from './ops'

/** A one-channel picture: 0..255 bytes (a Y plane, a luma image), row-major, `stride` bytes a row. */
export interface GuideImage {
  data: Uint8Array | Uint8ClampedArray
  width: number
  height: number
  stride?: number
}

export interface GuidedUpsampleOptions {
  /** The filter runs on the guide shrunk by this factor; only the final q = a·I + b is at full size. */
  subsample: number
  /** Window radius in subsampled pixels. */
  radius: number
  /** Regularisation on 0..1 intensities: larger = smoother, follows the picture's edges less. */
  epsilon: number
}

/** Tuned on the e2e clip (640×480): windows of 9×9 pixels at 1/4 size follow hair without ringing. */
export const DEFAULT_GUIDED_UPSAMPLE: GuidedUpsampleOptions = { subsample: 4, radius: 4, epsilon: 0.004 }

/**
 * The mask (covering the whole guide, any resolution) refined and upsampled to the guide's size.
 * Values 0..1, row-major, guide.width × guide.height; written into `out` when given.
 */
export function guidedUpsample(
  mask: AlphaMask,
  guide: GuideImage,
  options: GuidedUpsampleOptions = DEFAULT_GUIDED_UPSAMPLE,
  out?: Float32Array
): Float32Array {
  const { width, height } = guide
  const stride = guide.stride ?? width
  const s = Math.max(1, Math.round(options.subsample))
  const w = Math.ceil(width / s)
  const h = Math.ceil(height / s)
  const guideSmall = downsampleGuide(guide, stride, s, w, h)
  const maskSmall = resampleBilinear(mask.values, mask.width, mask.height, w, h)

  const n = w * h
  const ip = new Float32Array(n)
  const ii = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    ip[i] = guideSmall[i] * maskSmall[i]
    ii[i] = guideSmall[i] * guideSmall[i]
  }
  const r = Math.max(1, Math.round(options.radius))
  const meanI = boxBlurMask(guideSmall, w, h, r)
  const meanP = boxBlurMask(maskSmall, w, h, r)
  const meanIp = boxBlurMask(ip, w, h, r)
  const meanIi = boxBlurMask(ii, w, h, r)
  const a = ip
  const b = ii
  for (let i = 0; i < n; i++) {
    const variance = meanIi[i] - meanI[i] * meanI[i]
    const covariance = meanIp[i] - meanI[i] * meanP[i]
    a[i] = covariance / (variance + options.epsilon)
    b[i] = meanP[i] - a[i] * meanI[i]
  }
  const meanA = boxBlurMask(a, w, h, r)
  const meanB = boxBlurMask(b, w, h, r)
  return applyLinearModel(meanA, meanB, w, h, guide, stride, s, out)
}

/** Mean of each s×s block of the guide, scaled to 0..1 (edge blocks average what they cover). */
function downsampleGuide(guide: GuideImage, stride: number, s: number, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h)
  const { data, width, height } = guide
  for (let by = 0; by < h; by++) {
    const y0 = by * s
    const y1 = Math.min(height, y0 + s)
    for (let bx = 0; bx < w; bx++) {
      const x0 = bx * s
      const x1 = Math.min(width, x0 + s)
      let sum = 0
      for (let y = y0; y < y1; y++) {
        const row = y * stride
        for (let x = x0; x < x1; x++) sum += data[row + x]
      }
      out[by * w + bx] = sum / ((y1 - y0) * (x1 - x0) * 255)
    }
  }
  return out
}

/** Bilinear resampling where both grids cover the same area (pixel centres aligned, edges clamped). */
export function resampleBilinear(src: Float32Array, sw: number, sh: number, dw: number, dh: number, out?: Float32Array): Float32Array {
  const dst = out && out.length === dw * dh ? out : new Float32Array(dw * dh)
  const { index: xi, frac: xf } = sampleGrid(sw, dw, sw / dw)
  for (let y = 0; y < dh; y++) {
    const fy = ((y + 0.5) * sh) / dh - 0.5
    const y0 = Math.min(sh - 1, Math.max(0, Math.floor(fy)))
    const y1 = Math.min(sh - 1, y0 + 1)
    const ty = Math.min(1, Math.max(0, fy - y0))
    const r0 = y0 * sw
    const r1 = y1 * sw
    for (let x = 0; x < dw; x++) {
      const x0 = xi[x]
      const x1 = Math.min(sw - 1, x0 + 1)
      const tx = xf[x]
      const top = src[r0 + x0] + (src[r0 + x1] - src[r0 + x0]) * tx
      const bottom = src[r1 + x0] + (src[r1 + x1] - src[r1 + x0]) * tx
      dst[y * dw + x] = top + (bottom - top) * ty
    }
  }
  return dst
}

/** For each destination column: the left source column and the weight of the right one (`scale` source px per dest px). */
function sampleGrid(sourceSize: number, destSize: number, scale: number): { index: Int32Array; frac: Float32Array } {
  const index = new Int32Array(destSize)
  const frac = new Float32Array(destSize)
  for (let x = 0; x < destSize; x++) {
    const f = (x + 0.5) * scale - 0.5
    const i = Math.min(sourceSize - 1, Math.max(0, Math.floor(f)))
    index[x] = i
    frac[x] = Math.min(1, Math.max(0, f - i))
  }
  return { index, frac }
}

/** q = A·I + B at full size, A and B bilinearly upsampled a row at a time; clamped to 0..1. */
function applyLinearModel(
  meanA: Float32Array,
  meanB: Float32Array,
  w: number,
  h: number,
  guide: GuideImage,
  stride: number,
  s: number,
  out?: Float32Array
): Float32Array {
  const { width, height, data } = guide
  const q = out && out.length === width * height ? out : new Float32Array(width * height)
  const { index: xi, frac: xf } = sampleGrid(w, width, 1 / s)
  const rowA = new Float32Array(w)
  const rowB = new Float32Array(w)
  const inv255 = 1 / 255
  for (let y = 0; y < height; y++) {
    // Subsampled pixel centres sit at (k + 0.5)·s in guide pixels.
    const fy = (y + 0.5) / s - 0.5
    const y0 = Math.min(h - 1, Math.max(0, Math.floor(fy)))
    const y1 = Math.min(h - 1, y0 + 1)
    const ty = Math.min(1, Math.max(0, fy - y0))
    for (let x = 0; x < w; x++) {
      rowA[x] = meanA[y0 * w + x] + (meanA[y1 * w + x] - meanA[y0 * w + x]) * ty
      rowB[x] = meanB[y0 * w + x] + (meanB[y1 * w + x] - meanB[y0 * w + x]) * ty
    }
    const row = y * stride
    const o = y * width
    for (let x = 0; x < width; x++) {
      const x0 = xi[x]
      const x1 = x0 + 1 < w ? x0 + 1 : x0
      const tx = xf[x]
      const a = rowA[x0] + (rowA[x1] - rowA[x0]) * tx
      const b = rowB[x0] + (rowB[x1] - rowB[x0]) * tx
      const v = a * data[row + x] * inv255 + b
      q[o + x] = v < 0 ? 0 : v > 1 ? 1 : v
    }
  }
  return q
}
