/**
 * BT.601 conversions between the camera's YUV 4:2:0 planes and RGBA (what the engine reads and
 * what replacement backgrounds are drawn in). Limited ("TV") range unless the stream says
 * XCOLORRANGE=FULL, as ffmpeg writes it.
 */
import type { RgbaImage } from '../../shared/vision'
import { chromaSize, type Yuv420Frame } from './y4m'

export type YuvRange = 'limited' | 'full'

/** The range a y4m stream's X parameters declare. */
export function rangeOfExtensions(extensions: readonly string[]): YuvRange {
  return extensions.some((x) => x.toUpperCase() === 'COLORRANGE=FULL') ? 'full' : 'limited'
}

interface Coefficients {
  yOffset: number
  yScale: number
  rv: number
  gu: number
  gv: number
  bu: number
}

const TO_RGB: Record<YuvRange, Coefficients> = {
  limited: { yOffset: 16, yScale: 255 / 219, rv: 1.596, gu: -0.392, gv: -0.813, bu: 2.017 },
  full: { yOffset: 0, yScale: 1, rv: 1.402, gu: -0.344136, gv: -0.714136, bu: 1.772 }
}

/**
 * The frame as RGBA at outWidth × outHeight (a downscaled copy for the engine): luma sampled
 * bilinearly, chroma at the nearest chroma sample.
 */
export function yuv420ToRgba(frame: Yuv420Frame, outWidth: number, outHeight: number, range: YuvRange = 'limited'): RgbaImage {
  const { width, height, y: yPlane, u: uPlane, v: vPlane } = frame
  const cw = chromaSize(width, height).width
  const k = TO_RGB[range]
  const data = new Uint8ClampedArray(outWidth * outHeight * 4)
  const sx = width / outWidth
  const sy = height / outHeight
  let o = 0
  for (let j = 0; j < outHeight; j++) {
    const fy = Math.min(height - 1, Math.max(0, (j + 0.5) * sy - 0.5))
    const y0 = Math.floor(fy)
    const y1 = Math.min(height - 1, y0 + 1)
    const ty = fy - y0
    const crow = Math.min(chromaSize(width, height).height - 1, Math.floor(((j + 0.5) * sy) / 2)) * cw
    for (let i = 0; i < outWidth; i++) {
      const fx = Math.min(width - 1, Math.max(0, (i + 0.5) * sx - 0.5))
      const x0 = Math.floor(fx)
      const x1 = Math.min(width - 1, x0 + 1)
      const tx = fx - x0
      const top = yPlane[y0 * width + x0] + (yPlane[y0 * width + x1] - yPlane[y0 * width + x0]) * tx
      const bottom = yPlane[y1 * width + x0] + (yPlane[y1 * width + x1] - yPlane[y1 * width + x0]) * tx
      const luma = (top + (bottom - top) * ty - k.yOffset) * k.yScale
      const c = crow + Math.min(cw - 1, Math.floor(((i + 0.5) * sx) / 2))
      const u = uPlane[c] - 128
      const v = vPlane[c] - 128
      data[o++] = luma + k.rv * v
      data[o++] = luma + k.gu * u + k.gv * v
      data[o++] = luma + k.bu * u
      data[o++] = 255
    }
  }
  return { width: outWidth, height: outHeight, data }
}

/** RGBA (width × height) to 4:2:0 planes, chroma averaged over each 2×2 block. */
export function rgbaToYuv420(rgba: ArrayLike<number>, width: number, height: number, range: YuvRange = 'limited'): Yuv420Frame {
  const c = chromaSize(width, height)
  const y = new Uint8Array(width * height)
  const u = new Uint8Array(c.width * c.height)
  const v = new Uint8Array(c.width * c.height)
  const [yScale, yOffset, cScale] = range === 'limited' ? [219 / 255, 16, 224 / 255] : [1, 0, 1]
  for (let p = 0, o = 0; p < width * height; p++, o += 4) {
    y[p] = Math.round(yOffset + yScale * (0.299 * rgba[o] + 0.587 * rgba[o + 1] + 0.114 * rgba[o + 2]))
  }
  for (let cy = 0; cy < c.height; cy++) {
    for (let cx = 0; cx < c.width; cx++) {
      let r = 0
      let g = 0
      let b = 0
      let n = 0
      for (let dy = 0; dy < 2; dy++) {
        const py = 2 * cy + dy
        if (py >= height) continue
        for (let dx = 0; dx < 2; dx++) {
          const px = 2 * cx + dx
          if (px >= width) continue
          const o = (py * width + px) * 4
          r += rgba[o]
          g += rgba[o + 1]
          b += rgba[o + 2]
          n++
        }
      }
      r /= n
      g /= n
      b /= n
      u[cy * c.width + cx] = Math.round(128 + cScale * (-0.168736 * r - 0.331264 * g + 0.5 * b))
      v[cy * c.width + cx] = Math.round(128 + cScale * (0.5 * r - 0.418688 * g - 0.081312 * b))
    }
  }
  return { width, height, y, u, v }
}
