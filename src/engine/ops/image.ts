/**
 * Pure image → tensor sampling. Every model input (letterboxed detector input,
 * rotated face crops, segmenter input) goes through `cropToTensor`, so there is
 * one place that maps between image pixels and model pixels.
 */
import type { Box, Point, RgbaImage } from '../../shared/vision'

/** A (possibly rotated) rectangle in image pixels. `angle` is its rotation in the image, radians, clockwise in image coords. */
export interface Roi {
  cx: number
  cy: number
  width: number
  height: number
  angle: number
}

export interface TensorNorm {
  /** Subtracted from each 0..255 channel value (one value or per RGB channel). */
  mean: number | readonly [number, number, number]
  /** Multiplied after subtracting the mean. */
  scale: number
  /** One channel: the luma of the RGB value (BT.601). */
  grayscale?: boolean
}

/**
 * Samples `roi` of `image` into an NHWC float tensor of outHeight × outWidth × (1|3)
 * with bilinear interpolation. The ROI is un-rotated, so a tilted face comes out upright.
 * Pixels outside the image read as black (0) before normalisation.
 */
export function cropToTensor(
  image: RgbaImage,
  roi: Roi,
  outWidth: number,
  outHeight: number,
  norm: TensorNorm,
  out?: Float32Array
): Float32Array {
  const channels = norm.grayscale ? 1 : 3
  const size = outWidth * outHeight * channels
  const tensor = out && out.length === size ? out : new Float32Array(size)
  // Upright colour crops (the segmenter's whole frame, the detector's letterbox) are separable:
  // per-column and per-row taps computed once make them several times cheaper per frame.
  if (roi.angle === 0 && channels === 3) return uprightCropToTensor(image, roi, outWidth, outHeight, norm, tensor)
  return rotatedCropToTensor(image, roi, outWidth, outHeight, norm, tensor)
}

/** Bilinear taps along one axis: for each output index, the two source indices (clamped) and their weights (0 outside the image). */
function axisTaps(start: number, step: number, count: number, limit: number): { i0: Int32Array; i1: Int32Array; w0: Float32Array; w1: Float32Array } {
  const i0 = new Int32Array(count)
  const i1 = new Int32Array(count)
  const w0 = new Float32Array(count)
  const w1 = new Float32Array(count)
  for (let k = 0; k < count; k++) {
    const position = start + k * step
    const f = Math.floor(position)
    const a = position - f
    // A neighbour outside the image reads as black: weight 0 (its index is clamped so it is safe to read).
    w0[k] = f >= 0 && f < limit ? 1 - a : 0
    w1[k] = f + 1 >= 0 && f + 1 < limit ? a : 0
    i0[k] = Math.min(limit - 1, Math.max(0, f))
    i1[k] = Math.min(limit - 1, Math.max(0, f + 1))
  }
  return { i0, i1, w0, w1 }
}

function uprightCropToTensor(image: RgbaImage, roi: Roi, outWidth: number, outHeight: number, norm: TensorNorm, tensor: Float32Array): Float32Array {
  const [m0, m1, m2] = typeof norm.mean === 'number' ? [norm.mean, norm.mean, norm.mean] : norm.mean
  const { scale } = norm
  const { width: iw, height: ih } = image
  const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length)
  const sx = roi.width / outWidth
  const sy = roi.height / outHeight
  const xs = axisTaps(roi.cx + (0.5 - outWidth / 2) * sx - 0.5, sx, outWidth, iw)
  const ys = axisTaps(roi.cy + (0.5 - outHeight / 2) * sy - 0.5, sy, outHeight, ih)
  const { i0: xi0, i1: xi1, w0: xw0, w1: xw1 } = xs
  let o = 0
  for (let j = 0; j < outHeight; j++) {
    const row0 = (ys.i0[j] * iw) << 2
    const row1 = (ys.i1[j] * iw) << 2
    const wy0 = ys.w0[j]
    const wy1 = ys.w1[j]
    for (let i = 0; i < outWidth; i++) {
      const c0 = xi0[i] << 2
      const c1 = xi1[i] << 2
      const w00 = xw0[i] * wy0
      const w10 = xw1[i] * wy0
      const w01 = xw0[i] * wy1
      const w11 = xw1[i] * wy1
      const p00 = row0 + c0
      const p10 = row0 + c1
      const p01 = row1 + c0
      const p11 = row1 + c1
      tensor[o++] = (data[p00] * w00 + data[p10] * w10 + data[p01] * w01 + data[p11] * w11 - m0) * scale
      tensor[o++] = (data[p00 + 1] * w00 + data[p10 + 1] * w10 + data[p01 + 1] * w01 + data[p11 + 1] * w11 - m1) * scale
      tensor[o++] = (data[p00 + 2] * w00 + data[p10 + 2] * w10 + data[p01 + 2] * w01 + data[p11 + 2] * w11 - m2) * scale
    }
  }
  return tensor
}

