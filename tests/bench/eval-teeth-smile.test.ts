import { describe, expect, it } from 'vitest'
import { binaryReport, cornerLift, mouthAppearance, teethWithAppearance } from '../../bench/eval-teeth-smile'
import type { Point, RgbaImage } from '../../src/shared/vision'
import { syntheticLandmarks } from '../core/audit/synthetic-face'

describe('binaryReport', () => {
  it('counts a photo without a face as a wrong answer on either side (hand-computed)', () => {
    const report = binaryReport([
      { label: true, predicted: true },
      { label: true, predicted: false },
      { label: true, predicted: null },
      { label: false, predicted: false },
      { label: false, predicted: true },
      { label: false, predicted: null },
      { label: false, predicted: false }
    ])
    expect(report.confusion).toEqual({ tp: 1, fp: 2, tn: 2, fn: 2, noFace: 2 })
    expect(report.images).toBe(7)
    expect(report.detected).toBe(5)
    expect(report.accuracy).toBeCloseTo(3 / 7)
    expect(report.falsePositiveRate).toBeCloseTo(2 / 4)
    expect(report.falseNegativeRate).toBeCloseTo(2 / 3)
  })
})

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

describe('mouthAppearance (teeth experiment)', () => {
  const points = syntheticLandmarks({ cx: 100, cy: 60, scale: 100, mouthGap: 0.05 })

  it('finds tooth-like pixels between the lips: white yes, dark mouth or tongue no', () => {
    const white = mouthAppearance(mouthImage(points, [235, 232, 225]), points)
    expect(white.innerPixels).toBeGreaterThan(50)
    expect(white.toothFraction).toBeGreaterThan(0.9)
    expect(mouthAppearance(mouthImage(points, [40, 20, 25]), points).toothFraction).toBeLessThan(0.05)
    expect(mouthAppearance(mouthImage(points, [200, 80, 90]), points).toothFraction).toBeLessThan(0.05)
  })

  it('adds teeth for a slightly open mouth only with tooth-like pixels', () => {
    expect(teethWithAppearance(0.05, { toothFraction: 0.6, innerPixels: 100 }, 0.09, 0.03, 0.3)).toBe(true)
    expect(teethWithAppearance(0.05, { toothFraction: 0.1, innerPixels: 100 }, 0.09, 0.03, 0.3)).toBe(false)
    expect(teethWithAppearance(0.01, { toothFraction: 0.9, innerPixels: 100 }, 0.09, 0.03, 0.3)).toBe(false)
    expect(teethWithAppearance(0.1, { toothFraction: 0, innerPixels: 0 }, 0.09, 0.03, 0.3)).toBe(true)
  })
})

describe('cornerLift (smile experiment)', () => {
  it('measures corner height above the inner upper lip over the mouth width, whatever the roll', () => {
    // Corners at y 0.55, inner upper lip (62) at 0.54, mouth width 0.6.
    expect(cornerLift(syntheticLandmarks({ cx: 100, cy: 100, scale: 50 }))).toBeCloseTo(-0.01 / 0.6, 6)
    const upright = syntheticLandmarks({ cx: 0, cy: 0, scale: 50, cornerLift: 0.1 })
    expect(cornerLift(upright)).toBeCloseTo(0.09 / 0.6, 6)
    const angle = (25 * Math.PI) / 180
    const rolled = upright.map(([x, y]): Point => [x * Math.cos(angle) - y * Math.sin(angle), x * Math.sin(angle) + y * Math.cos(angle)])
    expect(cornerLift(rolled)).toBeCloseTo(cornerLift(upright), 6)
  })
})
