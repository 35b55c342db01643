/**
 * Conversion correctness: the ONNX models with our task code against the original
 * MediaPipe solutions (their WASM TFLite runtime, CPU inference) in headless
 * Chromium, on identical RGBA pixels from images shipped by @vladmandic/face-api.
 *
 * Detector and segmenter images are fed at the model's input size, so both sides
 * see the same input tensor (letterbox/stretch are identities there). The mesh
 * runs the full pipeline (detect -> rotated ROI -> mesh) on 640-px-wide images.
 *
 * The detectors also run end to end on 640-px photos, where the two letterbox resamplers
 * (ours on the CPU, MediaPipe's on WebGL) differ slightly.
 *
 * Stated tolerances (observed: 0.000 px / 0.00 % on all but one or two images; masks <= 1/255):
 */
const DETECTION_TOLERANCE_PX = 0.05 // box corners and 6 keypoints, in model-input pixels
const LETTERBOX_TOLERANCE = 0.05 // 640-px images through the letterbox: corners/keypoints / face width (observed <= 2.5 %)
const MESH_MEDIAN_TOLERANCE = 0.01 // median point distance / face box width
const MESH_MAX_TOLERANCE = 0.025 // worst of 468 points (x, y and z) / face box width
const MASK_MAX_DIFF = 2 // of 255
const MASK_MIN_IOU = 0.99 // person (>= 128) IoU

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FACE_DETECTOR_CONFIGS, FaceDetector, type FaceDetection } from '../../../src/engine/tasks/face-detector'
import { FaceMesh, meshRoiFromDetection } from '../../../src/engine/tasks/face-mesh'
import { PersonSegmenter } from '../../../src/engine/tasks/person-segmenter'
import { convertMediapipeModels, type ConvertedModels } from './converted-models'
import { loadRgba, SAMPLE_IMAGES as SAMPLES } from './sample-images'
import { CHROMIUM_PATH, chromiumAvailable, MediapipeReference, type ReferenceDetection } from './mediapipe-reference'

/** MediaPipe's own score thresholds in the solution graphs (short 0.5; full range 0.6, verified here). */
const GRAPH_MIN_SCORE = { short: FACE_DETECTOR_CONFIGS.short.graphMinScore, full: FACE_DETECTOR_CONFIGS.full.graphMinScore }

/** Largest coordinate difference between a reference detection and ours, in image pixels. */
function detectionError(ref: ReferenceDetection, ours: FaceDetection, w: number, h: number): number {
  const rx = (ref.box.xCenter - ref.box.width / 2) * w
  const ry = (ref.box.yCenter - ref.box.height / 2) * h
  const diffs = [rx - ours.box.x, ry - ours.box.y, ref.box.width * w - ours.box.width, ref.box.height * h - ours.box.height]
  ref.landmarks.forEach((p, k) => diffs.push(p.x * w - ours.keypoints[k][0], p.y * h - ours.keypoints[k][1]))
  return Math.max(...diffs.map(Math.abs))
}

if (!chromiumAvailable) console.warn(`mediapipe reference tests skipped: ${CHROMIUM_PATH} is not installed (apt-get install chromium)`)

