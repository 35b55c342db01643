/** Face filters and feature boxes rasterised by sharp: the drawn pixels land where the placement says. */
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { renderAnnotated, renderFiltered } from '../../../src/core/audit/render'
import { circleCrop } from '../../../src/shared/face-geometry'
import { eyeCentres, placeFilterOnFaces } from '../../../src/shared/face-filters'
import { featureBoxes } from '../../../src/shared/feature-boxes'
import type { Point, RgbaImage } from '../../../src/shared/vision'
import { syntheticLandmarks } from './synthetic-face'

function grey(width: number, height: number): RgbaImage {
  return { width, height, data: new Uint8Array(width * height * 4).fill(230) }
}

function rotated(cx: number, cy: number, scale: number, degrees: number): Point[] {
  const a = (degrees * Math.PI) / 180
  return syntheticLandmarks({ cx, cy, scale }).map(([x, y]): Point => [
    cx + (x - cx) * Math.cos(a) - (y - cy) * Math.sin(a),
    cy + (x - cx) * Math.sin(a) + (y - cy) * Math.cos(a)
  ])
}

async function pixels(data: Uint8Array): Promise<{ width: number; height: number; rgb: Buffer }> {
  const { data: rgb, info } = await sharp(data).raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, rgb }
}

/** Centroid and principal angle of dark pixels (the lenses) inside a square window. */
function darkBlob(img: { width: number; rgb: Buffer }, [cx, cy]: Point, half: number): { centre: Point; angle: number; count: number } {
  let n = 0
  let sx = 0
  let sy = 0
  const pts: Point[] = []
  for (let y = Math.round(cy - half); y < cy + half; y++) {
    for (let x = Math.round(cx - half); x < cx + half; x++) {
      const i = (y * img.width + x) * 3
      if (img.rgb[i] + img.rgb[i + 1] + img.rgb[i + 2] < 150) {
        n++
        sx += x + 0.5
        sy += y + 0.5
        pts.push([x + 0.5, y + 0.5])
      }
    }
  }
  const mx = sx / n
  const my = sy / n
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (const [x, y] of pts) {
    sxx += (x - mx) ** 2
    syy += (y - my) ** 2
    sxy += (x - mx) * (y - my)
  }
  return { centre: [mx, my], angle: (0.5 * Math.atan2(2 * sxy, sxx - syy) * 180) / Math.PI, count: n }
}

describe('renderFiltered', () => {
  it('draws the sunglasses centred between the eyes (within 3 px) and rolled with the head, on every face', async () => {
    const faces = [{ landmarks68: rotated(220, 260, 90, 0) }, { landmarks68: rotated(560, 250, 110, 15) }]
    const out = await renderFiltered(grey(800, 500), placeFilterOnFaces('sunglasses', faces))
    const img = await pixels(out.data)
    for (const [index, roll] of [
      [0, 0],
      [1, 15]
    ] as const) {
      const [l, r] = eyeCentres(faces[index].landmarks68)
      const mid: Point = [(l[0] + r[0]) / 2, (l[1] + r[1]) / 2]
      const blob = darkBlob(img, mid, 140)
      expect(blob.count).toBeGreaterThan(1000)
      expect(Math.hypot(blob.centre[0] - mid[0], blob.centre[1] - mid[1])).toBeLessThan(3)
      expect(Math.abs(blob.angle - roll)).toBeLessThan(2)
    }
  })

  it('leaves the photo untouched outside the artwork (transparent background)', async () => {
    const out = await renderFiltered(grey(400, 400), placeFilterOnFaces('partyHat', [{ landmarks68: rotated(200, 260, 60, 0) }]))
    const img = await pixels(out.data)
    const corner = (img.rgb[0] + img.rgb[1] + img.rgb[2]) / 3
    expect(Math.abs(corner - 230)).toBeLessThan(3)
    // The hat is drawn above the brows, where the photo had only grey, and centred on the face.
    const brows = rotated(200, 260, 60, 0)[19][1]
    let changed = 0
    let sumX = 0
    for (let y = 0; y < brows - 30; y++) {
      for (let x = 0; x < img.width; x++) {
        const i = (y * img.width + x) * 3
        if (Math.max(Math.abs(img.rgb[i] - 230), Math.abs(img.rgb[i + 1] - 230), Math.abs(img.rgb[i + 2] - 230)) > 40) {
          changed++
          sumX += x + 0.5
        }
      }
    }
    expect(changed).toBeGreaterThan(3000)
    expect(Math.abs(sumX / changed - 200)).toBeLessThan(3)
  })
})

describe('renderAnnotated with feature boxes', () => {
  it('strokes a box around each feature', async () => {
    const p = rotated(200, 200, 100, 0)
    const boxes = featureBoxes(p)
    const out = await renderAnnotated(grey(400, 400), { circle: circleCrop(400, 400), featureBoxes: boxes })
    const img = await pixels(out.data)
    const mouth = boxes[3].box
    // The box's left edge at mid-height is orange (#ff9f1c).
    const x = Math.round(mouth.x)
    const y = Math.round(mouth.y + mouth.height / 2)
    const i = (y * img.width + x) * 3
    expect(img.rgb[i]).toBeGreaterThan(200)
    expect(img.rgb[i + 2]).toBeLessThan(100)
  })
})
