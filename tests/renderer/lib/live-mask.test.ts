import { describe, expect, it } from 'vitest'
import { createLiveMask, rawMask } from '../../../src/renderer/src/lib/live-mask'
import type { FaceResult, Point, VisionResult } from '../../../src/shared/vision'

/** A face of radius r around (cx, cy): jaw 0..16 along the lower half circle, brows at mid height. */
function ringFace(cx: number, cy: number, r: number): FaceResult {
  const landmarks68: Point[] = Array.from({ length: 68 }, (_, i) => {
    if (i < 17) {
      const angle = Math.PI - (i / 16) * Math.PI
      return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)]
    }
    return [cx - r / 2 + ((i % 10) * r) / 10, cy - r / 4]
  })
  return {
    box: { x: cx - r, y: cy - r, width: 2 * r, height: 2 * r },
    boxNormalized: { x: 0, y: 0, width: 0, height: 0 },
    score: 1,
    landmarks68,
    mar: 0,
    ear: 0.3,
    rollDeg: 0
  }
}

function result(patch: Partial<VisionResult>): VisionResult {
  return { width: 384, height: 288, faces: [], timings: { detectMs: 0, landmarksMs: 0, expressionMs: 0, segmentMs: 0, totalMs: 0 }, ...patch }
}

const mean = (values: Float32Array): number => values.reduce((a, b) => a + b, 0) / values.length

describe('rawMask', () => {
  it('person mode uses the person mask, scaled to 0..1; none without one', () => {
    const mask = rawMask(result({ personMask: { width: 2, height: 1, data: Uint8Array.of(0, 255) } }), 'person', 192)
    expect(mask?.width).toBe(2)
    expect([...(mask?.values ?? [])]).toEqual([0, 1])
    expect(rawMask(result({}), 'person', 192)).toBeNull()
    expect(rawMask(result({ personMask: { width: 1, height: 1, data: Uint8Array.of(1) } }), 'off', 192)).toBeNull()
  })

  it('face mode fills each face outline at the reduced size; no faces = all background', () => {
    const mask = rawMask(result({ faces: [ringFace(192, 144, 60)] }), 'face', 192)!
    expect(mask.width).toBe(192)
    expect(mask.height).toBe(144)
    expect(mask.values[72 * 192 + 96]).toBe(1) // face centre
    expect(mask.values[5 * 192 + 5]).toBe(0) // corner
    expect(mean(rawMask(result({}), 'face', 192)!.values)).toBe(0)
  })
})

describe('live mask', () => {
  it('feathers the edge: values between 0 and 1 appear only near the outline', () => {
    const live = createLiveMask()
    const mask = live.update(result({ faces: [ringFace(192, 144, 60)] }), 'face', 0)!
    const partial = [...mask.values].filter((value) => value > 0.01 && value < 0.99).length
    expect(partial).toBeGreaterThan(0)
    expect(partial).toBeLessThan(mask.values.length / 10)
  })

  it('smooths over time: a mask that flips is followed gradually, faster for longer gaps', () => {
    const on = result({ personMask: { width: 4, height: 4, data: new Uint8Array(16).fill(255) } })
    const off = result({ personMask: { width: 4, height: 4, data: new Uint8Array(16) } })
    const live = createLiveMask()
    expect(mean(live.update(on, 'person', 0)!.values)).toBeCloseTo(1, 6)
    const after33 = mean(live.update(off, 'person', 33)!.values)
    expect(after33).toBeGreaterThan(0.5)
    expect(after33).toBeLessThan(0.75)
    live.reset()
    live.update(on, 'person', 0)
    expect(mean(live.update(off, 'person', 300)!.values)).toBeLessThan(0.05)
  })

  it('reset starts from the next mask as it is', () => {
    const live = createLiveMask()
    live.update(result({ personMask: { width: 2, height: 2, data: new Uint8Array(4).fill(255) } }), 'person', 0)
    live.reset()
    const fresh = live.update(result({ personMask: { width: 2, height: 2, data: new Uint8Array(4) } }), 'person', 10)!
    expect(mean(fresh.values)).toBe(0)
  })
})
