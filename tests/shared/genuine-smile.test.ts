import { describe, expect, it } from 'vitest'
import { genuineSmileScore, smileGeometry, updateNeutralGeometry } from '../../src/shared/genuine-smile'
import type { Point } from '../../src/shared/vision'
import { expressionLandmarks, type Expression } from './synthetic-expression'

const NEUTRAL = smileGeometry(expressionLandmarks({}))

describe('smileGeometry', () => {
  it('measures the synthetic neutral face (hand-computed, eye-span units)', () => {
    // Eye span 1.1; lower lids 0.05 below the corner line; mouth 0.6 wide; EAR (0.1 + 0.1) / (2 * 0.3).
    expect(NEUTRAL.lowerLidDrop).toBeCloseTo(0.05 / 1.1, 9)
    expect(NEUTRAL.mouthWidth).toBeCloseTo(0.6 / 1.1, 9)
    expect(NEUTRAL.eyeOpening).toBeCloseTo(1 / 3, 9)
  })

  it('does not depend on face size or roll', () => {
    const small = smileGeometry(expressionLandmarks({ mouthWidth: 1.1 }, 50, 50, 20))
    const angle = (30 * Math.PI) / 180
    const rolled = smileGeometry(expressionLandmarks({ mouthWidth: 1.1 }).map(([x, y]): Point => [x * Math.cos(angle) - y * Math.sin(angle), x * Math.sin(angle) + y * Math.cos(angle)]))
    const upright = smileGeometry(expressionLandmarks({ mouthWidth: 1.1 }))
    for (const g of [small, rolled]) {
      expect(g.mouthWidth).toBeCloseTo(upright.mouthWidth, 9)
      expect(g.lowerLidDrop).toBeCloseTo(upright.lowerLidDrop, 9)
      expect(g.eyeOpening).toBeCloseTo(upright.eyeOpening, 9)
    }
  })
})

describe('genuineSmileScore', () => {
  const score = (e: Expression): number => genuineSmileScore(smileGeometry(expressionLandmarks(e)), NEUTRAL)

  it('is high for a Duchenne smile: mouth wider, eyes narrower, lower lids pushed up', () => {
    expect(score({ mouthWidth: 1.15, upperLid: 0.75, lowerLid: 0.6, mouthGap: 0.06 })).toBeGreaterThan(0.6)
  })

  it('is zero for a posed mouth-only grin, a yawn and talking', () => {
    expect(score({ mouthWidth: 1.15, mouthGap: 0.06 })).toBe(0)
    // Yawn: the mouth opens tall and gets narrower while the eyes squeeze.
    expect(score({ mouthWidth: 0.9, upperLid: 0.6, lowerLid: 0.7, mouthGap: 0.3 })).toBe(0)
    for (const gap of [0, 0.05, 0.1, 0.03]) expect(score({ mouthGap: gap })).toBe(0)
  })

  it('grows with the eyes: a smile with eyes barely moving scores less than a full one', () => {
    const slight = score({ mouthWidth: 1.15, upperLid: 0.95, lowerLid: 0.95 })
    expect(slight).toBeGreaterThan(0)
    expect(slight).toBeLessThan(score({ mouthWidth: 1.15, upperLid: 0.75, lowerLid: 0.6 }))
  })
})

describe('updateNeutralGeometry', () => {
  it('learns only from relaxed frames (mouth closed, not smiling), starting from the first one', () => {
    const relaxed = smileGeometry(expressionLandmarks({}))
    expect(updateNeutralGeometry(null, relaxed, 0.01, 0.1)).toEqual(relaxed)
    expect(updateNeutralGeometry(null, relaxed, 0.2, 0.1)).toBeNull()
    expect(updateNeutralGeometry(relaxed, { ...relaxed, mouthWidth: 1 }, 0.01, 0.9)).toBe(relaxed)
    const moved = updateNeutralGeometry(relaxed, { ...relaxed, mouthWidth: relaxed.mouthWidth + 0.1 }, 0.01, undefined)
    expect(moved?.mouthWidth).toBeCloseTo(relaxed.mouthWidth + 0.1 * 0.05, 9)
  })
})
