import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SmilecamError } from '../../../src/shared/errors'
import { cropToTensor } from '../../../src/engine/ops/image'
import type { ScoredBox } from '../../../src/engine/ops/nms'
import { detectionToImage } from '../../../src/engine/tasks/face-detector'
import {
  clipToUnitSquare,
  decodeSsdBoxes,
  faceApiInputRoi,
  greedyNms,
  SsdFaceDetector
} from '../../../src/engine/tasks/ssd-face-detector'
import { ssdMobilenetConverter } from '../../../tools/convert/tfjs/ssd-mobilenet'
import { loadRgba, SAMPLE_IMAGES } from '../../tools/tflite/sample-images'

describe('decodeSsdBoxes', () => {
  // Anchor ymin, xmin, ymax, xmax = 0.2, 0.1, 0.4, 0.5: centre (x 0.3, y 0.3), size 0.4 wide x 0.2 high.
  const anchors = Float32Array.of(0.2, 0.1, 0.4, 0.5, 0.2, 0.1, 0.4, 0.5)
  // Second anchor: ty 1 (+0.1 height), tx -2 (-0.2 width), th 5 ln 2 (height x2), tw 0 (width kept).
  const encodings = Float32Array.of(0, 0, 0, 0, 1, -2, 5 * Math.log(2), 0)

  it('decodes TF box-coder offsets against the anchors and keeps scores >= minScore', () => {
    const faces = decodeSsdBoxes(encodings, Float32Array.of(0.3, 0.9), anchors, 0.5)
    expect(faces).toHaveLength(1)
    const [{ box, score, points }] = faces
    expect(score).toBeCloseTo(0.9)
    expect(points).toEqual([])
    expect(box.x).toBeCloseTo(0.3 - 0.08 - 0.2, 6)
    expect(box.y).toBeCloseTo(0.3 + 0.02 - 0.2, 6)
    expect(box.width).toBeCloseTo(0.4, 6)
    expect(box.height).toBeCloseTo(0.4, 6)
  })

  it('rejects outputs whose sizes do not match', () => {
    expect(() => decodeSsdBoxes(new Float32Array(4), Float32Array.of(0.3, 0.9), anchors, 0.5)).toThrow(SmilecamError)
    expect(() => decodeSsdBoxes(encodings, Float32Array.of(0.3, 0.9), new Float32Array(4), 0.5)).toThrow(SmilecamError)
  })
})

describe('greedyNms', () => {
  const scored = (x: number, score: number): ScoredBox => ({ box: { x, y: 0, width: 1, height: 1 }, score, points: [] })
  // IoU with the box at x = 0: shift 0.25 -> 0.6, shift 0.5 -> 1/3.
  const best = scored(0, 0.9)
  const heavyOverlap = scored(0.25, 0.8)
  const lightOverlap = scored(0.5, 0.7)

  it('keeps the best box unchanged and drops the ones overlapping a kept box by IoU > threshold', () => {
    expect(greedyNms([lightOverlap, heavyOverlap, best], 0.5, 10)).toEqual([best, lightOverlap])
    expect(greedyNms([lightOverlap, heavyOverlap, best], 0.7, 10)).toEqual([best, heavyOverlap, lightOverlap])
  })

  it('stops at maxResults', () => {
    expect(greedyNms([lightOverlap, best], 0.5, 1)).toEqual([best])
    expect(greedyNms([lightOverlap, best], 0.5, 0)).toEqual([])
  })
})

describe('clipToUnitSquare', () => {
  it('clips to 0..1 and never returns a negative size', () => {
    const clipped = clipToUnitSquare({ x: -0.1, y: 0.5, width: 0.3, height: 0.7 })
    expect(clipped.x).toBe(0)
    expect(clipped.y).toBe(0.5)
    expect(clipped.width).toBeCloseTo(0.2, 9)
    expect(clipped.height).toBeCloseTo(0.5, 9)
    expect(clipToUnitSquare({ x: 1.2, y: 0, width: 0.1, height: 0.1 }).width).toBe(0)
  })
})

