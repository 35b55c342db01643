import { describe, expect, it } from 'vitest'
import { eyeAlignedLandmarks, parseSmileHead, smileFeatures, smileGeometry, smileScore, type SmileHead } from '../../../src/engine/tasks/smile-head'
import { EMOTION_LABELS, type EmotionScores, type Point } from '../../../src/shared/vision'
import { syntheticLandmarks } from '../../core/audit/synthetic-face'

const upright = syntheticLandmarks({ cx: 200, cy: 150, scale: 80, cornerLift: 0.05 })

describe('eyeAlignedLandmarks', () => {
  it('puts the eye centres at (-0.5, 0) and (0.5, 0) whatever the position, size and roll', () => {
    // Synthetic eye centres at unit x = -0.4 and 0.4 (0.8 apart), y = -0.25.
    const aligned = eyeAlignedLandmarks(upright)
    const leftEye = aligned.slice(36, 42).reduce((a, p) => [a[0] + p[0] / 6, a[1] + p[1] / 6], [0, 0])
    expect(leftEye[0]).toBeCloseTo(-0.5, 9)
    expect(leftEye[1]).toBeCloseTo(0, 9)
    // The chin (8) is 1.25 units below the eye line: 1.25 / 0.8 eye spans.
    expect(aligned[8][1]).toBeCloseTo(1.25 / 0.8, 9)
    const angle = (40 * Math.PI) / 180
    const rolled = upright.map(([x, y]): Point => [3 * (x * Math.cos(angle) - y * Math.sin(angle)) + 17, 3 * (x * Math.sin(angle) + y * Math.cos(angle)) - 5])
    eyeAlignedLandmarks(rolled).forEach(([x, y], i) => {
      expect(x).toBeCloseTo(aligned[i][0], 9)
      expect(y).toBeCloseTo(aligned[i][1], 9)
    })
  })

  it('geometry: mouth width 0.6 / 0.8 eye spans and the corner lift over the width', () => {
    const [mar, ear, width, lift] = smileGeometry(eyeAlignedLandmarks(upright), 0.1, 0.3)
    expect([mar, ear]).toEqual([0.1, 0.3])
    expect(width).toBeCloseTo(0.6 / 0.8, 9)
    // Inner upper lip (62) at unit y 0.54, corners at 0.55 - 0.05 = 0.5: (0.04 / 0.8) / 0.75.
    expect(lift).toBeCloseTo(0.04 / 0.8 / 0.75, 9)
  })
})

function scores(happy: number): EmotionScores {
  const s = Object.fromEntries(EMOTION_LABELS.map((l) => [l, (1 - happy) / 6])) as EmotionScores
  s.happy = happy
  return s
}

describe('smileFeatures and smileScore', () => {
  it('log-probabilities in the engine label order, then geometry; null when a needed net did not run', () => {
    const inputs = { expressions: { fer: scores(0.7) }, landmarks68: upright, mar: 0.1, ear: 0.3 }
    const features = smileFeatures(['fer', 'geometry'], inputs)
    expect(features).toHaveLength(11)
    expect(features?.[3]).toBeCloseTo(Math.log(0.7 + 1e-4), 12)
    expect(features?.[7]).toBe(0.1)
    expect(smileFeatures(['face-api'], inputs)).toBeNull()
  })

  it("the smile net's block is its clipped log-odds; null when the net did not run", () => {
    const inputs = { expressions: {}, landmarks68: upright, mar: 0.1, ear: 0.3 }
    expect(smileFeatures(['smilenet'], { ...inputs, smileNet: 0.8 })?.[0]).toBeCloseTo(Math.log(0.8001 / 0.2001), 12)
    expect(smileFeatures(['smilenet'], { ...inputs, smileNet: 1 })?.[0]).toBeCloseTo(Math.log(1.0001 / 1e-4), 9)
    expect(smileFeatures(['smilenet'], inputs)).toBeNull()
  })

  const head: SmileHead = { blocks: ['fer'], mean: new Array(7).fill(0), scale: new Array(7).fill(1), weights: [0, 0, 0, 1, 0, 0, 0], bias: 0, threshold: 0.5 }

  it('is the logistic of the standardised weighted sum, with the threshold moved to 0.5', () => {
    expect(smileScore(head, [0, 0, 0, 0, 0, 0, 0])).toBeCloseTo(0.5, 12)
    expect(smileScore(head, [0, 0, 0, 2, 0, 0, 0])).toBeCloseTo(1 / (1 + Math.exp(-2)), 12)
    // Threshold 0.7: a raw probability of exactly 0.7 reads 0.5.
    const strict = { ...head, threshold: 0.7, bias: Math.log(0.7 / 0.3) }
    expect(smileScore(strict, [0, 0, 0, 0, 0, 0, 0])).toBeCloseTo(0.5, 12)
    expect(() => smileScore(head, [1, 2])).toThrow(/expects 7/)
  })

  it('parseSmileHead rejects a head whose sizes do not match its blocks', () => {
    expect(parseSmileHead(head)).toEqual(head)
    expect(() => parseSmileHead({ ...head, weights: [1] })).toThrow(/not a valid smile head/)
    expect(() => parseSmileHead({ ...head, blocks: ['nope'] })).toThrow(/not a valid smile head/)
    expect(() => parseSmileHead({ ...head, threshold: 1 })).toThrow(/not a valid smile head/)
  })
})
