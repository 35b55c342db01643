import { describe, expect, it } from 'vitest'
import { generateSsdAnchors } from '../../../src/engine/ops/anchors'
import { FACE_DETECTOR_CONFIGS } from '../../../src/engine/tasks/face-detector'

describe('generateSsdAnchors', () => {
  it('gives BlazeFace short range 896 anchors: 16x16x2 at stride 8, then 8x8x6 for the three stride-16 layers', () => {
    const anchors = generateSsdAnchors(FACE_DETECTOR_CONFIGS.short.anchors)
    expect(anchors).toHaveLength(896)
    expect(anchors[0]).toEqual({ x: 0.5 / 16, y: 0.5 / 16, width: 1, height: 1 })
    expect(anchors[1]).toEqual(anchors[0])
    expect(anchors[2].x).toBeCloseTo(1.5 / 16)
    expect(anchors[512]).toEqual({ x: 0.5 / 8, y: 0.5 / 8, width: 1, height: 1 })
    expect(anchors.slice(512, 518).every((a) => a.x === anchors[512].x)).toBe(true)
    expect(anchors[895]).toEqual({ x: 7.5 / 8, y: 7.5 / 8, width: 1, height: 1 })
  })

  it('gives BlazeFace full range 2304 anchors, one per cell of a 48x48 map', () => {
    const anchors = generateSsdAnchors(FACE_DETECTOR_CONFIGS.full.anchors)
    expect(anchors).toHaveLength(2304)
    expect(anchors[1].x).toBeCloseTo(1.5 / 48)
    expect(anchors[48].y).toBeCloseTo(1.5 / 48)
  })

  it('sizes anchors from scales and aspect ratios when they are not fixed', () => {
    const anchors = generateSsdAnchors({
      inputWidth: 4,
      inputHeight: 4,
      minScale: 0.2,
      maxScale: 0.8,
      anchorOffsetX: 0.5,
      anchorOffsetY: 0.5,
      strides: [2, 4],
      aspectRatios: [1, 4],
      interpolatedScaleAspectRatio: 1,
      fixedAnchorSize: false
    })
    // 2x2 cells x 3 anchors (two ratios + interpolated) + 1x1 cell x 3 anchors
    expect(anchors).toHaveLength(15)
    expect(anchors[0].width).toBeCloseTo(0.2)
    expect(anchors[1].width).toBeCloseTo(0.4)
    expect(anchors[1].height).toBeCloseTo(0.1)
    expect(anchors[2].width).toBeCloseTo(Math.sqrt(0.2 * 0.8))
    expect(anchors[12]).toMatchObject({ x: 0.5, y: 0.5 })
    expect(anchors[14].width).toBeCloseTo(Math.sqrt(0.8 * 1))
  })
})
