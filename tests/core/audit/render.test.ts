import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import {
  blurBackground,
  blurPhoto,
  encodeJpeg,
  fillPolygon,
  personAlpha,
  polygonAlpha,
  renderAnnotated
} from '../../../src/core/audit/render'
import { annotationSvg } from '../../../src/shared/annotations'
import { circleCrop } from '../../../src/shared/face-geometry'
import type { Point, RgbaImage } from '../../../src/shared/vision'

const RED = [255, 0, 0]
const BLUE = [0, 0, 255]

/** A red vertical band (the "person", x in [from, to)) on a blue background with a bright stripe far away. */
function personScene(width: number, height: number, from: number, to: number): { image: RgbaImage; alpha: Uint8Array } {
  const data = new Uint8Array(width * height * 4)
  const alpha = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x
      const person = x >= from && x < to
      // A white stripe in the background (x in 10..14) gives the blur something to smear.
      const colour = person ? RED : x >= 10 && x < 15 ? [255, 255, 255] : BLUE
      data.set([...colour, 255], p * 4)
      alpha[p] = person ? 255 : 0
    }
  }
  return { image: { width, height, data }, alpha }
}

function rgbAt(image: RgbaImage, x: number, y: number): number[] {
  const i = (y * image.width + x) * 4
  return Array.from(image.data.subarray(i, i + 3))
}

describe('fillPolygon', () => {
  it('fills an axis-aligned rectangle exactly (pixel centres inside)', () => {
    const mask = fillPolygon(
      [
        [2, 1],
        [6, 1],
        [6, 4],
        [2, 4]
      ],
      8,
      6
    )
    let count = 0
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 8; x++) {
        const inside = x >= 2 && x < 6 && y >= 1 && y < 4
        expect(mask[y * 8 + x], `(${x},${y})`).toBe(inside ? 255 : 0)
        if (inside) count++
      }
    }
    expect(count).toBe(12)
  })

  it('fills a triangle with about its area, clips to the image, and ignores degenerate input', () => {
    const triangle: Point[] = [
      [0, 0],
      [100, 0],
      [0, 100]
    ]
    const mask = fillPolygon(triangle, 100, 100)
    const filled = mask.reduce((sum, v) => sum + (v ? 1 : 0), 0)
    expect(Math.abs(filled - 5000)).toBeLessThan(100)
    const clipped = fillPolygon(
      [
        [-50, -50],
        [150, -50],
        [150, 150],
        [-50, 150]
      ],
      20,
      10
    )
    expect(clipped.every((v) => v === 255)).toBe(true)
    expect(fillPolygon([[1, 1], [2, 2]], 4, 4).every((v) => v === 0)).toBe(true)
  })
})

describe('blurBackground', () => {
  const width = 120
  const height = 40
  const { image, alpha } = personScene(width, height, 60, 90)

  it('changes background pixels, keeps person pixels, and does not halo the person colour', async () => {
    const out = await blurBackground(image, alpha, 6)
    // Person pixels untouched.
    for (const x of [60, 75, 89]) expect(rgbAt(out, x, 20)).toEqual(RED)
    // The white stripe is smeared: background pixels changed.
    expect(rgbAt(out, 12, 20)).not.toEqual([255, 255, 255])
    expect(rgbAt(out, 17, 20)[0]).toBeGreaterThan(20)
    // Right next to the red person, the blurred background stays blue (a naive blur turns it purple).
    for (const x of [57, 58, 59, 90, 91, 93]) {
      const [r, g, b] = rgbAt(out, x, 20)
      expect(r, `red at x=${x}`).toBeLessThan(8)
      expect(g).toBeLessThan(8)
      expect(b).toBeGreaterThan(245)
    }
  })

  it('keeps the no-halo property for big blurs (computed on a downscaled copy)', async () => {
    const big = personScene(480, 160, 240, 360)
    const out = await blurBackground(big.image, big.alpha, 20)
    for (const x of [240, 300, 359]) expect(rgbAt(out, x, 80)).toEqual(RED)
    for (const x of [232, 236, 239, 360, 363]) {
      const [r, , b] = rgbAt(out, x, 80)
      expect(r, `red at x=${x}`).toBeLessThan(10)
      expect(b).toBeGreaterThan(235)
    }
    // The white stripe at x 10..14 is spread out: a pixel 20 px away picks up some of it.
    expect(rgbAt(out, 32, 80)[0]).toBeGreaterThan(15)
    expect(rgbAt(out, 12, 80)[0]).toBeLessThan(200)
  })

  it('is a no-op at sigma 0 and rejects a mask of the wrong size', async () => {
    const out = await blurBackground(image, alpha, 0)
    expect(Array.from(out.data)).toEqual(Array.from(image.data))
    await expect(blurBackground(image, new Uint8Array(10), 5)).rejects.toThrow(RangeError)
  })
})

