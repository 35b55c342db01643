import { describe, expect, it } from 'vitest'
import {
  boxBlurMask,
  emaAlpha,
  maskToFloat,
  polygonsToMask,
  rasterizePolygon,
  smoothMask
} from '../../../src/shared/mask/ops'
import type { Point } from '../../../src/shared/vision'

const sum = (values: Float32Array): number => values.reduce((total, value) => total + value, 0)

describe('temporal smoothing', () => {
  it('emaAlpha is frame-rate independent: two half steps equal one full step', () => {
    const full = emaAlpha(66, 70)
    const half = emaAlpha(33, 70)
    expect(1 - full).toBeCloseTo((1 - half) * (1 - half), 10)
    expect(emaAlpha(0, 70)).toBe(1)
    expect(emaAlpha(33, 0)).toBe(1)
  })

  it('moves each value a fraction alpha toward the new mask, in place', () => {
    const prev = Float32Array.of(0, 1, 0.5)
    const out = smoothMask(prev, Float32Array.of(1, 0, 0.5), 0.25)
    expect(out).toBe(prev)
    expect([...out]).toEqual([0.25, 0.75, 0.5])
  })

  it('starts from the new mask when there is none or the size changed', () => {
    const next = Float32Array.of(1, 0)
    expect([...smoothMask(null, next, 0.1)]).toEqual([1, 0])
    expect(smoothMask(null, next, 0.1)).not.toBe(next)
    expect([...smoothMask(Float32Array.of(0, 0, 0), next, 0.1)]).toEqual([1, 0])
  })

  it('a flickering edge pixel is damped', () => {
    let mask: Float32Array | null = null
    const values: number[] = []
    for (let i = 0; i < 20; i++) {
      mask = smoothMask(mask, Float32Array.of(i % 2), emaAlpha(33, 70))
      values.push(mask[0])
    }
    const late = values.slice(10)
    expect(Math.max(...late) - Math.min(...late)).toBeLessThan(0.5)
  })

  it('maskToFloat scales bytes', () => {
    const values = maskToFloat(Uint8Array.of(0, 255, 51))
    expect([values[0], values[1]]).toEqual([0, 1])
    expect(values[2]).toBeCloseTo(0.2, 6)
  })
})

describe('boxBlurMask (feathering)', () => {
  it('keeps the total for an interior impulse and spreads it into a (2r+1)^2 square', () => {
    const mask = new Float32Array(7 * 7)
    mask[3 * 7 + 3] = 1
    const out = boxBlurMask(mask, 7, 7, 1)
    expect(sum(out)).toBeCloseTo(1, 5)
    expect(out[3 * 7 + 3]).toBeCloseTo(1 / 9, 5)
    expect(out[2 * 7 + 2]).toBeCloseTo(1 / 9, 5)
    expect(out[1 * 7 + 1]).toBe(0)
  })

  it('leaves constant masks unchanged (edge clamping) and radius 0 copies', () => {
    const ones = new Float32Array(5 * 4).fill(1)
    for (const value of boxBlurMask(ones, 5, 4, 2)) expect(value).toBeCloseTo(1, 6)
    const copy = boxBlurMask(ones, 5, 4, 0)
    expect(copy).not.toBe(ones)
    expect([...copy]).toEqual([...ones])
  })

  it('turns a hard edge into a ramp', () => {
    const width = 9
    const mask = new Float32Array(width).map((_, x) => (x >= 4 ? 1 : 0))
    const out = boxBlurMask(mask, width, 1, 1)
    expect(out[2]).toBe(0)
    expect(out[3]).toBeCloseTo(1 / 3, 6)
    expect(out[4]).toBeCloseTo(2 / 3, 6)
    expect(out[5]).toBe(1)
  })
})

describe('rasterizePolygon', () => {
  it('fills an axis-aligned rectangle exactly (pixel centres inside)', () => {
    const square: Point[] = [
      [2, 1],
      [6, 1],
      [6, 4],
      [2, 4]
    ]
    const mask = rasterizePolygon(square, 8, 6)
    expect(sum(mask)).toBe(4 * 3)
    expect(mask[1 * 8 + 2]).toBe(1)
    expect(mask[1 * 8 + 6]).toBe(0)
    expect(mask[4 * 8 + 2]).toBe(0)
  })

  it('a triangle covers about its area; orientation does not matter', () => {
    const triangle: Point[] = [
      [0, 0],
      [40, 0],
      [0, 40]
    ]
    const area = 800
    expect(Math.abs(sum(rasterizePolygon(triangle, 50, 50)) - area)).toBeLessThan(45)
    expect(sum(rasterizePolygon([...triangle].reverse(), 50, 50))).toBe(sum(rasterizePolygon(triangle, 50, 50)))
  })

  it('clips to the grid and ignores degenerate polygons', () => {
    const huge: Point[] = [
      [-10, -10],
      [100, -10],
      [100, 100],
      [-10, 100]
    ]
    expect(sum(rasterizePolygon(huge, 4, 3))).toBe(12)
    expect(sum(rasterizePolygon([[1, 1], [2, 2]], 4, 4))).toBe(0)
  })

  it('polygonsToMask scales source pixels to mask pixels and unions faces', () => {
    const left: Point[] = [
      [0, 0],
      [100, 0],
      [100, 100],
      [0, 100]
    ]
    const right: Point[] = left.map(([x, y]) => [x + 200, y])
    const mask = polygonsToMask([left, right], 400, 200, 40, 20)
    expect(sum(mask)).toBe(2 * 10 * 10)
    expect(mask[5 * 40 + 5]).toBe(1)
    expect(mask[5 * 40 + 15]).toBe(0)
    expect(mask[5 * 40 + 25]).toBe(1)
  })
})
