import { describe, expect, it } from 'vitest'
import { OneEuroVectorFilter } from '../../../src/engine/ops/one-euro'
import { boxFromRelative, boxIou, boxRelativeTo, VideoFaceTracker } from '../../../src/engine/ops/tracker'
import type { FaceResult, Point } from '../../../src/shared/vision'

describe('OneEuroVectorFilter', () => {
  it('passes the first sample through and smooths jitter around a still point', () => {
    const filter = new OneEuroVectorFilter()
    expect(filter.filter([10, 20], 0)).toEqual([10, 20])
    let last = [10, 20]
    for (let i = 1; i <= 30; i++) last = filter.filter([10 + (i % 2 ? 1 : -1), 20], i * 33, 100)
    // Raw input alternates 9/11; the filtered value stays much closer to 10.
    expect(Math.abs(last[0] - 10)).toBeLessThan(0.5)
  })

  it('follows a fast move with little lag', () => {
    const filter = new OneEuroVectorFilter()
    filter.filter([0], 0, 100)
    let value = [0]
    for (let i = 1; i <= 10; i++) value = filter.filter([i * 20], i * 33, 100)
    // After 10 frames of fast motion to 200 px it is within 20% of the target.
    expect(value[0]).toBeGreaterThan(160)
  })

  it('restarts when time goes backwards or the length changes', () => {
    const filter = new OneEuroVectorFilter()
    filter.filter([0, 0], 100)
    expect(filter.filter([5, 5], 50)).toEqual([5, 5])
    expect(filter.filter([1, 2, 3], 60)).toEqual([1, 2, 3])
  })
})

function face(x: number, points: Point[]): FaceResult {
  const box = { x, y: 0, width: 100, height: 100 }
  return { box, boxNormalized: box, score: 1, landmarks68: points, mar: 0, ear: 0, rollDeg: 0 }
}

describe('VideoFaceTracker', () => {
  it('computes IoU', () => {
    expect(boxIou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(50 / 150, 10)
    expect(boxIou({ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: 0, width: 10, height: 10 })).toBe(0)
  })

  it('smooths each face with its own filter and keeps faces apart', () => {
    const tracker = new VideoFaceTracker()
    const a0 = face(0, [[50, 50]])
    const b0 = face(500, [[550, 50]])
    tracker.smooth([a0, b0], 0)
    const a1 = face(2, [[54, 50]])
    const b1 = face(502, [[546, 50]])
    tracker.smooth([b1, a1], 33)
    // Each point moved 4 px; smoothing keeps it between the old and new positions, not mixed across faces.
    expect(a1.landmarks68[0][0]).toBeGreaterThan(50)
    expect(a1.landmarks68[0][0]).toBeLessThan(54)
    expect(b1.landmarks68[0][0]).toBeLessThan(550)
    expect(b1.landmarks68[0][0]).toBeGreaterThan(546)
  })

  it('starts a new track for a face that appears somewhere else', () => {
    const tracker = new VideoFaceTracker()
    tracker.smooth([face(0, [[50, 50]])], 0)
    const moved = face(400, [[450, 50]])
    tracker.smooth([moved], 33)
    expect(moved.landmarks68[0]).toEqual([450, 50])
  })
})

describe('VideoFaceTracker crop memory', () => {
  it('returns the crop remembered for an overlapping live track, and none for a new or stale face', () => {
    const tracker = new VideoFaceTracker()
    const roi = { cx: 50, cy: 50, width: 150, height: 150, angle: 0.1 }
    tracker.smooth([face(0, [[50, 50]])], 0, [{ roi }])
    expect(tracker.previousRoi({ x: 5, y: 0, width: 100, height: 100 }, 33)).toEqual(roi)
    expect(tracker.previousRoi({ x: 400, y: 0, width: 100, height: 100 }, 33)).toBeNull()
    expect(tracker.previousRoi({ x: 5, y: 0, width: 100, height: 100 }, 5000)).toBeNull()
  })
})

describe('VideoFaceTracker following faces without the detector', () => {
  it('offers a detected face for tracking with its box relative to the mesh, and counts frames since detection', () => {
    const tracker = new VideoFaceTracker()
    const roi = { cx: 50, cy: 50, width: 150, height: 150, angle: 0 }
    expect(tracker.trackedFaces(0)).toEqual([])
    tracker.noteFrame(true)
    // detector box 0,0 100x100; mesh box 10,20 80x80
    tracker.smooth([face(0, [[50, 50]])], 0, [{ roi, meshBox: { x: 10, y: 20, width: 80, height: 80 } }], true)
    const [tracked] = tracker.trackedFaces(33)
    expect(tracked.roi).toEqual(roi)
    expect(tracked.boxInMesh).toEqual({ x: -0.125, y: -0.25, width: 1.25, height: 1.25 })
    // The mesh moved 20 px right and grew 10%: the box follows it.
    expect(boxFromRelative(tracked.boxInMesh, { x: 30, y: 20, width: 88, height: 88 })).toEqual({ x: 19, y: -2, width: 110, height: 110 })
    tracker.noteFrame(false)
    tracker.noteFrame(false)
    expect(tracker.framesSinceDetection).toBe(2)
    // A stale track is not followed; a reset forgets everything.
    expect(tracker.trackedFaces(5000)).toEqual([])
    tracker.reset()
    expect(tracker.trackedFaces(33)).toEqual([])
    expect(tracker.framesSinceDetection).toBe(Infinity)
  })

  it('a face without a mesh (68-point net) is not offered for tracking', () => {
    const tracker = new VideoFaceTracker()
    tracker.smooth([face(0, [[50, 50]])], 0, [{ roi: { cx: 50, cy: 50, width: 150, height: 150, angle: 0 } }], true)
    expect(tracker.trackedFaces(33)).toEqual([])
  })

  it('boxRelativeTo and boxFromRelative are inverses', () => {
    const frame = { x: 3, y: 4, width: 50, height: 20 }
    const box = { x: 10, y: 1, width: 30, height: 40 }
    const back = boxFromRelative(boxRelativeTo(box, frame), frame)
    for (const key of ['x', 'y', 'width', 'height'] as const) expect(back[key]).toBeCloseTo(box[key], 10)
  })
})
