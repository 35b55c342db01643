/**
 * Synthetic live sequences through the real sampler and trigger: a neutral face, then a
 * Duchenne smile, a posed mouth-only grin, a yawn or talking (landmarks built by hand).
 */
import { describe, expect, it } from 'vitest'
import { createFaceSampler } from '../../../src/renderer/src/lib/face-sample'
import { createSmileTrigger, type SmileTriggerUpdate } from '../../../src/renderer/src/lib/smile-trigger'
import { eyeAspectRatio, mouthAspectRatio } from '../../../src/shared/face-geometry'
import type { FaceResult, Point, VisionResult } from '../../../src/shared/vision'
import { expressionLandmarks, type Expression } from '../../shared/synthetic-expression'

const FRAME_MS = 33

/** One engine result: the expression's landmarks with a 1 px jitter (a live head), and a smile score. */
function frameResult(expression: Expression, smile: number, index: number): VisionResult {
  const jitter = index % 2
  const landmarks68 = expressionLandmarks(expression).map(([x, y]): Point => [x + jitter, y])
  const face: FaceResult = {
    box: { x: 100, y: 120, width: 200, height: 200 },
    boxNormalized: { x: 0.25, y: 0.3, width: 0.5, height: 0.5 },
    score: 0.95,
    landmarks68,
    mar: mouthAspectRatio(landmarks68),
    ear: eyeAspectRatio(landmarks68),
    rollDeg: 0,
    smile
  }
  return { width: 400, height: 400, faces: [face], timings: { detectMs: 1, landmarksMs: 1, expressionMs: 1, segmentMs: 0, totalMs: 3 } }
}

function play(segments: { expression: Expression; smile: number; frames: number }[]): SmileTriggerUpdate[] {
  const sampler = createFaceSampler()
  const trigger = createSmileTrigger()
  const updates: SmileTriggerUpdate[] = []
  let index = 0
  for (const segment of segments) {
    for (let i = 0; i < segment.frames; i++, index++) {
      updates.push(trigger.update({ tMs: index * FRAME_MS, face: sampler.sample(frameResult(segment.expression, segment.smile, index)) }))
    }
  }
  return updates
}

const relaxed = { expression: {}, smile: 0.05, frames: 20 }

describe('genuine smile in the live trigger', () => {
  it('fires on a Duchenne smile (mouth wide and open, eyes narrowing, cheeks lifting)', () => {
    const updates = play([relaxed, { expression: { mouthWidth: 1.15, mouthGap: 0.08, upperLid: 0.75, lowerLid: 0.6 }, smile: 0.9, frames: 30 }])
    expect(updates.filter((u) => u.fired)).toHaveLength(1)
  })

  it('does not fire on a posed mouth-only grin with the same mouth and smile score', () => {
    const updates = play([relaxed, { expression: { mouthWidth: 1.15, mouthGap: 0.08 }, smile: 0.9, frames: 60 }])
    expect(updates.some((u) => u.fired)).toBe(false)
    expect(updates.at(-1)?.blockedBy).toBe('not-genuine')
  })

  it('judges a face never seen relaxed by MAR and smile score alone (no neutral face to compare with)', () => {
    const updates = play([{ expression: { mouthWidth: 1.15, mouthGap: 0.08 }, smile: 0.9, frames: 30 }])
    expect(updates.filter((u) => u.fired)).toHaveLength(1)
  })

  it('does not fire on a yawn or on talking', () => {
    const yawn = play([relaxed, { expression: { mouthWidth: 0.9, mouthGap: 0.35, upperLid: 0.6, lowerLid: 0.7 }, smile: 0.6, frames: 60 }])
    expect(yawn.some((u) => u.fired)).toBe(false)
    const talking = play([
      relaxed,
      ...Array.from({ length: 20 }, (_, i) => ({ expression: { mouthGap: i % 2 === 0 ? 0.08 : 0.01 }, smile: 0.6, frames: 3 }))
    ])
    expect(talking.some((u) => u.fired)).toBe(false)
  })
})
