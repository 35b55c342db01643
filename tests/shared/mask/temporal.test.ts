import { describe, expect, it } from 'vitest'
import { maskFlicker } from '../../../src/shared/mask/flicker'
import { createMaskSmoother } from '../../../src/shared/mask/temporal'

/** A deterministic noise in [-amplitude, amplitude]. */
function noise(seed: number, amplitude: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453
  return (x - Math.floor(x) - 0.5) * 2 * amplitude
}

describe('createMaskSmoother', () => {
  it('takes the first mask as it is', () => {
    const smoother = createMaskSmoother()
    expect(Array.from(smoother.update(new Float32Array([0.2, 0.8]), 0))).toEqual([Math.fround(0.2), Math.fround(0.8)])
  })

  it('damps small frame-to-frame noise on a still mask (less flicker)', () => {
    const smoother = createMaskSmoother()
    const raw: Float32Array[] = []
    const smoothed: Float32Array[] = []
    for (let frame = 0; frame < 60; frame++) {
      const mask = Float32Array.from({ length: 50 }, (_, i) => Math.min(1, Math.max(0, 0.5 + noise(frame * 50 + i, 0.05))))
      raw.push(mask)
      smoothed.push(Float32Array.from(smoother.update(mask, frame * 33)))
    }
    expect(maskFlicker(smoothed.slice(10))).toBeLessThan(maskFlicker(raw.slice(10)) * 0.4)
  })

  it('follows a real change almost at once (no lag behind a moving head)', () => {
    const smoother = createMaskSmoother()
    smoother.update(new Float32Array(10).fill(0), 0)
    const after = smoother.update(new Float32Array(10).fill(1), 33)
    // A plain EMA with the still time constant (160 ms) would be at 0.19 here.
    expect(after[0]).toBeGreaterThan(0.8)
  })

  it('is frame-rate independent and restarts after reset or a size change', () => {
    const at30 = createMaskSmoother()
    at30.update(new Float32Array([0.5]), 0)
    at30.update(new Float32Array([0.55]), 33)
    const thirty = at30.update(new Float32Array([0.55]), 66)[0]
    const at15 = createMaskSmoother()
    at15.update(new Float32Array([0.5]), 0)
    const fifteen = at15.update(new Float32Array([0.55]), 66)[0]
    expect(fifteen).toBeCloseTo(thirty, 2)
    at15.reset()
    expect(at15.update(new Float32Array([0.9]), 100)[0]).toBeCloseTo(0.9, 6)
    expect(Array.from(at15.update(new Float32Array([0.1, 0.1]), 133))).toEqual([Math.fround(0.1), Math.fround(0.1)])
  })
})
