import { describe, expect, it } from 'vitest'
import { blurSigma } from '../../src/shared/blur'

describe('blurSigma', () => {
  it('is 6% of the shorter side at strength 1, linear in strength, clamped to 0..1', () => {
    expect(blurSigma(0, 1000, 800)).toBe(0)
    expect(blurSigma(1, 1000, 800)).toBeCloseTo(48)
    expect(blurSigma(0.5, 1000, 800)).toBeCloseTo(24)
    expect(blurSigma(0.5, 640, 480)).toBeCloseTo(14.4)
    expect(blurSigma(7, 1000, 800)).toBeCloseTo(48)
    expect(blurSigma(-1, 1000, 800)).toBe(0)
    expect(blurSigma(Number.NaN, 1000, 800)).toBe(0)
  })
})
