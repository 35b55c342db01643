import { describe, expect, it } from 'vitest'
import { createFlickerMeter, maskChange, maskFlicker } from '../../../src/shared/mask/flicker'

describe('mask flicker', () => {
  it('is 0 for a stable mask and the mean absolute change otherwise', () => {
    const still = [new Float32Array([0, 1, 0.5]), new Float32Array([0, 1, 0.5]), new Float32Array([0, 1, 0.5])]
    expect(maskFlicker(still)).toBe(0)
    expect(maskChange([0, 0, 0, 0], [1, 0, 0.5, 0.5])).toBe(0.5)
    // The pairs change by 0.25 and 0.5 on average -> 0.375.
    expect(maskFlicker([[0, 0], [0.5, 0], [0.5, 1]])).toBe(0.375)
    expect(maskFlicker([[1, 1]])).toBe(0)
    expect(() => maskChange([0], [0, 1])).toThrow(RangeError)
  })

  it('measures the same as a running meter, keeping only the previous mask', () => {
    const masks = [[0, 0.2], [0.1, 0.2], [0.1, 0.6], [0, 0]]
    const meter = createFlickerMeter()
    expect(meter.value()).toBe(0)
    for (const mask of masks) meter.add(mask)
    expect(meter.value()).toBeCloseTo(maskFlicker(masks), 6)
    expect(meter.frames()).toBe(4)
  })
})
