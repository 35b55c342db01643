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

  it('known answers on a mesh whose vertex i sits at (i, 2i)', () => {
    const mesh = Array.from({ length: 468 }, (_, i) => [i, 2 * i, 0])
    const points = meshToIbug68(mesh)
    // Point 0 (jaw at the right ear) is 95% of vertex 127 and 5% of vertex 234: 120.65 + 11.7.
    expect(points[0][0]).toBeCloseTo(132.35, 9)
    expect(points[0][1]).toBeCloseTo(264.7, 9)
    // Point 8 (chin) is 85% of vertex 152 and 15% of 377; point 9 is vertex 400 alone.
    expect(points[8][0]).toBeCloseTo(185.75, 9)
    expect(points[9]).toEqual([400, 800])
  })

  it('takes upper inner-lip points from the upper lip and lower from the lower, so MAR keeps its meaning', () => {
    const upperInnerLip = new Set([191, 80, 81, 82, 13, 312, 311, 310, 415])
    const lowerInnerLip = new Set([95, 88, 178, 87, 14, 317, 402, 318, 324])
    for (const i of [61, 62, 63]) expect(MESH_TO_IBUG68[i].slice(0, 2).every((v) => upperInnerLip.has(v))).toBe(true)
    for (const i of [65, 66, 67]) expect(MESH_TO_IBUG68[i].slice(0, 2).every((v) => lowerInnerLip.has(v))).toBe(true)
  })
})
