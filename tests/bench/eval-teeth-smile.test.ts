import { describe, expect, it } from 'vitest'
import { binaryReport } from '../../bench/eval-teeth-smile'

describe('binaryReport', () => {
  it('counts a photo without a face as a wrong answer on either side (hand-computed)', () => {
    const report = binaryReport([
      { label: true, predicted: true },
      { label: true, predicted: false },
      { label: true, predicted: null },
      { label: false, predicted: false },
      { label: false, predicted: true },
      { label: false, predicted: null },
      { label: false, predicted: false }
    ])
    expect(report.confusion).toEqual({ tp: 1, fp: 2, tn: 2, fn: 2, noFace: 2 })
    expect(report.images).toBe(7)
    expect(report.detected).toBe(5)
    expect(report.accuracy).toBeCloseTo(3 / 7)
    expect(report.falsePositiveRate).toBeCloseTo(2 / 4)
    expect(report.falseNegativeRate).toBeCloseTo(2 / 3)
  })
})
