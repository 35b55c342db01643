import { describe, expect, it } from 'vitest'
import { smoothstep } from '../../../src/shared/mask/ops'
import { maskToAlpha, opaqueBackground } from '../../../src/renderer/src/lib/mask-alpha'

describe('smoothstep', () => {
  it('is 0 below, 1 above and 0.5 half-way', () => {
    expect(smoothstep(0.25, 0.75, 0)).toBe(0)
    expect(smoothstep(0.25, 0.75, 0.25)).toBe(0)
    expect(smoothstep(0.25, 0.75, 0.5)).toBeCloseTo(0.5, 10)
    expect(smoothstep(0.25, 0.75, 0.75)).toBe(1)
    expect(smoothstep(0.25, 0.75, 2)).toBe(1)
  })

  it('eases: a quarter of the way in is below a quarter', () => {
    expect(smoothstep(0, 1, 0.25)).toBeCloseTo(0.15625, 10)
  })
})

describe('maskToAlpha', () => {
  const mask = Float32Array.of(0, 0.2, 0.5, 1, -3, 7)

  it('person: sharp where the mask is high, nothing where it is low, colour black', () => {
    const out = maskToAlpha(mask, 'person', new Uint8ClampedArray(mask.length * 4))
    const alpha = [...out.filter((_, i) => i % 4 === 3)]
    expect(alpha[0]).toBe(0)
    expect(alpha[1]).toBe(0) // below the 0.25 edge
    expect(alpha[2]).toBeGreaterThanOrEqual(126)
    expect(alpha[2]).toBeLessThanOrEqual(129)
    expect(alpha[3]).toBe(255)
    expect(alpha[4]).toBe(0) // out-of-range values clamp
    expect(alpha[5]).toBe(255)
    expect([...out.filter((_, i) => i % 4 !== 3)].every((v) => v === 0)).toBe(true)
  })

  it('background: feeds the blur only well outside the person (dilated)', () => {
    const out = maskToAlpha(mask, 'background', new Uint8ClampedArray(mask.length * 4))
    const alpha = [...out.filter((_, i) => i % 4 === 3)]
    expect(alpha[0]).toBe(255)
    expect(alpha[1]).toBeGreaterThan(0)
    expect(alpha[1]).toBeLessThan(255)
    // 0.5 is still mostly background for the person curve but already excluded here.
    expect(alpha[2]).toBe(0)
    expect(alpha[3]).toBe(0)
  })

  it('refuses a buffer of the wrong size', () => {
    expect(() => maskToAlpha(mask, 'person', new Uint8ClampedArray(4))).toThrow(RangeError)
  })
})

describe('opaqueBackground', () => {
  it('keeps gathered colours, falls back to the frame where nothing was gathered, alpha 255', () => {
    const gathered = Uint8ClampedArray.of(10, 20, 30, 40, 0, 0, 0, 0)
    const frame = Uint8ClampedArray.of(1, 2, 3, 255, 4, 5, 6, 255)
    expect([...opaqueBackground(gathered, frame)]).toEqual([10, 20, 30, 255, 4, 5, 6, 255])
  })

  it('refuses different sizes', () => {
    expect(() => opaqueBackground(new Uint8ClampedArray(8), new Uint8ClampedArray(4))).toThrow(RangeError)
  })
})
