import { describe, expect, it } from 'vitest'
import { MESH_TO_IBUG68, meshToIbug68 } from '../../../src/engine/ops/mesh-to-ibug68'

describe('meshToIbug68', () => {
  it('has one valid entry per iBUG point', () => {
    expect(MESH_TO_IBUG68).toHaveLength(68)
    for (const [a, b, w] of MESH_TO_IBUG68) {
      expect(a).toBeGreaterThanOrEqual(0)
      expect(a).toBeLessThan(468)
      expect(b).toBeGreaterThanOrEqual(0)
      expect(b).toBeLessThan(468)
      expect(w).toBeGreaterThanOrEqual(0)
      expect(w).toBeLessThanOrEqual(1)
    }
  })

  it('mixes the two mesh vertices by the weight', () => {
    // Vertex i sits at (i, 2i): a mix is the weighted mean of the indices.
    const mesh = Array.from({ length: 468 }, (_, i) => [i, 2 * i, 0])
    const points = meshToIbug68(mesh)
    MESH_TO_IBUG68.forEach(([a, b, w], i) => {
      expect(points[i][0]).toBeCloseTo(a * w + b * (1 - w), 9)
      expect(points[i][1]).toBeCloseTo(2 * (a * w + b * (1 - w)), 9)
    })
  })

  it('takes upper inner-lip points from the upper lip and lower from the lower, so MAR keeps its meaning', () => {
    const upperInnerLip = new Set([191, 80, 81, 82, 13, 312, 311, 310, 415])
    const lowerInnerLip = new Set([95, 88, 178, 87, 14, 317, 402, 318, 324])
    for (const i of [61, 62, 63]) expect(MESH_TO_IBUG68[i].slice(0, 2).every((v) => upperInnerLip.has(v))).toBe(true)
    for (const i of [65, 66, 67]) expect(MESH_TO_IBUG68[i].slice(0, 2).every((v) => lowerInnerLip.has(v))).toBe(true)
  })
})
