import { describe, expect, it } from 'vitest'
import { artworkSvg, eyeCentres, FACE_FILTERS, FILTER_ARTWORK, placeFilter, placeFilterOnFaces } from '../../src/shared/face-filters'
import { featureBoxes } from '../../src/shared/feature-boxes'
import type { Point } from '../../src/shared/vision'
import { syntheticLandmarks } from '../core/audit/synthetic-face'

/** Synthetic landmarks rotated by `degrees` (clockwise on screen) about the face centre. */
function face(cx: number, cy: number, scale: number, degrees = 0): Point[] {
  const a = (degrees * Math.PI) / 180
  return syntheticLandmarks({ cx, cy, scale }).map(([x, y]): Point => {
    const dx = x - cx
    const dy = y - cy
    return [cx + dx * Math.cos(a) - dy * Math.sin(a), cy + dx * Math.sin(a) + dy * Math.cos(a)]
  })
}

describe('placeFilter', () => {
  it('centres the sunglasses between the eyes, scaled to the eye distance, level on a level face', () => {
    const p = face(300, 260, 100)
    const [l, r] = eyeCentres(p)
    expect(l).toEqual([260, 260 - 25])
    const s = placeFilter('sunglasses', p)
    expect(s.cx).toBeCloseTo(300, 6)
    expect(s.cy).toBeCloseTo(235, 6)
    expect(s.angle).toBeCloseTo(0, 9)
    expect(s.width).toBeCloseTo(FILTER_ARTWORK.sunglasses.widthPerEyeDistance * (r[0] - l[0]), 6)
    expect(s.height / s.width).toBeCloseTo(FILTER_ARTWORK.sunglasses.viewHeight / FILTER_ARTWORK.sunglasses.viewWidth, 9)
  })

  it('rotates with the head roll and scales with the face', () => {
    const level = placeFilter('sunglasses', face(300, 260, 100))
    const tilted = placeFilter('sunglasses', face(300, 260, 200, 20))
    expect((tilted.angle * 180) / Math.PI).toBeCloseTo(20, 6)
    expect(tilted.width).toBeCloseTo(2 * level.width, 6)
    // The eye midpoint rotates with the face: (0, -0.25·scale) from the centre, turned 20°.
    const a = (20 * Math.PI) / 180
    expect(tilted.cx).toBeCloseTo(300 + 50 * Math.sin(a), 6)
    expect(tilted.cy).toBeCloseTo(260 - 50 * Math.cos(a), 6)
  })

  it('puts the moustache between nose and lip and the hat above the brows, along the tilted "up"', () => {
    const p = face(300, 260, 100)
    const m = placeFilter('moustache', p)
    expect(m.cx).toBeCloseTo(300, 6)
    expect(m.cy).toBeGreaterThan(p[33][1])
    expect(m.cy).toBeLessThan(p[51][1])
    const hat = placeFilter('partyHat', p)
    expect(hat.cx).toBeCloseTo(300, 6)
    // The brim (bottom of the artwork) is 0.42 brow-to-chin heights (1.45 × scale here) above the brows.
    expect(hat.cy + hat.height / 2).toBeCloseTo(p[19][1] - 0.42 * 145, 6)
    const tilted = placeFilter('partyHat', face(300, 260, 100, 30))
    expect(tilted.cx).toBeGreaterThan(300 + 50) // leans right with a head rolled clockwise
    expect((tilted.angle * 180) / Math.PI).toBeCloseTo(30, 6)
  })

  it('places a filter on every face and skips faces without 68 points', () => {
    const placements = placeFilterOnFaces('moustache', [{ landmarks68: face(100, 100, 40) }, { landmarks68: [] }, { landmarks68: face(400, 120, 60) }])
    expect(placements.map((q) => Math.round(q.cx))).toEqual([100, 400])
  })

  it('ships standalone transparent SVG artwork for every filter', () => {
    for (const filter of FACE_FILTERS) {
      const svg = artworkSvg(filter)
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
      expect(svg).not.toMatch(/<rect[^>]*width="100%"/) // no opaque background
    }
  })
})

describe('featureBoxes', () => {
  it('boxes the eyes, nose and mouth, each around its own points', () => {
    const p = face(300, 260, 100)
    const boxes = featureBoxes(p)
    expect(boxes.map((b) => b.label)).toEqual(['left eye', 'right eye', 'nose', 'mouth'])
    const inside = (q: Point, b: (typeof boxes)[number]['box']): boolean => q[0] >= b.x && q[0] <= b.x + b.width && q[1] >= b.y && q[1] <= b.y + b.height
    for (let i = 36; i <= 41; i++) expect(inside(p[i], boxes[0].box)).toBe(true)
    for (let i = 42; i <= 47; i++) expect(inside(p[i], boxes[1].box)).toBe(true)
    for (let i = 48; i <= 67; i++) expect(inside(p[i], boxes[3].box)).toBe(true)
    expect(inside(p[30], boxes[2].box)).toBe(true)
    // Left and right eye boxes do not overlap; the mouth is below the nose.
    expect(boxes[0].box.x + boxes[0].box.width).toBeLessThan(boxes[1].box.x)
    expect(boxes[3].box.y).toBeGreaterThan(p[33][1] - 1)
    expect(featureBoxes([])).toEqual([])
  })
})
