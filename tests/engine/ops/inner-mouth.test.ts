import { describe, expect, it } from 'vitest'
import { innerMouthAppearance } from '../../../src/engine/ops/inner-mouth'
import type { Point, RgbaImage } from '../../../src/shared/vision'
import { syntheticLandmarks } from '../../core/audit/synthetic-face'

/** Paints a synthetic mouth: skin everywhere, red lips, and `inner` inside the inner-lip polygon. */
function mouthImage(points: Point[], inner: [number, number, number]): RgbaImage {
  const width = 200
  const height = 200
  const data = new Uint8Array(width * height * 4)
  const insidePolygon = (poly: Point[], x: number, y: number): boolean => {
    let inside = false
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i]
      const [xj, yj] = poly[j]
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
    }
    return inside
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let colour: [number, number, number] = [220, 170, 140]
      if (insidePolygon(points.slice(48, 60), x + 0.5, y + 0.5)) colour = [170, 60, 70]
      if (insidePolygon(points.slice(60, 68), x + 0.5, y + 0.5)) colour = inner
      data.set([...colour, 255], (y * width + x) * 4)
    }
  }
  return { width, height, data }
}

describe('innerMouthAppearance', () => {
  const points = syntheticLandmarks({ cx: 100, cy: 60, scale: 100, mouthGap: 0.05 })

  it('finds tooth-like pixels between the lips: white yes, dark mouth or tongue no', () => {
    const white = innerMouthAppearance(mouthImage(points, [235, 232, 225]), points)
    expect(white.innerPixels).toBeGreaterThan(50)
    expect(white.toothFraction).toBeGreaterThan(0.9)
    expect(innerMouthAppearance(mouthImage(points, [40, 20, 25]), points).toothFraction).toBeLessThan(0.05)
    expect(innerMouthAppearance(mouthImage(points, [200, 80, 90]), points).toothFraction).toBeLessThan(0.05)
  })
})
