import { describe, expect, it } from 'vitest'
import {
  analysisSize,
  blurBufferSize,
  bufferBlurSigma,
  gaussianWeights,
  linearSampledTaps,
  MAX_BLUR_RADIUS,
  quantizeStrength
} from '../../../src/renderer/src/lib/blur-math'

const kernelSum = (weights: Float32Array): number => weights.reduce((sum, w, i) => sum + (i === 0 ? w : 2 * w), 0)

describe('gaussianWeights', () => {
  it('is normalised over the full symmetric kernel and decreasing', () => {
    for (const sigma of [0.5, 1, 2.5, 7.5]) {
      const weights = gaussianWeights(sigma)
      expect(kernelSum(weights)).toBeCloseTo(1, 5)
      for (let i = 1; i < weights.length; i++) expect(weights[i]).toBeLessThan(weights[i - 1])
    }
  })

  it('has radius ceil(3 sigma), capped', () => {
    expect(gaussianWeights(1).length).toBe(4)
    expect(gaussianWeights(2.2).length).toBe(8)
    expect(gaussianWeights(50).length).toBe(MAX_BLUR_RADIUS + 1)
  })

  it('sigma 1: hand-computed ratios exp(-1/2), exp(-2)', () => {
    const weights = gaussianWeights(1)
    expect(weights[1] / weights[0]).toBeCloseTo(Math.exp(-0.5), 5)
    expect(weights[2] / weights[0]).toBeCloseTo(Math.exp(-2), 5)
  })

  it('sigma 0 is the identity kernel', () => {
    expect([...gaussianWeights(0)]).toEqual([1])
  })
})

describe('blur sizes', () => {
  it('the shared blur in blur-buffer pixels, capped where the kernel ends (3 sigma = radius)', () => {
    // 640x480 view, 160-px buffer: strength 0.5 -> 0.5 * 0.06 * 480 = 14.4 px -> 3.6 buffer px.
    expect(bufferBlurSigma(0.5, 640, 480, 160)).toBeCloseTo(3.6)
    expect(bufferBlurSigma(0, 640, 480, 160)).toBe(0)
    // A 1920x1080 capture at strength 1 wants 64.8 px = 16.2 buffer px; the kernel stops at 8.
    expect(bufferBlurSigma(1, 1920, 1080, 480)).toBe(MAX_BLUR_RADIUS / 3)
  })

  it('blur buffer is a quarter size with a floor', () => {
    expect(blurBufferSize(640, 480)).toEqual({ width: 160, height: 120 })
    expect(blurBufferSize(40, 30)).toEqual({ width: 16, height: 16 })
  })

  it('analysis size keeps aspect, never upscales', () => {
    expect(analysisSize(1280, 720, 384)).toEqual({ width: 384, height: 216 })
    expect(analysisSize(480, 640, 320)).toEqual({ width: 240, height: 320 })
    expect(analysisSize(200, 100, 384)).toEqual({ width: 200, height: 100 })
    expect(analysisSize(0, 0, 384)).toEqual({ width: 0, height: 0 })
  })
})

describe('linearSampledTaps', () => {
  it('keeps the kernel sum and puts each pair at its weighted centre', () => {
    const weights = gaussianWeights(2)
    const taps = linearSampledTaps(weights)
    expect(taps.centre).toBe(weights[0])
    const total = taps.centre + 2 * taps.weights.reduce((a, b) => a + b, 0)
    expect(total).toBeCloseTo(1, 5)
    expect(taps.offsets[0]).toBeCloseTo((1 * weights[1] + 2 * weights[2]) / (weights[1] + weights[2]), 6)
    for (const [k, offset] of taps.offsets.entries()) {
      expect(offset).toBeGreaterThanOrEqual(2 * k + 1)
      expect(offset).toBeLessThanOrEqual(2 * k + 2)
    }
  })

  it('an odd tail keeps its last texel at its own offset; the identity kernel has no pairs', () => {
    const taps = linearSampledTaps(Float32Array.of(0.5, 0.25))
    expect(taps).toEqual({ centre: 0.5, offsets: [1], weights: [0.25] })
    expect(linearSampledTaps(Float32Array.of(1))).toEqual({ centre: 1, offsets: [], weights: [] })
  })

  it('quantizeStrength snaps to 5% steps and clamps', () => {
    expect(quantizeStrength(0.62)).toBe(0.6)
    expect(quantizeStrength(0.63)).toBe(0.65)
    expect(quantizeStrength(2)).toBe(1)
  })
})
