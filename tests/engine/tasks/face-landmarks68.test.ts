import { boundingBox } from '../../../src/shared/face-geometry'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SmilecamError } from '../../../src/shared/errors'
import type { Point, RgbaImage } from '../../../src/shared/vision'
import type { Roi } from '../../../src/engine/ops/image'
import {
  FaceLandmarks68,
  LANDMARK_CROP_OFFSET_PX,
  landmarkRoiFromDetection,
  landmarkRoiFromPoints,
  landmarksFromOutput,
} from '../../../src/engine/tasks/face-landmarks68'
import { faceApiConverter } from '../../../tools/convert/tfjs/face-api'

const require = createRequire(import.meta.url)
const sample2 = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample2.jpg')

async function readRgba(path: string, rotate = 0): Promise<RgbaImage> {
  const { data, info } = await sharp(path).rotate(rotate).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }
}

function mean(points: readonly Point[]): Point {
  return [points.reduce((s, p) => s + p[0], 0) / points.length, points.reduce((s, p) => s + p[1], 0) / points.length]
}

describe('landmarksFromOutput', () => {
  it('maps crop fractions through an upright ROI', () => {
    const output = new Float32Array(136)
    output[0] = 0.5 // point 0 at the crop centre
    output[1] = 0.5
    output[2] = 0 // point 1 at the crop's top-left corner
    output[3] = 0
    const roi: Roi = { cx: 100, cy: 50, width: 40, height: 40, angle: 0 }
    const points = landmarksFromOutput(output, roi, 0)
    expect(points).toHaveLength(68)
    expect(points[0]).toEqual([100, 50])
    expect(points[1]).toEqual([80, 30])
  })

  it('adds the calibration offset in crop pixels before mapping back', () => {
    const output = new Float32Array(136).fill(0.5)
    const roi: Roi = { cx: 100, cy: 50, width: 224, height: 224, angle: 0 }
    const [p] = landmarksFromOutput(output, roi, 1)
    // One 112-px crop pixel is two image pixels for a 224-px ROI.
    expect(p[0]).toBeCloseTo(102, 9)
    expect(p[1]).toBeCloseTo(52, 9)
    expect(landmarksFromOutput(output, roi)[0][0]).toBeCloseTo(100 + 2 * LANDMARK_CROP_OFFSET_PX, 9)
  })

  it('rotates points with the ROI', () => {
    const output = new Float32Array(136)
    output[0] = 1 // right edge centre of the crop
    output[1] = 0.5
    const [p] = landmarksFromOutput(output, { cx: 0, cy: 0, width: 10, height: 10, angle: Math.PI / 2 }, 0)
    // The crop's +x axis points down the image when the ROI is turned 90 degrees clockwise.
    expect(p[0]).toBeCloseTo(0, 9)
    expect(p[1]).toBeCloseTo(5, 9)
  })

  it('rejects an output of the wrong size', () => {
    expect(() => landmarksFromOutput(new Float32Array(10), { cx: 0, cy: 0, width: 1, height: 1, angle: 0 })).toThrow()
  })
})

describe('landmark ROI rules', () => {
  const square: Point[] = Array.from({ length: 68 }, (_, i): Point => [10 + (i % 9) * 10, 20 + Math.floor(i / 9) * 10])
  square[36] = [20, 40]
  square[45] = [80, 40]

  it('sizes the ROI from the points and follows their roll', () => {
    const roi = landmarkRoiFromPoints(square, 1.5, 0)
    const box = boundingBox(square)
    expect(roi.angle).toBeCloseTo(0, 9)
    expect(roi.width).toBeCloseTo(Math.max(box.width, box.height) * 1.5, 9)
    expect(roi.cx).toBeCloseTo(box.x + box.width / 2, 9)
    const turned = square.map(([x, y]): Point => [-y, x]) // the same face turned 90 degrees clockwise
    const turnedRoi = landmarkRoiFromPoints(turned, 1.5, 0)
    expect(turnedRoi.angle).toBeCloseTo(Math.PI / 2, 9)
    expect(turnedRoi.width).toBeCloseTo(roi.width, 9)
    expect(turnedRoi.cx).toBeCloseTo(-roi.cy, 9)
    expect(turnedRoi.cy).toBeCloseTo(roi.cx, 9)
  })

  it('centres the detector ROI on the box, shifted down the face, rolled with the eyes', () => {
    const detection = {
      box: { x: 100, y: 100, width: 80, height: 80 },
      score: 0.9,
      keypoints: [[120, 130], [160, 130], [140, 150], [140, 165], [105, 135], [175, 135]] as Point[]
    }
    const roi = landmarkRoiFromDetection(detection)
    expect(roi.angle).toBeCloseTo(0, 9)
    expect(roi.cx).toBeCloseTo(140, 9)
    expect(roi.cy).toBeGreaterThanOrEqual(140)
    expect(roi.width).toBeGreaterThan(80)
  })
})

describe('FaceLandmarks68', () => {
  let modelDir = ''
  let model: FaceLandmarks68

  beforeAll(async () => {
    modelDir = await mkdtemp(join(tmpdir(), 'smilecam-lm68-'))
    await faceApiConverter.convert(modelDir)
    model = await FaceLandmarks68.create(modelDir)
  })

  afterAll(async () => {
    await model?.close()
    if (modelDir) await rm(modelDir, { recursive: true, force: true })
  })

  // The middle face of face-api's sample2.jpg (looking down), found by eye.
  const faceRoi: Roi = { cx: 985, cy: 370, width: 260, height: 260, angle: 0 }

  it('finds a face layout in image pixels', async () => {
    const image = await readRgba(sample2)
    const points = await model.estimate(image, faceRoi)
    expect(points).toHaveLength(68)
    const eyes = mean(points.slice(36, 48))
    const mouth = mean(points.slice(48, 68))
    expect(mouth[1] - eyes[1]).toBeGreaterThan(30) // the mouth is below the eyes
    expect(points[36][0]).toBeLessThan(points[45][0]) // outer eye corners left to right
    for (const [x, y] of points) {
      expect(Math.abs(x - faceRoi.cx)).toBeLessThan(faceRoi.width / 2)
      expect(Math.abs(y - faceRoi.cy)).toBeLessThan(faceRoi.height / 2)
    }
  })

  it('gives the same points for a rotated image with a rotated ROI', async () => {
    const image = await readRgba(sample2)
    const turned = await readRgba(sample2, 90) // 90 degrees clockwise: (x, y) -> (H - y, x)
    const upright = await model.estimate(image, faceRoi)
    const turnedRoi: Roi = { cx: image.height - faceRoi.cy, cy: faceRoi.cx, width: faceRoi.width, height: faceRoi.height, angle: Math.PI / 2 }
    const back = (await model.estimate(turned, turnedRoi)).map(([x, y]): Point => [y, image.height - x])
    for (let i = 0; i < 68; i++) {
      expect(back[i][0]).toBeCloseTo(upright[i][0], 1)
      expect(back[i][1]).toBeCloseTo(upright[i][1], 1)
    }
  })

  it('fails with typed errors for a missing model or a bad ROI', async () => {
    await expect(FaceLandmarks68.create(join(modelDir, 'nowhere'))).rejects.toMatchObject({ code: 'MODEL_MISSING' })
    const image: RgbaImage = { width: 4, height: 4, data: new Uint8Array(64) }
    await expect(model.estimate(image, { cx: 2, cy: 2, width: 0, height: 4, angle: 0 })).rejects.toBeInstanceOf(SmilecamError)
  })
})
