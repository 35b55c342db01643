/**
 * Inner-mouth appearance: what the pixels between the inner lips look like, compared with the
 * lips around them. Teeth are brighter and less saturated than lips; a dark open mouth, a
 * tongue or lips pressed together are not.
 */
import { fillPolygonInto } from '../../shared/polygon'
import type { InnerMouthAppearance, Point, RgbaImage } from '../../shared/vision'

/** Lightness gain over the lips' median that a tooth pixel needs (0..255 scale). */
export const TOOTH_LIGHTNESS_GAIN = 25
/** A tooth pixel's saturation is at most this share of the lips' median saturation. */
export const TOOTH_SATURATION_SHARE = 0.75

/** HSL lightness 0..255. */
export function pixelLightness(r: number, g: number, b: number): number {
  return (Math.max(r, g, b) + Math.min(r, g, b)) / 2
}

/** HSV saturation 0..1: teeth are near grey or white, lips are red. */
export function pixelSaturation(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b)
  return max === 0 ? 0 : (max - Math.min(r, g, b)) / max
}

function median(values: number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/**
 * Samples the inner-lip polygon (68-point indices 60-67) and the lip ring (outer lips 48-59
 * minus the inner polygon) of `image`, and returns the share of inner pixels that look like
 * teeth: lightness >= lip median + TOOTH_LIGHTNESS_GAIN and saturation <=
 * lip median * TOOTH_SATURATION_SHARE.
 */
export function innerMouthAppearance(image: RgbaImage, points: readonly Point[]): InnerMouthAppearance {
  const outer = points.slice(48, 60)
  const inner = points.slice(60, 68)
  const xs = outer.map((q) => q[0])
  const ys = outer.map((q) => q[1])
  const left = Math.max(0, Math.floor(Math.min(...xs)))
  const top = Math.max(0, Math.floor(Math.min(...ys)))
  const width = Math.min(image.width, Math.ceil(Math.max(...xs)) + 1) - left
  const height = Math.min(image.height, Math.ceil(Math.max(...ys)) + 1) - top
  if (!(width > 0 && height > 0)) return { toothFraction: 0, innerPixels: 0 }
  const shift = (q: Point): Point => [q[0] - left, q[1] - top]
  const outerMask = fillPolygonInto(new Uint8Array(width * height), outer.map(shift), width, height, 1)
  const innerMask = fillPolygonInto(new Uint8Array(width * height), inner.map(shift), width, height, 1)
  const lipLightness: number[] = []
  const lipSaturation: number[] = []
  const innerPixels: [lightness: number, saturation: number][] = []
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const m = y * width + x
      if (!outerMask[m] && !innerMask[m]) continue
      const i = ((top + y) * image.width + left + x) * 4
      const r = image.data[i]
      const g = image.data[i + 1]
      const b = image.data[i + 2]
      if (innerMask[m]) innerPixels.push([pixelLightness(r, g, b), pixelSaturation(r, g, b)])
      else {
        lipLightness.push(pixelLightness(r, g, b))
        lipSaturation.push(pixelSaturation(r, g, b))
      }
    }
  }
  if (innerPixels.length === 0) return { toothFraction: 0, innerPixels: 0 }
  const minLightness = median(lipLightness) + TOOTH_LIGHTNESS_GAIN
  const maxSaturation = median(lipSaturation) * TOOTH_SATURATION_SHARE
  const toothLike = innerPixels.filter(([l, s]) => l >= minLightness && s <= maxSaturation).length
  return { toothFraction: toothLike / innerPixels.length, innerPixels: innerPixels.length }
}
