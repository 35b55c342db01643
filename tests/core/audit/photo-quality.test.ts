import { describe, expect, it } from 'vitest'
import {
  checkEyesOpen,
  checkHeadTilt,
  checkLighting,
  checkPosition,
  checkSharpness,
  measureLighting,
  measurePosition,
  measureSharpness,
  PHOTO_CHECK_THRESHOLDS
} from '../../../src/core/audit/photo-quality'
import type { Point, RgbaImage } from '../../../src/shared/vision'
import { syntheticLandmarks } from './synthetic-face'

function image(width: number, height: number, value: (x: number, y: number) => number): RgbaImage {
  const data = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = value(x, y)
      data.set([v, v, v, 255], (y * width + x) * 4)
    }
  }
  return { width, height, data }
}

function rotate(points: Point[], cx: number, cy: number, degrees: number): Point[] {
  const a = (degrees * Math.PI) / 180
  return points.map(([x, y]) => [cx + (x - cx) * Math.cos(a) - (y - cy) * Math.sin(a), cy + (x - cx) * Math.sin(a) + (y - cy) * Math.cos(a)])
}

const face = syntheticLandmarks({ cx: 200, cy: 210, scale: 100 })

describe('photo-quality measures', () => {
  it('lighting: exposure, contrast and side light of the face region', () => {
    const even = measureLighting(image(400, 400, () => 150), face)
    expect(even.exposure).toBeCloseTo(150, 6)
    expect(even.contrast).toBeCloseTo(0, 6)
    expect(even.sideLight).toBeCloseTo(0, 6)
    // Left half of the face (image x < 200) at 200, right half at 100: side light 100 / 150.
    const side = measureLighting(image(400, 400, (x) => (x < 200 ? 200 : 100)), face)
    expect(side.exposure).toBeCloseTo(150, 0)
    expect(side.sideLight).toBeCloseTo(2 / 3, 1)
    expect(side.contrast).toBeCloseTo(50, 0)
  })

  it('sharpness: fine detail scores high, the same detail blurred away scores low, flat scores 0', () => {
    const fine = measureSharpness(image(400, 400, (x, y) => ((x >> 1) + (y >> 1)) % 2 ? 200 : 60), face)
    const coarse = measureSharpness(image(400, 400, (x, y) => ((x >> 4) + (y >> 4)) % 2 ? 200 : 60), face)
    expect(fine).toBeGreaterThan(10 * coarse)
    expect(measureSharpness(image(400, 400, () => 128), face)).toBeCloseTo(0, 6)
    // Resolution-independent: the same pattern at twice the size, face twice as big.
    const big = syntheticLandmarks({ cx: 400, cy: 420, scale: 200 })
    const coarseBig = measureSharpness(image(800, 800, (x, y) => ((x >> 5) + (y >> 5)) % 2 ? 200 : 60), big)
    expect(coarseBig / coarse).toBeGreaterThan(0.6)
    expect(coarseBig / coarse).toBeLessThan(1.6)
  })

  it('position: offset from the circle centre and head room, in radii', () => {
    const centred = measurePosition(face, 400, 400)
    expect(centred.offCentre).toBeLessThan(0.05)
    expect(centred.headRoom).toBeGreaterThan(0)
    const high = measurePosition(syntheticLandmarks({ cx: 200, cy: 90, scale: 100 }), 400, 400)
    expect(high.headRoom).toBeLessThan(0)
    expect(high.offCentre).toBeGreaterThan(0.5)
  })
})

describe('photo-quality checks', () => {
  it('eyes open passes open eyes and fails closed ones', () => {
    expect(checkEyesOpen(face).pass).toBe(true)
    const closed = face.map((p, i): Point => (i >= 36 && i <= 47 ? [p[0], face[i < 42 ? 36 : 42][1]] : p))
    const check = checkEyesOpen(closed)
    expect(check.pass).toBe(false)
    expect(check.ear).toBeLessThan(PHOTO_CHECK_THRESHOLDS.minEar)
    expect(check.advice).toMatch(/closed/)
  })

  it('head tilt passes a few degrees and fails a strong roll, naming the side', () => {
    expect(checkHeadTilt(rotate(face, 200, 210, 5)).pass).toBe(true)
    const tilted = checkHeadTilt(rotate(face, 200, 210, 25))
    expect(tilted.pass).toBe(false)
    expect(tilted.rollDegrees).toBeCloseTo(25, 6)
    expect(tilted.advice).toMatch(/25° towards the right/)
  })

  it('lighting, sharpness and position each carry their own pass and advice', () => {
    const textured = (base: number) => image(400, 400, (x, y) => base + (((x >> 1) + (y >> 1)) % 2 ? 40 : -40))
    expect(checkLighting(textured(140), face).pass).toBe(true)
    expect(checkLighting(textured(45), face)).toMatchObject({ pass: false, advice: expect.stringMatching(/underexposed/) })
    expect(checkLighting(image(400, 400, (x) => (x < 200 ? 230 : 70)), face)).toMatchObject({ pass: false, advice: expect.stringMatching(/one side/) })
    expect(checkSharpness(textured(140), face).pass).toBe(true)
    expect(checkSharpness(image(400, 400, () => 128), face)).toMatchObject({ pass: false, advice: expect.stringMatching(/out of focus/) })
    expect(checkPosition(face, 400, 400).pass).toBe(true)
    expect(checkPosition(syntheticLandmarks({ cx: 200, cy: 90, scale: 100 }), 400, 400)).toMatchObject({ pass: false, advice: expect.stringMatching(/cut off/) })
  })
})