function rotatedCropToTensor(image: RgbaImage, roi: Roi, outWidth: number, outHeight: number, norm: TensorNorm, tensor: Float32Array): Float32Array {
  const channels = norm.grayscale ? 1 : 3
  const [m0, m1, m2] = typeof norm.mean === 'number' ? [norm.mean, norm.mean, norm.mean] : norm.mean
  const { scale } = norm
  const { width: iw, height: ih } = image
  // One element type for the hot loop (a Buffer, a Uint8Array and a Uint8ClampedArray would make it polymorphic).
  const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length)
  const cos = Math.cos(roi.angle)
  const sin = Math.sin(roi.angle)
  // Step in image pixels for one output pixel along x and along y of the crop.
  const sx = roi.width / outWidth
  const sy = roi.height / outHeight
  const ux = cos * sx
  const uy = sin * sx
  const vx = -sin * sy
  const vy = cos * sy
  // Image position of the centre of output pixel (0, 0).
  const x0 = roi.cx + (0.5 - outWidth / 2) * ux + (0.5 - outHeight / 2) * vx - 0.5
  const y0 = roi.cy + (0.5 - outWidth / 2) * uy + (0.5 - outHeight / 2) * vy - 0.5
  let o = 0
  // Integer truncation (| 0) equals Math.floor for the non-negative positions of the inner case and
  // keeps the pixel index an int32 (a double index makes every typed-array read slower).
  const lastX = iw - 1
  const lastY = ih - 1
  for (let j = 0; j < outHeight; j++) {
    let x = x0 + j * vx
    let y = y0 + j * vy
    for (let i = 0; i < outWidth; i++, x += ux, y += uy) {
      if (channels === 3 && x >= 0 && y >= 0 && x < lastX && y < lastY) {
        // All four neighbours are in the image (most samples of a face crop): no bounds checks.
        const xf = x | 0
        const yf = y | 0
        const ax = x - xf
        const ay = y - yf
        const w00 = (1 - ax) * (1 - ay)
        const w10 = ax * (1 - ay)
        const w01 = (1 - ax) * ay
        const w11 = ax * ay
        const p00 = (yf * iw + xf) << 2
        const p01 = p00 + (iw << 2)
        tensor[o++] = (data[p00] * w00 + data[p00 + 4] * w10 + data[p01] * w01 + data[p01 + 4] * w11 - m0) * scale
        tensor[o++] = (data[p00 + 1] * w00 + data[p00 + 5] * w10 + data[p01 + 1] * w01 + data[p01 + 5] * w11 - m1) * scale
        tensor[o++] = (data[p00 + 2] * w00 + data[p00 + 6] * w10 + data[p01 + 2] * w01 + data[p01 + 6] * w11 - m2) * scale
        continue
      }
      let r = 0
      let g = 0
      let b = 0
      const xf = Math.floor(x)
      const yf = Math.floor(y)
      if (xf >= -1 && yf >= -1 && xf < iw && yf < ih) {
        const ax = x - xf
        const ay = y - yf
        // Bilinear weights of the four neighbours; missing neighbours contribute black.
        const w00 = (1 - ax) * (1 - ay)
        const w10 = ax * (1 - ay)
        const w01 = (1 - ax) * ay
        const w11 = ax * ay
        const inX0 = xf >= 0
        const inX1 = xf + 1 < iw
        const inY0 = yf >= 0
        const inY1 = yf + 1 < ih
        if (inY0) {
          const row = yf * iw
          if (inX0) {
            const p = (row + xf) * 4
            r += data[p] * w00
            g += data[p + 1] * w00
            b += data[p + 2] * w00
          }
          if (inX1) {
            const p = (row + xf + 1) * 4
            r += data[p] * w10
            g += data[p + 1] * w10
            b += data[p + 2] * w10
          }
        }
        if (inY1) {
          const row = (yf + 1) * iw
          if (inX0) {
            const p = (row + xf) * 4
            r += data[p] * w01
            g += data[p + 1] * w01
            b += data[p + 2] * w01
          }
          if (inX1) {
            const p = (row + xf + 1) * 4
            r += data[p] * w11
            g += data[p + 1] * w11
            b += data[p + 2] * w11
          }
        }
      }
      if (channels === 1) {
        tensor[o++] = (0.299 * r + 0.587 * g + 0.114 * b - m0) * scale
      } else {
        tensor[o++] = (r - m0) * scale
        tensor[o++] = (g - m1) * scale
        tensor[o++] = (b - m2) * scale
      }
    }
  }
  return tensor
}

/** Maps a point given in crop pixels (0..outWidth, 0..outHeight) back to image pixels. */
export function cropPointToImage(roi: Roi, outWidth: number, outHeight: number, x: number, y: number): Point {
  const dx = (x / outWidth - 0.5) * roi.width
  const dy = (y / outHeight - 0.5) * roi.height
  const cos = Math.cos(roi.angle)
  const sin = Math.sin(roi.angle)
  return [roi.cx + dx * cos - dy * sin, roi.cy + dx * sin + dy * cos]
}

/** Maps a point in image pixels into crop pixels (inverse of cropPointToImage). */
export function imagePointToCrop(roi: Roi, outWidth: number, outHeight: number, x: number, y: number): Point {
  const dx = x - roi.cx
  const dy = y - roi.cy
  const cos = Math.cos(roi.angle)
  const sin = Math.sin(roi.angle)
  return [((dx * cos + dy * sin) / roi.width + 0.5) * outWidth, ((-dx * sin + dy * cos) / roi.height + 0.5) * outHeight]
}

/** A square ROI centred on `box`, its side `scale` × the box's longer side, rotated by `angle`. */
export function squareRoiAround(box: Box, scale: number, angle = 0): Roi {
  const side = Math.max(box.width, box.height) * scale
  return { cx: box.x + box.width / 2, cy: box.y + box.height / 2, width: side, height: side, angle }
}

/** The square ROI that letterboxes the whole image (longer side fits, the rest is black padding). */
export function letterboxRoi(width: number, height: number): Roi {
  const side = Math.max(width, height)
  return { cx: width / 2, cy: height / 2, width: side, height: side, angle: 0 }
}

/** The ROI that stretches the whole image into the model input (no padding). */
export function fullImageRoi(width: number, height: number): Roi {
  return { cx: width / 2, cy: height / 2, width, height, angle: 0 }
}
