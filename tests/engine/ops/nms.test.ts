import { describe, expect, it } from 'vitest'
import { intersectionOverUnion, weightedNms, type ScoredBox } from '../../../src/engine/ops/nms'

const box = (x: number, y: number, size: number, score: number, point: [number, number] = [x, y]): ScoredBox => ({
  box: { x, y, width: size, height: size },
  score,
  points: [point]
})

describe('intersectionOverUnion', () => {
  it('is 1 for equal boxes, 0 for disjoint ones, and the overlap ratio otherwise', () => {
    expect(intersectionOverUnion({ x: 0, y: 0, width: 2, height: 2 }, { x: 0, y: 0, width: 2, height: 2 })).toBe(1)
    expect(intersectionOverUnion({ x: 0, y: 0, width: 1, height: 1 }, { x: 2, y: 2, width: 1, height: 1 })).toBe(0)
    expect(intersectionOverUnion({ x: 0, y: 0, width: 2, height: 2 }, { x: 1, y: 0, width: 2, height: 2 })).toBeCloseTo(2 / 6)
  })
})

describe('weightedNms', () => {
  it('merges overlapping boxes into their score-weighted mean and keeps the best score', () => {
    const merged = weightedNms([box(0, 0, 10, 0.6, [2, 2]), box(1, 1, 10, 0.9, [4, 4]), box(50, 50, 10, 0.7)], 0.3, 10)
    expect(merged).toHaveLength(2)
    expect(merged[0].score).toBe(0.9)
    expect(merged[0].box.x).toBeCloseTo((0 * 0.6 + 1 * 0.9) / 1.5)
    expect(merged[0].box.width).toBeCloseTo(10)
    expect(merged[0].points[0][0]).toBeCloseTo((2 * 0.6 + 4 * 0.9) / 1.5)
    expect(merged[1]).toEqual(box(50, 50, 10, 0.7))
  })

  it('keeps boxes whose overlap is at or below the threshold, best first, up to maxResults', () => {
    const candidates = [box(0, 0, 10, 0.5), box(8, 0, 10, 0.8), box(30, 0, 10, 0.6)]
    expect(weightedNms(candidates, 0.3, 10).map((c) => c.score)).toEqual([0.8, 0.6, 0.5])
    expect(weightedNms(candidates, 0.3, 2).map((c) => c.score)).toEqual([0.8, 0.6])
    expect(weightedNms([], 0.3, 2)).toEqual([])
  })

  it('does not modify its input', () => {
    const candidates = [box(0, 0, 10, 0.6), box(1, 1, 10, 0.9)]
    const copy = structuredClone(candidates)
    weightedNms(candidates, 0.3, 10)
    expect(candidates).toEqual(copy)
  })
})
