import { describe, expect, it } from 'vitest'
import { MESH_TO_IBUG68, meshToIbug68 } from '../../../../src/main/vision/ops/mesh-to-ibug68'

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

  it('keeps the left/right structure of the layout on a mirrored-symmetric mesh', () => {
    // Uses the canonical facts: eye corners 36 (subject right) and 45 (subject left), mouth corners 48 and 54.
    const [r36] = MESH_TO_IBUG68[36]
    const [l45] = MESH_TO_IBUG68[45]
    expect(r36).toBe(33)
    expect(l45).toBe(263)
    expect(MESH_TO_IBUG68[48][0]).toBe(61)
    expect(MESH_TO_IBUG68[54][0]).toBe(291)
  })
})
