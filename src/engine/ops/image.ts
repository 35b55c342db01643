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
  const [m0, m1, m2] = typeof norm.mean === 'number' ? [norm.mean, norm.mean, norm.mean] : norm.mean
  const { scale } = norm
  const { width: iw, height: ih, data } = image
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
  for (let j = 0; j < outHeight; j++) {
    let x = x0 + j * vx
    let y = y0 + j * vy
    for (let i = 0; i < outWidth; i++, x += ux, y += uy) {
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
