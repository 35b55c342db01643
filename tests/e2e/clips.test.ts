import { describe, expect, it } from 'vitest'
import { CLIP_FPS, CLIP_SEGMENTS, NEUTRAL_FACE, SMILING_FACE, motionAt, segmentFrameCounts, viewRect } from './clips'

describe('fake camera clip recipe', () => {
  it('moves slightly and smoothly, like a hand-held camera', () => {
    let previous = motionAt(0)
    let maxStep = 0
    let maxPan = 0
    const zooms = new Set<number>()
    for (let frame = 1; frame < 10 * CLIP_FPS; frame++) {
      const motion = motionAt(frame)
      maxStep = Math.max(maxStep, Math.hypot(motion.dx - previous.dx, motion.dy - previous.dy))
      maxPan = Math.max(maxPan, Math.hypot(motion.dx, motion.dy))
      zooms.add(Math.round(motion.zoom * 1000))
      previous = motion
    }
    expect(maxPan).toBeGreaterThan(3) // it does move
    expect(maxPan).toBeLessThan(12) // but only a little
    expect(maxStep).toBeLessThan(1.5) // and smoothly
    expect(zooms.size).toBeGreaterThan(5)
  })

  it('keeps the view inside the source photo and at 4:3', () => {
    for (const shot of [NEUTRAL_FACE, SMILING_FACE]) {
      for (let frame = 0; frame < 200; frame += 7) {
        const rect = viewRect(shot, motionAt(frame), 1920, 1350)
        expect(rect.left).toBeGreaterThanOrEqual(0)
        expect(rect.top).toBeGreaterThanOrEqual(0)
        expect(rect.left + rect.width).toBeLessThanOrEqual(1920)
        expect(rect.top + rect.height).toBeLessThanOrEqual(1350)
        expect(Math.abs(rect.width / rect.height - 4 / 3)).toBeLessThan(0.01)
      }
    }
    // A view pushed past the edge is clamped rather than cut.
    expect(viewRect({ ...SMILING_FACE, cx: 1915 }, { dx: 0, dy: 0, zoom: 1 }, 1920, 1350).left).toBe(1920 - 600)
  })

  it('holds the smile for at least 1.5 s, once, between neutral segments', () => {
    const smiling = CLIP_SEGMENTS.smiling
    expect(smiling.filter((segment) => segment.shot.smiling)).toHaveLength(1)
    expect(smiling[0].shot.smiling).toBe(false)
    expect(smiling[smiling.length - 1].shot.smiling).toBe(false)
    expect(smiling.find((segment) => segment.shot.smiling)!.durationMs).toBeGreaterThanOrEqual(1500)
    expect(CLIP_SEGMENTS.neutral.every((segment) => !segment.shot.smiling)).toBe(true)
    expect(segmentFrameCounts(smiling)).toEqual([45, 60, 60])
  })
})
