import { describe, expect, it } from 'vitest'
import { compareRegion, gradientEnergy, meanAbsDiff, type RawFrame } from './frame-compare'

function checkerboard(width: number, height: number, channels: number, cell: number): RawFrame {
  const data = new Uint8Array(width * height * channels)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = (Math.floor(x / cell) + Math.floor(y / cell)) % 2 === 0 ? 200 : 40
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = c === 3 ? 255 : value
    }
  }
  return { width, height, channels, data }
}

/** A 3x3 box blur of the RGB channels (what a blur does to fine detail). */
function boxBlur(frame: RawFrame): RawFrame {
  const data = new Uint8Array(frame.data)
  for (let y = 1; y < frame.height - 1; y++) {
    for (let x = 1; x < frame.width - 1; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += frame.data[((y + dy) * frame.width + x + dx) * frame.channels + c]
        data[(y * frame.width + x) * frame.channels + c] = Math.round(sum / 9)
      }
    }
  }
  return { ...frame, data }
}

const whole = { x0: 0, y0: 0, x1: 1, y1: 1 }

describe('frame comparison', () => {
  it('finds no difference between a frame and itself, RGB against RGBA', () => {
    const rgb = checkerboard(32, 24, 3, 2)
    const rgba = checkerboard(32, 24, 4, 2)
    expect(meanAbsDiff(rgb, rgba, whole)).toBe(0)
    expect(compareRegion(rgba, rgb, whole).sharpness).toBeCloseTo(1, 6)
  })

  it('sees a blur as lost detail and changed pixels, only where it was applied', () => {
    const sharp = checkerboard(40, 40, 3, 2)
    const blurred = boxBlur(sharp)
    const left = { x0: 0, y0: 0, x1: 0.5, y1: 1 }
    // Blur only the left half.
    const mixed = new Uint8Array(sharp.data)
    for (let y = 0; y < 40; y++) for (let x = 0; x < 20; x++) for (let c = 0; c < 3; c++) mixed[(y * 40 + x) * 3 + c] = blurred.data[(y * 40 + x) * 3 + c]
    const shown = { ...sharp, data: mixed }
    const blurredSide = compareRegion(shown, sharp, { ...left, x1: 0.45 })
    const sharpSide = compareRegion(shown, sharp, { x0: 0.55, y0: 0, x1: 1, y1: 1 })
    expect(blurredSide.diff).toBeGreaterThan(20)
    expect(blurredSide.sharpness).toBeLessThan(0.6)
    expect(sharpSide.diff).toBe(0)
    expect(sharpSide.sharpness).toBeCloseTo(1, 6)
  })

  it('measures no detail in a flat region and rejects frames of different sizes', () => {
    const flat: RawFrame = { width: 8, height: 8, channels: 3, data: new Uint8Array(8 * 8 * 3).fill(90) }
    expect(gradientEnergy(flat, whole)).toBe(0)
    expect(() => meanAbsDiff(flat, checkerboard(9, 8, 3, 1), whole)).toThrow(/differ in size/)
  })
})
