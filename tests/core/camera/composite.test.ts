import { describe, expect, it } from 'vitest'
import { boxRadiusForSigma, compositeFrame, rgbaToYuv420, yuv420ToRgba, type Yuv420Frame } from '../../../src/core'

const W = 96
const H = 64

/** A bright square "person" (Y 230) on a dark, finely striped background (Y 20 / 60), neutral chroma. */
function scene(): { frame: Yuv420Frame; keep: Float32Array } {
  const y = new Uint8Array(W * H)
  const keep = new Float32Array(W * H)
  for (let j = 0; j < H; j++) {
    for (let i = 0; i < W; i++) {
      const person = i >= 40 && i < 72 && j >= 16 && j < 64
      y[j * W + i] = person ? 230 : i % 2 === 0 ? 20 : 60
      keep[j * W + i] = person ? 1 : 0
    }
  }
  const c = (W / 2) * (H / 2)
  return { frame: { width: W, height: H, y, u: new Uint8Array(c).fill(128), v: new Uint8Array(c).fill(128) }, keep }
}

const at = (frame: Yuv420Frame, x: number, y: number): number => frame.y[y * frame.width + x]

describe('compositeFrame', () => {
  it('leaves the person exactly as it was and smooths the background', () => {
    const { frame, keep } = scene()
    const out = compositeFrame(frame, keep, { kind: 'blur', sigma: 6 })
    for (let j = 16; j < 64; j++) for (let i = 40; i < 72; i++) expect(at(out, i, j)).toBe(230)
    // The 20/60 stripes average out to about 40.
    for (const x of [4, 5, 20, 21]) expect(Math.abs(at(out, x, 8) - 40)).toBeLessThan(4)
  })

  it('keeps the person out of the blurred background (no halo)', () => {
    const { frame, keep } = scene()
    const out = compositeFrame(frame, keep, { kind: 'blur', sigma: 6 })
    // Two pixels left of the person: a plain blur would mix in the bright person (well above 60).
    expect(at(out, 37, 40)).toBeLessThan(48)
    expect(at(out, 37, 40)).toBeGreaterThan(32)
  })

  it('blurs every pixel when there is no mask (fail closed), the person included', () => {
    const { frame } = scene()
    const out = compositeFrame(frame, null, { kind: 'blur', sigma: 6 })
    expect(at(out, 41, 40)).toBeLessThan(200)
    expect(Math.abs(at(out, 4, 8) - at(out, 5, 8))).toBeLessThan(3)
    // Even with a replacement background: without a mask to place the person, everything is blurred.
    const planes = rgbaToYuv420(new Uint8ClampedArray(W * H * 4).fill(255), W, H)
    const replaced = compositeFrame(frame, null, { kind: 'image', planes })
    expect(replaced.y.includes(planes.y[0])).toBe(false)
    expect(at(replaced, 41, 40)).toBeLessThan(220)
    expect(Math.abs(at(replaced, 4, 8) - at(replaced, 5, 8))).toBeLessThan(6)
  })

  it('puts a replacement background behind the person', () => {
    const { frame, keep } = scene()
    const rgba = new Uint8ClampedArray(W * H * 4)
    for (let o = 0; o < rgba.length; o += 4) rgba.set([0, 0, 255, 255], o)
    const planes = rgbaToYuv420(rgba, W, H)
    const out = compositeFrame(frame, keep, { kind: 'image', planes })
    expect(at(out, 56, 40)).toBe(230)
    expect(at(out, 5, 5)).toBe(planes.y[5 * W + 5])
    expect(out.u[2 * (W / 2) + 2]).toBe(planes.u[2 * (W / 2) + 2])
  })

  it('approximates a Gaussian with three box passes', () => {
    expect(boxRadiusForSigma(0)).toBe(0)
    // Three boxes of radius r have variance (2r+1)^2 - 1) / 4: r = 5 -> sigma 5.48.
    expect(boxRadiusForSigma(5.48)).toBe(5)
  })
})

describe('BT.601 conversions', () => {
  it('maps white, black and a colour to the limited-range values ffmpeg uses', () => {
    const rgba = Uint8ClampedArray.from([255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255])
    const yuv = rgbaToYuv420(rgba, 2, 2)
    expect(Array.from(yuv.y)).toEqual([235, 235, 16, 16])
    expect([yuv.u[0], yuv.v[0]]).toEqual([128, 128])
    const red = rgbaToYuv420(Uint8ClampedArray.from({ length: 16 }, (_, i) => [255, 0, 0, 255][i % 4]), 2, 2)
    expect([red.y[0], red.u[0], red.v[0]]).toEqual([81, 90, 240])
  })

  it('round-trips smooth colours within a few levels, downscaling on the way', () => {
    const width = 8
    const height = 6
    const rgba = new Uint8ClampedArray(width * height * 4)
    for (let p = 0; p < width * height; p++) rgba.set([200, 120, 60, 255], p * 4)
    const back = yuv420ToRgba(rgbaToYuv420(rgba, width, height), 4, 3)
    expect(back.width).toBe(4)
    for (let o = 0; o < back.data.length; o += 4) {
      expect(Math.abs(back.data[o] - 200)).toBeLessThanOrEqual(2)
      expect(Math.abs(back.data[o + 1] - 120)).toBeLessThanOrEqual(2)
      expect(Math.abs(back.data[o + 2] - 60)).toBeLessThanOrEqual(2)
      expect(back.data[o + 3]).toBe(255)
    }
    const full = yuv420ToRgba(rgbaToYuv420(rgba, width, height, 'full'), width, height, 'full')
    expect(Math.abs(full.data[0] - 200)).toBeLessThanOrEqual(2)
  })
})