describe('faceApiInputRoi', () => {
  // 256x128 image whose red channel is the column index and green the row index.
  const width = 256
  const height = 128
  const data = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([x, y, 0, 255], (y * width + x) * 4)
  }
  const image = { width, height, data }

  it('samples what tf.image.resizeBilinear samples after padding bottom/right (pixel i <- source i * scale)', () => {
    const size = 64
    const tensor = cropToTensor(image, faceApiInputRoi(width, height, size), size, size, { mean: 0, scale: 1 })
    const scale = width / size
    for (const [i, j] of [[0, 0], [5, 3], [63, 31]]) {
      const o = (j * size + i) * 3
      expect(tensor[o]).toBeCloseTo(i * scale, 3)
      expect(tensor[o + 1]).toBeCloseTo(j * scale, 3)
    }
    // The padding below the picture is black, as face-api's zeros.
    expect(tensor[(40 * size + 10) * 3 + 2]).toBe(0)
    expect(tensor[(40 * size + 10) * 3]).toBe(0)
  })

  it('maps input fractions back to image pixels (the picture fills the top of the square)', () => {
    const roi = faceApiInputRoi(width, height, 64)
    const face = detectionToImage({ box: { x: 0.25, y: 0.25, width: 0.25, height: 0.25 }, score: 1, points: [] }, roi)
    const offset = (width / 64 - 1) / 2
    expect(face.box.x).toBeCloseTo(64 - offset, 6)
    expect(face.box.y).toBeCloseTo(64 - offset, 6)
    expect(face.box.width).toBeCloseTo(64, 6)
    expect(face.box.height).toBeCloseTo(64, 6)
    expect(face.keypoints).toEqual([])
  })
})

describe('SsdFaceDetector on the converted model', () => {
  let modelDir = ''
  beforeAll(async () => {
    modelDir = await mkdtemp(join(tmpdir(), 'smilecam-ssd-task-'))
    await ssdMobilenetConverter.convert(modelDir)
  })
  afterAll(async () => {
    if (modelDir) await rm(modelDir, { recursive: true, force: true })
  })

  it('reports a missing model file as MODEL_MISSING', async () => {
    await expect(SsdFaceDetector.create('/nonexistent-model-dir')).rejects.toMatchObject({ code: 'MODEL_MISSING' })
  })

  it('finds the faces of a group photo in image pixels, mirror-consistent, best first', async () => {
    const detector = await SsdFaceDetector.create(modelDir)
    try {
      const image = await loadRgba(SAMPLE_IMAGES[4], 800)
      const faces = await detector.detect(image, 0.5, 20)
      expect(faces.length).toBeGreaterThanOrEqual(4)
      expect(faces.map((f) => f.score)).toEqual([...faces.map((f) => f.score)].sort((a, b) => b - a))
      for (const face of faces) {
        expect(face.keypoints).toEqual([])
        expect(face.score).toBeGreaterThanOrEqual(0.5)
        expect(face.box.x).toBeGreaterThanOrEqual(-1)
        expect(face.box.y).toBeGreaterThanOrEqual(-1)
        expect(face.box.x + face.box.width).toBeLessThanOrEqual(image.width + 1)
        expect(face.box.y + face.box.height).toBeLessThanOrEqual(image.height + 1)
        // Faces in this photo are 60-80 px wide at 800 px; a scale bug would be far off.
        expect(face.box.width).toBeGreaterThan(30)
        expect(face.box.width).toBeLessThan(160)
      }
      const mirrored = await detector.detect(await loadRgba(SAMPLE_IMAGES[4], 800, undefined, (s) => s.flop()), 0.5, 20)
      for (const face of faces.filter((f) => f.score >= 0.8)) {
        const expectedX = image.width - face.box.x - face.box.width
        const twin = mirrored.find((m) => Math.abs(m.box.x - expectedX) < face.box.width * 0.25)
        expect(twin, 'mirrored face').toBeDefined()
        expect(Math.abs(twin!.box.y - face.box.y)).toBeLessThan(face.box.height * 0.25)
      }
      expect(await detector.detect(image, 0.5, 1)).toEqual(faces.slice(0, 1))
      expect(await detector.detect(image, 0.5, 20)).toEqual(faces)
      expect((await detector.detect(image, 0.3, 20)).length).toBeGreaterThanOrEqual(faces.length)
    } finally {
      await detector.close()
    }
    await expect(detector.detect(await loadRgba(SAMPLE_IMAGES[0], 64), 0.5, 1)).rejects.toMatchObject({ code: 'ENGINE_CLOSED' })
  })

  it('finds no face in a blank image and rejects an empty one', async () => {
    const detector = await SsdFaceDetector.create(modelDir)
    try {
      const blank = { width: 320, height: 240, data: new Uint8Array(320 * 240 * 4).fill(128) }
      expect(await detector.detect(blank, 0.5, 10)).toEqual([])
      await expect(detector.detect({ width: 0, height: 0, data: new Uint8Array(0) }, 0.5, 10)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    } finally {
      await detector.close()
    }
  })
})
