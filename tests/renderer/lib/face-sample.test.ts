import { describe, expect, it } from 'vitest'
import { createFaceSampler, landmarkMotion, mainFace } from '../../../src/renderer/src/lib/face-sample'
import type { FaceResult, Point, VisionResult } from '../../../src/shared/vision'

function face(x: number, y: number, size: number, shift = 0, extra: Partial<FaceResult> = {}): FaceResult {
  const landmarks68: Point[] = Array.from({ length: 68 }, (_, i) => [x + (i % 10) * (size / 10) + shift, y + Math.floor(i / 10) * (size / 8)])
  return {
    box: { x, y, width: size, height: size },
    boxNormalized: { x: 0, y: 0, width: 0, height: 0 },
    score: 0.9,
    landmarks68,
    mar: 0.12,
    ear: 0.27,
    rollDeg: 0,
    smile: 0.8,
    ...extra
  }
}

function result(faces: FaceResult[]): VisionResult {
  return { width: 400, height: 300, faces, timings: { detectMs: 1, landmarksMs: 1, expressionMs: 1, segmentMs: 0, totalMs: 3 } }
}

describe('mainFace', () => {
  it('picks the largest box whatever the order', () => {
    const small = face(0, 0, 20)
    const large = face(100, 100, 80)
    expect(mainFace([small, large])).toBe(large)
    expect(mainFace([])).toBeNull()
  })
})

describe('landmarkMotion', () => {
  it('mean displacement over the diagonal', () => {
    const a: Point[] = [
      [0, 0],
      [10, 0]
    ]
    const b: Point[] = [
      [3, 4],
      [10, 0]
    ]
    expect(landmarkMotion(a, b, 10)).toBeCloseTo(0.25, 10)
    expect(landmarkMotion(null, b, 10)).toBeNull()
    expect(landmarkMotion(a, [[0, 0]], 10)).toBeNull()
  })
})

describe('face sampler', () => {
  it('summarises the main face, with motion from the previous result', () => {
    const sampler = createFaceSampler()
    const first = sampler.sample(result([face(100, 100, 100)]))
    expect(first).toMatchObject({ mar: 0.12, ear: 0.27, smile: 0.8, motion: 0 })
    expect(first?.boxAreaFraction).toBeCloseTo(10_000 / 120_000, 10)
    const second = sampler.sample(result([face(100, 100, 100, 2)]))
    expect(second?.motion).toBeCloseTo(2 / Math.hypot(100, 100), 6)
  })

  it('a jump to another face resets motion, no face returns null', () => {
    const sampler = createFaceSampler()
    sampler.sample(result([face(0, 0, 50)]))
    expect(sampler.sample(result([face(300, 200, 50)]))?.motion).toBe(0)
    expect(sampler.sample(result([]))).toBeNull()
  })
})
