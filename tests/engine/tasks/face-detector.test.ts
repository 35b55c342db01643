import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SmilecamError } from '../../../src/shared/errors'
import { letterboxRoi } from '../../../src/engine/ops/image'
import { decodeDetections, detectionToImage, FaceDetector } from '../../../src/engine/tasks/face-detector'
import { convertMediapipeModels, type ConvertedModels } from '../../tools/tflite/converted-models'
import { loadRgba, SAMPLE_IMAGES } from '../../tools/tflite/sample-images'

describe('decodeDetections', () => {
  const anchors = [
    { x: 0.25, y: 0.25, width: 1, height: 1 },
    { x: 0.75, y: 0.5, width: 1, height: 1 }
  ]
  const regressors = new Float32Array(32)
  // anchor 1: centre offset (+12.8, -6.4) px of a 128 input, size 32x64 px, keypoint k at offset (k, 2k) px
  regressors.set([12.8, -6.4, 32, 64, 0, 0, 1, 2, 2, 4, 3, 6, 4, 8, 5, 10], 16)

  it('decodes centre/size offsets (input pixels, relative to the anchor) and keypoints, with sigmoid scores', () => {
    const [face, ...rest] = decodeDetections(regressors, Float32Array.from([-5, 2]), anchors, 128, 0.5)
    expect(rest).toHaveLength(0)
    expect(face.score).toBeCloseTo(1 / (1 + Math.exp(-2)))
    expect(face.box.x).toBeCloseTo(0.75 + 0.1 - 0.125)
    expect(face.box.y).toBeCloseTo(0.5 - 0.05 - 0.25)
    expect(face.box.width).toBeCloseTo(0.25)
    expect(face.box.height).toBeCloseTo(0.5)
    expect(face.points).toHaveLength(6)
    expect(face.points[3][0]).toBeCloseTo(0.75 + 3 / 128)
    expect(face.points[3][1]).toBeCloseTo(0.5 + 6 / 128)
  })

  it('clips huge logits instead of overflowing', () => {
    const faces = decodeDetections(regressors, Float32Array.from([1e9, -1e9]), anchors, 128, 0.5)
    expect(faces).toHaveLength(1)
    expect(faces[0].score).toBe(1)
  })

  it('rejects outputs that do not match the anchors', () => {
    expect(() => decodeDetections(new Float32Array(10), new Float32Array(2), anchors, 128, 0.5)).toThrow(SmilecamError)
  })
})

describe('detectionToImage', () => {
  it('maps normalised letterbox coordinates back to image pixels', () => {
    // 200x100 image letterboxed into a square: the image occupies rows 0.25..0.75 of the input.
    const roi = letterboxRoi(200, 100)
    const face = detectionToImage({ box: { x: 0, y: 0.25, width: 1, height: 0.5 }, score: 0.9, points: [[0.5, 0.5]] }, roi)
    expect(face.box.x).toBeCloseTo(0)
    expect(face.box.y).toBeCloseTo(0)
    expect(face.box.width).toBeCloseTo(200)
    expect(face.box.height).toBeCloseTo(100)
    expect(face.keypoints[0][0]).toBeCloseTo(100)
    expect(face.keypoints[0][1]).toBeCloseTo(50)
  })
})

describe('FaceDetector on converted models', () => {
  let models: ConvertedModels
  beforeAll(async () => {
    models = await convertMediapipeModels()
  })
  afterAll(async () => models?.remove())

  it('reports a missing model file as MODEL_MISSING', async () => {
    await expect(FaceDetector.create('/nonexistent-model-dir', 'short')).rejects.toMatchObject({ code: 'MODEL_MISSING' })
  })

  for (const variant of ['short', 'full'] as const) {
    it(`${variant}: finds the faces of a group photo, eyes ordered subject-right first, mirror-consistent`, async () => {
      const detector = await FaceDetector.create(models.dir, variant)
      try {
        const image = await loadRgba(SAMPLE_IMAGES[2], 640)
        const mirrored = await loadRgba(SAMPLE_IMAGES[2], 640, undefined, (s) => s.flop())
        const faces = await detector.detect(image, 0.5, 10)
        expect(faces.length).toBeGreaterThanOrEqual(2)
        expect(faces.map((f) => f.score)).toEqual([...faces.map((f) => f.score)].sort((a, b) => b - a))
        for (const face of faces) {
          expect(face.keypoints).toHaveLength(6)
          // Subject's right eye is on the image's left for a face looking at the camera.
          expect(face.keypoints[0][0]).toBeLessThan(face.keypoints[1][0])
          // Nose and mouth sit inside the box.
          for (const [x, y] of face.keypoints.slice(2, 4)) {
            expect(x).toBeGreaterThan(face.box.x)
            expect(x).toBeLessThan(face.box.x + face.box.width)
            expect(y).toBeGreaterThan(face.box.y)
            expect(y).toBeLessThan(face.box.y + face.box.height)
          }
        }
        // The detector is not exactly mirror-symmetric on ~18 px faces, so allow a quarter of the
        // face width; a mapping bug (unmirrored, or letterbox offsets) would be off by far more.
        const mirroredFaces = await detector.detect(mirrored, 0.5, 10)
        for (const face of faces.filter((f) => f.score >= 0.7)) {
          const expectedX = image.width - face.box.x - face.box.width
          const twin = mirroredFaces.find((m) => Math.abs(m.box.x - expectedX) < face.box.width * 0.25)
          expect(twin, 'mirrored face').toBeDefined()
          expect(Math.abs(twin!.box.y - face.box.y)).toBeLessThan(face.box.height * 0.25)
          expect(Math.abs(twin!.box.width - face.box.width)).toBeLessThan(face.box.width * 0.25)
        }
        expect(await detector.detect(image, 0.5, 1)).toHaveLength(1)
        expect(await detector.detect(image, 0.5, 10)).toEqual(faces)
      } finally {
        await detector.close()
      }
      await expect(detector.detect(await loadRgba(SAMPLE_IMAGES[0], 64), 0.5, 1)).rejects.toMatchObject({ code: 'ENGINE_CLOSED' })
    })
  }

  it('finds no face in a blank image and rejects an empty one', async () => {
    const detector = await FaceDetector.create(models.dir, 'short')
    try {
      const blank = { width: 320, height: 240, data: new Uint8Array(320 * 240 * 4).fill(128) }
      expect(await detector.detect(blank, 0.5, 10)).toEqual([])
      await expect(detector.detect({ width: 0, height: 0, data: new Uint8Array(0) }, 0.5, 10)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    } finally {
      await detector.close()
    }
  })
})