describe('personAlpha', () => {
  it('upscales a low-res mask to the photo size and feathers the edge', async () => {
    // 4×2 mask: right half person.
    const mask = { width: 4, height: 2, data: new Uint8Array([0, 0, 255, 255, 0, 0, 255, 255]) }
    const alpha = await personAlpha(mask, 400, 200)
    expect(alpha.length).toBe(400 * 200)
    expect(alpha[100 * 400 + 20]).toBeLessThan(5)
    expect(alpha[100 * 400 + 380]).toBeGreaterThan(250)
    // Somewhere across the edge the value is in between (soft edge, not a step).
    const row = Array.from(alpha.subarray(100 * 400, 101 * 400))
    expect(row.filter((v) => v > 20 && v < 235).length).toBeGreaterThan(5)
  })
})

describe('feathering on big photos (reduced-size path)', () => {
  it('keeps the mask shape and a soft edge when the feather runs downscaled', async () => {
    // 2000×1600: feather sigma 8 px, so the mask is feathered at half size.
    const mask = { width: 4, height: 2, data: new Uint8Array([0, 0, 255, 255, 0, 0, 255, 255]) }
    const alpha = await personAlpha(mask, 2000, 1600)
    expect(alpha.length).toBe(2000 * 1600)
    const row = Array.from(alpha.subarray(800 * 2000, 801 * 2000))
    expect(row[100]).toBeLessThan(5)
    expect(row[1900]).toBeGreaterThan(250)
    const soft = row.filter((v) => v > 20 && v < 235).length
    expect(soft).toBeGreaterThan(10)
    expect(soft).toBeLessThan(600)

    const square: Point[] = [
      [500, 400],
      [1500, 400],
      [1500, 1200],
      [500, 1200]
    ]
    const face = await polygonAlpha(square, 2000, 1600)
    expect(face[800 * 2000 + 1000]).toBe(255)
    expect(face[100 * 2000 + 100]).toBe(0)
    expect(face[800 * 2000 + 500]).toBeGreaterThan(80)
    expect(face[800 * 2000 + 500]).toBeLessThan(175)
  })
})

describe('blurPhoto', () => {
  const { image } = personScene(120, 120, 40, 80)

  it('face mode keeps the face polygon sharp and blurs outside it', async () => {
    const face: Point[] = [
      [30, 30],
      [90, 30],
      [90, 90],
      [30, 90]
    ]
    const out = await blurPhoto(image, { mode: 'face', strength: 1, faceOutline: face })
    expect(rgbAt(out, 60, 60)).toEqual(RED)
    expect(rgbAt(out, 12, 110)).not.toEqual([255, 255, 255])
  })

  it('person mode without a mask returns the photo unchanged', async () => {
    const out = await blurPhoto(image, { mode: 'person', strength: 1 })
    expect(Array.from(out.data)).toEqual(Array.from(image.data))
  })
})

describe('annotated and encoded output', () => {
  it('draws the circle, outline, box and landmarks and encodes JPEG', async () => {
    const width = 200
    const height = 160
    const image: RgbaImage = { width, height, data: new Uint8Array(width * height * 4).fill(128) }
    const landmarks: Point[] = [
      [100, 80],
      [110, 90]
    ]
    const outline: Point[] = [
      [70, 50],
      [130, 50],
      [130, 120],
      [70, 120]
    ]
    const annotations = { circle: circleCrop(width, height), faceOutline: outline, box: { x: 60, y: 40, width: 80, height: 90 }, landmarks }
    const svg = annotationSvg(width, height, annotations)
    expect(svg).toContain('<polygon class="outline" points="70.0,50.0 130.0,50.0 130.0,120.0 70.0,120.0"')
    expect(svg.match(/fill="#ff2d55"/g)).toHaveLength(2)
    expect(svg).toContain('<rect class="box" x="60" y="40" width="80" height="90"')

    const encoded = await renderAnnotated(image, annotations)
    expect(encoded).toMatchObject({ mimeType: 'image/jpeg', width, height })
    const decoded = await sharp(encoded.data).raw().toBuffer({ resolveWithObject: true })
    expect(decoded.info).toMatchObject({ width, height, format: 'raw' })
    // The corner lies outside the circle, so it is dimmed.
    expect(decoded.data[0]).toBeLessThan(100)

    const small = await renderAnnotated(image, annotations, { maxSide: 100 })
    expect(small).toMatchObject({ width: 100, height: 80 })
    expect((await sharp(small.data).metadata()).width).toBe(100)

    const plain = await encodeJpeg(image)
    expect((await sharp(plain.data).metadata()).format).toBe('jpeg')
  })
})
