import { describe, expect, it } from 'vitest'
import { planFixCrop } from '../../../src/core/audit/fix-crop'
import { FIX_MIN_SIZE } from '../../../src/shared/audit'
import { SmilecamError } from '../../../src/shared/errors'
import { faceAreaRatio, faceOutline, pointsInsideCircle } from '../../../src/shared/face-geometry'
import type { Point } from '../../../src/shared/vision'
import { syntheticLandmarks } from './synthetic-face'

function outlineAt(cx: number, cy: number, scale: number): Point[] {
  return faceOutline(syntheticLandmarks({ cx, cy, scale }))
}

/** The outline in the coordinates of the written square. */
function inCrop(outline: readonly Point[], crop: ReturnType<typeof planFixCrop>): Point[] {
  const k = crop.outputSize / crop.side
  return outline.map(([x, y]) => [(x - crop.x) * k, (y - crop.y) * k])
}

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return error instanceof SmilecamError ? error.code : 'not typed'
  }
  return undefined
}

describe('planFixCrop', () => {
  it('crops a small face in a big photo so it fills 35-45 % of the circle, inside it, with head room', () => {
    const outline = outlineAt(1200, 640, 260)
    const crop = planFixCrop(outline, 1920, 1280)
    expect(crop.outputSize).toBe(800)
    expect(crop.upscaled).toBe(false)
    expect(crop.side).toBeGreaterThanOrEqual(800)
    const fixed = inCrop(outline, crop)
    const ratio = faceAreaRatio(fixed, crop.outputSize, crop.outputSize)
    expect(ratio).toBeGreaterThanOrEqual(0.35)
    expect(ratio).toBeLessThanOrEqual(0.45)
    expect(crop.faceAreaRatio).toBeCloseTo(ratio, 2)
    const r = crop.outputSize / 2
    expect(pointsInsideCircle(fixed, { cx: r, cy: r, r: r * 0.97 })).toBe(true)
    // Head room: more space above the face than below it.
    const ys = fixed.map((p) => p[1])
    expect(Math.min(...ys)).toBeGreaterThan(crop.outputSize - Math.max(...ys))
  })

  it('keeps the crop inside the photo when the face is near a side', () => {
    const outline = outlineAt(260, 600, 150)
    const crop = planFixCrop(outline, 2000, 1200)
    expect(crop.x).toBeGreaterThanOrEqual(0)
    expect(crop.y).toBeGreaterThanOrEqual(0)
    expect(crop.x + crop.side).toBeLessThanOrEqual(2000)
    expect(crop.y + crop.side).toBeLessThanOrEqual(1200)
    expect(pointsInsideCircle(inCrop(outline, crop), { cx: crop.outputSize / 2, cy: crop.outputSize / 2, r: crop.outputSize / 2 })).toBe(true)
  })

  it('writes at the source size instead of upscaling, and says so', () => {
    const outline = outlineAt(600, 450, 150)
    const crop = planFixCrop(outline, 1200, 900)
    expect(crop.side).toBeGreaterThanOrEqual(FIX_MIN_SIZE)
    expect(crop.side).toBeLessThan(800)
    expect(crop.outputSize).toBe(crop.side)
    expect(crop.upscaled).toBe(false)
    expect(crop.notes.join(' ')).toMatch(/rather than upscaled/)
  })

  it('upscales up to 2× to reach 400 px, saying so, and refuses below that', () => {
    const small = planFixCrop(outlineAt(300, 300, 80), 600, 600)
    expect(small.side).toBeLessThan(FIX_MIN_SIZE)
    expect(small.outputSize).toBe(FIX_MIN_SIZE)
    expect(small.upscaled).toBe(true)
    expect(small.notes.join(' ')).toMatch(/upscaled/)
    expect(errorCode(() => planFixCrop(outlineAt(300, 300, 20), 600, 600))).toBe('RESOLUTION_TOO_LOW')
  })

  it('honours --size and rejects sizes below 400', () => {
    expect(planFixCrop(outlineAt(1200, 640, 260), 1920, 1280, { size: 500 }).outputSize).toBe(500)
    expect(errorCode(() => planFixCrop(outlineAt(1200, 640, 260), 1920, 1280, { size: 300 }))).toBe('INVALID_INPUT')
    expect(errorCode(() => planFixCrop(outlineAt(1200, 640, 260), 1920, 1280, { size: 640.5 }))).toBe('INVALID_INPUT')
  })

  it('refuses a face cut off by the edge, or too close to it to fit the circle', () => {
    expect(errorCode(() => planFixCrop(outlineAt(1000, 1150, 200), 1920, 1280))).toBe('FACE_CUT_OFF')
    // Jaw inside, but the forehead runs off the top: no crop can keep it in the circle.
    expect(errorCode(() => planFixCrop(outlineAt(900, 140, 200), 1920, 1280))).toBe('FACE_CUT_OFF')
  })

  it('uses the whole short side when the face is already big', () => {
    const crop = planFixCrop(outlineAt(500, 540, 330), 1000, 1000)
    expect(crop.side).toBe(1000)
    expect(crop.faceAreaRatio).toBeGreaterThan(0.45)
    expect(crop.notes.join(' ')).toMatch(/already large/)
  })
})