describe.skipIf(!chromiumAvailable)('converted MediaPipe models vs MediaPipe in Chromium', () => {
  let models: ConvertedModels
  let reference: MediapipeReference

  beforeAll(async () => {
    models = await convertMediapipeModels()
    reference = await MediapipeReference.start()
  })
  afterAll(async () => {
    await reference?.close()
    await models?.remove()
  })

  for (const [variant, size] of [['short', 128], ['full', 192]] as const) {
    it(`face detector (${variant} range): same faces, boxes and keypoints within ${DETECTION_TOLERANCE_PX} px`, async () => {
      const detector = await FaceDetector.create(models.dir, variant)
      try {
        let compared = 0
        for (const path of SAMPLES) {
          const image = await loadRgba(path, size, size)
          reference.use(image)
          const expected = await reference.detections(variant)
          const ours = await detector.detect(image, GRAPH_MIN_SCORE[variant], 100)
          expect(ours.length, path).toBe(expected.length)
          for (const ref of expected) {
            const errors = ours.map((o) => detectionError(ref, o, size, size))
            expect(Math.min(...errors), path).toBeLessThanOrEqual(DETECTION_TOLERANCE_PX)
            compared++
          }
        }
        expect(compared).toBeGreaterThanOrEqual(10)
      } finally {
        await detector.close()
      }
    })
  }

  it(`face detector pipeline on 640-px photos (letterbox both ways): same faces within ${LETTERBOX_TOLERANCE * 100}% of face width`, async () => {
    for (const variant of ['short', 'full'] as const) {
      const detector = await FaceDetector.create(models.dir, variant)
      try {
        for (const path of SAMPLES) {
          const image = await loadRgba(path, 640)
          reference.use(image)
          const expected = await reference.detections(variant)
          const ours = await detector.detect(image, GRAPH_MIN_SCORE[variant], 100)
          expect(ours.length, `${variant} ${path}`).toBe(expected.length)
          for (const ref of expected) {
            const relative = ours.map((o) => detectionError(ref, o, image.width, image.height) / (ref.box.width * image.width))
            expect(Math.min(...relative), `${variant} ${path}`).toBeLessThanOrEqual(LETTERBOX_TOLERANCE)
          }
        }
      } finally {
        await detector.close()
      }
    }
  })

  it(`face mesh pipeline: 468 points within ${MESH_MEDIAN_TOLERANCE * 100}% (median) / ${MESH_MAX_TOLERANCE * 100}% (max) of face width`, async () => {
    const detector = await FaceDetector.create(models.dir, 'short')
    const mesh = await FaceMesh.create(models.dir)
    try {
      let compared = 0
      for (const path of SAMPLES) {
        const image = await loadRgba(path, 640)
        reference.use(image)
        const [expected] = await reference.mesh(1)
        if (!expected) continue
        const { width: w, height: h } = image
        const cx = (expected.reduce((s, p) => s + p.x, 0) / expected.length) * w
        const cy = (expected.reduce((s, p) => s + p.y, 0) / expected.length) * h
        const centre = (d: FaceDetection): number => Math.hypot(d.box.x + d.box.width / 2 - cx, d.box.y + d.box.height / 2 - cy)
        const faces = await detector.detect(image, 0.5, 10)
        const face = faces.sort((a, b) => centre(a) - centre(b))[0]
        expect(face, path).toBeDefined()
        const result = await mesh.estimate(image, meshRoiFromDetection(face))
        expect(result.presence, path).toBeGreaterThan(0.5)
        expect(result.mesh).toHaveLength(468)
        const errors = expected.map((p, k) => {
          const [x, y, z] = result.mesh[k]
          return Math.max(Math.hypot(p.x * w - x, p.y * h - y), Math.abs(p.z * w - z)) / face.box.width
        })
        errors.sort((a, b) => a - b)
        expect(errors[234], `${path} median`).toBeLessThanOrEqual(MESH_MEDIAN_TOLERANCE)
        expect(errors[467], `${path} max`).toBeLessThanOrEqual(MESH_MAX_TOLERANCE)
        compared++
      }
      expect(compared).toBeGreaterThanOrEqual(3)
    } finally {
      await detector.close()
      await mesh.close()
    }
  })

  for (const [variant, selection, width, height] of [['general', 0, 256, 256], ['landscape', 1, 256, 144]] as const) {
    it(`person segmenter (${variant}): mask within ${MASK_MAX_DIFF}/255, IoU >= ${MASK_MIN_IOU}, same orientation`, async () => {
      const segmenter = await PersonSegmenter.create(models.dir, variant)
      try {
        for (const path of SAMPLES) {
          const image = await loadRgba(path, width, height)
          reference.use(image)
          const expected = await reference.mask(selection)
          const ours = await segmenter.segment(image)
          expect([ours.width, ours.height]).toEqual([width, height])
          let worst = 0
          let intersection = 0
          let union = 0
          for (let i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - ours.data[i]))
            const a = expected[i] >= 128
            const b = ours.data[i] >= 128
            if (a && b) intersection++
            if (a || b) union++
          }
          expect(worst, path).toBeLessThanOrEqual(MASK_MAX_DIFF)
          expect(intersection / union, path).toBeGreaterThanOrEqual(MASK_MIN_IOU)
        }
      } finally {
        await segmenter.close()
      }
    })
  }
})
