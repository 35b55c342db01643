import { describe, expect, it } from 'vitest'
import {
  cropPointToImage,
  cropToTensor,
  imagePointToCrop,
  letterboxRoi,
  squareRoiAround,
  type Roi
} from '../../../src/engine/ops/image'
import type { RgbaImage } from '../../../src/shared/vision'

/** A w×h image whose red channel is the x coordinate and green the y coordinate. */
function gradient(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4
      data.set([x, y, 7, 255], p)
    }
  }
  return { width, height, data }
}

describe('cropToTensor', () => {
  it('copies pixels exactly when the ROI is the image at 1:1', () => {
    const image = gradient(4, 3)
    const t = cropToTensor(image, { cx: 2, cy: 1.5, width: 4, height: 3, angle: 0 }, 4, 3, { mean: 0, scale: 1 })
    expect(Array.from(t.slice(0, 6))).toEqual([0, 0, 7, 1, 0, 7])
    // Pixel (3, 2) is the last one.
    expect(Array.from(t.slice(-3))).toEqual([3, 2, 7])
  })

  it('normalises with mean and scale', () => {
    const image = gradient(2, 2)
    const t = cropToTensor(image, { cx: 1, cy: 1, width: 2, height: 2, angle: 0 }, 2, 2, { mean: [1, 0, 7], scale: 0.5 })
    expect(Array.from(t.slice(9, 12))).toEqual([0, 0.5, 0])
  })

  it('interpolates bilinearly between pixels when downscaling by 2', () => {
    const image = gradient(4, 4)
    const t = cropToTensor(image, { cx: 2, cy: 2, width: 4, height: 4, angle: 0 }, 2, 2, { mean: 0, scale: 1 })
    // Output pixel 0 centres on image (0.5, 0.5) -> mean of x in {0,1} = 0.5.
    expect(t[0]).toBeCloseTo(0.5, 6)
    expect(t[1]).toBeCloseTo(0.5, 6)
  })

  it('pads outside the image with black', () => {
    const image = gradient(2, 2)
    const t = cropToTensor(image, letterboxRoi(2, 1), 2, 2, { mean: 0, scale: 1 })
    expect(t.length).toBe(12)
    const blank = cropToTensor(image, { cx: 100, cy: 100, width: 2, height: 2, angle: 0 }, 2, 2, { mean: 0, scale: 1 })
    expect(Array.from(blank)).toEqual(new Array(12).fill(0))
  })

  it('un-rotates a rotated ROI (90 degrees swaps axes)', () => {
    const image = gradient(5, 5)
    const roi: Roi = { cx: 2.5, cy: 2.5, width: 5, height: 5, angle: Math.PI / 2 }
    const t = cropToTensor(image, roi, 5, 5, { mean: 0, scale: 1 })
    // Moving right in the crop moves down in the image: red stays, green grows.
    const at = (i: number, j: number): [number, number] => [t[(j * 5 + i) * 3], t[(j * 5 + i) * 3 + 1]]
    expect(at(0, 0)[1]).toBeCloseTo(0, 5)
    expect(at(4, 0)[1]).toBeCloseTo(4, 5)
    expect(at(0, 0)[0]).toBeCloseTo(4, 5)
  })

  it('produces one luma channel in grayscale mode', () => {
    const image: RgbaImage = { width: 1, height: 1, data: new Uint8Array([100, 100, 100, 255]) }
    const t = cropToTensor(image, { cx: 0.5, cy: 0.5, width: 1, height: 1, angle: 0 }, 1, 1, { mean: 0, scale: 1 / 255, grayscale: true })
    expect(t.length).toBe(1)
    expect(t[0]).toBeCloseTo(100 / 255, 6)
  })
})

describe('ROI point mapping', () => {
  it('cropPointToImage and imagePointToCrop are inverses, also when rotated', () => {
    const roi: Roi = { cx: 50, cy: 40, width: 30, height: 20, angle: 0.3 }
    const [x, y] = cropPointToImage(roi, 64, 48, 10, 30)
    const [u, v] = imagePointToCrop(roi, 64, 48, x, y)
    expect(u).toBeCloseTo(10, 9)
    expect(v).toBeCloseTo(30, 9)
  })

  it('maps the crop centre to the ROI centre and corners to the rectangle', () => {
    const roi = squareRoiAround({ x: 10, y: 20, width: 40, height: 20 }, 1.5)
    expect(roi).toEqual({ cx: 30, cy: 30, width: 60, height: 60, angle: 0 })
    expect(cropPointToImage(roi, 100, 100, 50, 50)).toEqual([30, 30])
    expect(cropPointToImage(roi, 100, 100, 0, 0)).toEqual([0, 0])
  })
})

describe('cropToTensor fast upright path', () => {
  it('samples exactly like the general (rotated) path, inside, across the border and outside the image', () => {
    const width = 37
    const height = 23
    const data = new Uint8Array(width * height * 4)
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 251
    const image = { width, height, data: new Uint8ClampedArray(data.buffer) }
    const norm = { mean: [10, 20, 30] as const, scale: 0.5 }
    for (const roi of [
      { cx: 18.5, cy: 11.5, width: 37, height: 23, angle: 0 },
      { cx: 5, cy: 3, width: 30, height: 19, angle: 0 },
      { cx: 40, cy: -5, width: 20, height: 20, angle: 0 },
      { cx: 18.5, cy: 11.5, width: 50, height: 50, angle: 0 }
    ]) {
      const fast = cropToTensor(image, roi, 16, 12, norm)
      const general = cropToTensor(image, { ...roi, angle: 1e-12 }, 16, 12, norm)
      let worst = 0
      for (let i = 0; i < fast.length; i++) worst = Math.max(worst, Math.abs(fast[i] - general[i]))
      expect(worst).toBeLessThan(1e-3)
    }
  })
})

describe('cropToTensor rotated crop inside the image (no bounds checks)', () => {
  it('matches a crop that touches the border sampled point by point', () => {
    const width = 64
    const height = 48
    const data = new Uint8Array(width * height * 4)
    for (let i = 0; i < data.length; i++) data[i] = (i * 104729) % 253
    const image = { width, height, data }
    const norm = { mean: 0, scale: 1 / 255 }
    const roi = { cx: 30, cy: 24, width: 20, height: 20, angle: 0.4 }
    const inside = cropToTensor(image, roi, 10, 10, norm)
    // The same sampling through the checked path: a 1-channel-per-call grayscale crop can't, so
    // compare each value with a hand-computed bilinear sample.
    const cos = Math.cos(roi.angle)
    const sin = Math.sin(roi.angle)
    for (const [i, j] of [[0, 0], [9, 0], [0, 9], [5, 5], [9, 9]]) {
      const dx = (i + 0.5 - 5) * 2
      const dy = (j + 0.5 - 5) * 2
      const x = roi.cx + dx * cos - dy * sin - 0.5
      const y = roi.cy + dx * sin + dy * cos - 0.5
      const xf = Math.floor(x)
      const yf = Math.floor(y)
      const ax = x - xf
      const ay = y - yf
      const at = (px: number, py: number) => data[(py * width + px) * 4]
      const expected = (at(xf, yf) * (1 - ax) * (1 - ay) + at(xf + 1, yf) * ax * (1 - ay) + at(xf, yf + 1) * (1 - ax) * ay + at(xf + 1, yf + 1) * ax * ay) / 255
      expect(inside[(j * 10 + i) * 3]).toBeCloseTo(expected, 4)
    }
  })
})
