import { describe, expect, it } from 'vitest'
import {
  circleCrop,
  eyeAspectRatio,
  faceAreaRatio,
  faceOutline,
  mouthAspectRatio,
  pointsInsideCircle,
  polygonArea,
  rollDegrees
} from '../../src/shared/face-geometry'
import type { Point } from '../../src/shared/vision'

/** 68 points all at the origin, with the ones a test cares about set explicitly. */
function landmarks(set: Record<number, Point>): Point[] {
  return Array.from({ length: 68 }, (_, i) => set[i] ?? [0, 0])
}

describe('mouthAspectRatio', () => {
  it('is the mean inner-lip gap over the mouth width', () => {
    // Mouth 40 px wide; inner gaps 4, 6, 2 px -> (4 + 6 + 2) / (3 * 40) = 0.1
    const p = landmarks({
      48: [0, 0],
      54: [40, 0],
      61: [10, -2],
      67: [10, 2],
      62: [20, -3],
      66: [20, 3],
      63: [30, -1],
      65: [30, 1]
    })
    expect(mouthAspectRatio(p)).toBeCloseTo(0.1, 10)
  })

  it('is 0 for closed lips and for a degenerate mouth', () => {
    expect(mouthAspectRatio(landmarks({ 48: [0, 0], 54: [40, 0] }))).toBe(0)
    expect(mouthAspectRatio(landmarks({}))).toBe(0)
  })
})

describe('eyeAspectRatio', () => {
  it('averages both eyes', () => {
    // Right eye 30 wide, 6 tall -> 0.2; left eye 30 wide, 12 tall -> 0.4; mean 0.3.
    const p = landmarks({
      36: [0, 0], 37: [10, -3], 38: [20, -3], 39: [30, 0], 40: [20, 3], 41: [10, 3],
      42: [50, 0], 43: [60, -6], 44: [70, -6], 45: [80, 0], 46: [70, 6], 47: [60, 6]
    })
    expect(eyeAspectRatio(p)).toBeCloseTo(0.3, 10)
  })
})

describe('rollDegrees', () => {
  it('is 0 for level eyes and 45 for a diagonal eye line', () => {
    expect(rollDegrees(landmarks({ 36: [0, 0], 45: [10, 0] }))).toBe(0)
    expect(rollDegrees(landmarks({ 36: [0, 0], 45: [10, 10] }))).toBeCloseTo(45, 10)
  })
})

describe('polygonArea', () => {
  it('computes rectangles and triangles in either winding', () => {
    expect(polygonArea([[0, 0], [4, 0], [4, 3], [0, 3]])).toBe(12)
    expect(polygonArea([[0, 3], [4, 3], [4, 0], [0, 0]])).toBe(12)
    expect(polygonArea([[0, 0], [10, 0], [0, 5]])).toBe(25)
  })
})

describe('circle crop', () => {
  it('is centred with radius min(w, h) / 2', () => {
    expect(circleCrop(800, 600)).toEqual({ cx: 400, cy: 300, r: 300 })
  })

  it('faceAreaRatio divides by the circle area', () => {
    // A 100x100 square in a 200x200 image: 10000 / (pi * 100^2) = 1/pi.
    const square: Point[] = [[50, 50], [150, 50], [150, 150], [50, 150]]
    expect(faceAreaRatio(square, 200, 200)).toBeCloseTo(1 / Math.PI, 10)
  })

  it('pointsInsideCircle checks every point', () => {
    const circle = circleCrop(200, 200)
    expect(pointsInsideCircle([[100, 100], [100, 1]], circle)).toBe(true)
    expect(pointsInsideCircle([[100, 100], [1, 1]], circle)).toBe(false)
  })
})

describe('faceOutline', () => {
  // An upright synthetic face: jaw a half-ellipse below y=100, brows at y=80, chin at (100, 200).
  const jaw: Point[] = Array.from({ length: 17 }, (_, i) => {
    const t = Math.PI * (i / 16)
    return [100 - 60 * Math.cos(t), 100 + 100 * Math.sin(t)]
  })
  const brows: Point[] = Array.from({ length: 10 }, (_, i) => [55 + i * 10, 80])
  const p = landmarks(Object.fromEntries([...jaw, ...brows].map((q, i) => [i, q])))

  it('starts with the jaw and closes over a forehead above the brows', () => {
    const outline = faceOutline(p)
    expect(outline.slice(0, 17)).toEqual(jaw)
    const top = Math.min(...outline.map((q) => q[1]))
    // Facial thirds: hairline-to-brow is as tall as brow-to-nose and nose-to-chin, i.e. half the
    // brow-to-chin height (200 - 80 = 120 px): the outline's top is 60 px above the brows.
    expect(top).toBeCloseTo(20, 0)
    expect(outline.every((q) => q[0] >= 39.99 && q[0] <= 160.01)).toBe(true)
  })

  it('has an area between the jaw-only polygon and the bounding box', () => {
    const area = polygonArea(faceOutline(p))
    expect(area).toBeGreaterThan(polygonArea(jaw))
    expect(area).toBeLessThan(120 * (200 - 20))
  })
})
