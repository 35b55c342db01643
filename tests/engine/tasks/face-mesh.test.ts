import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Point } from '../../../src/shared/vision'
import { FaceDetector, type FaceDetection } from '../../../src/engine/tasks/face-detector'
import { FaceMesh, meshRoiFromDetection, meshRoiFromMesh, meshToImage, type MeshPoint } from '../../../src/engine/tasks/face-mesh'
import { convertMediapipeModels, type ConvertedModels } from '../../tools/tflite/converted-models'
import { loadRgba, SAMPLE_IMAGES } from '../../tools/tflite/sample-images'

function detection(rightEye: Point, leftEye: Point): FaceDetection {
  return { box: { x: 100, y: 50, width: 80, height: 100 }, score: 0.9, keypoints: [rightEye, leftEye, [140, 110], [140, 130], [100, 90], [180, 90]] }
}

describe('mesh ROIs', () => {
  it('from a detection: centred on the box, 1.5x its long side, level eyes give no rotation', () => {
    const roi = meshRoiFromDetection(detection([120, 90], [160, 90]))
    expect(roi).toEqual({ cx: 140, cy: 100, width: 150, height: 150, angle: 0 })
  })

  it('from a detection: rotated by the eye line so a tilted head is cropped upright', () => {
    // Subject's left eye (image right) lower: head tilted clockwise in the image.
    expect(meshRoiFromDetection(detection([120, 80], [160, 120])).angle).toBeCloseTo(Math.PI / 4)
    expect(meshRoiFromDetection(detection([120, 120], [160, 80])).angle).toBeCloseTo(-Math.PI / 4)
    // Upside-down face: eyes swapped left/right.
    expect(Math.abs(meshRoiFromDetection(detection([160, 90], [120, 90])).angle)).toBeCloseTo(Math.PI)
  })

  it('from a mesh: bounding box of the points, rotated by eye corners 33 -> 263', () => {
    const mesh: MeshPoint[] = Array.from({ length: 468 }, (_, i) => [10 + (i % 20), 20 + Math.floor(i / 20), 0])
    mesh[33] = [12, 25, 0]
    mesh[263] = [22, 35, 0]
    const roi = meshRoiFromMesh(mesh)
    expect(roi.cx).toBeCloseTo(10 + 19 / 2)
    expect(roi.cy).toBeCloseTo(20 + 23 / 2)
    expect(roi.width).toBeCloseTo(23 * 1.5)
    expect(roi.angle).toBeCloseTo(Math.PI / 4)
    expect(() => meshRoiFromMesh(mesh.slice(0, 10))).toThrow()
  })

  it('maps model points (192 px input) to image pixels through the ROI, z scaled like x', () => {
    const raw = new Float32Array(468 * 3)
    raw.set([96, 96, 10, 192, 0, -4])
    const upright = meshToImage(raw, { cx: 500, cy: 300, width: 384, height: 384, angle: 0 })
    expect(upright[0]).toEqual([500, 300, 20])
    expect(upright[1]).toEqual([692, 108, -8])
    const rotated = meshToImage(raw, { cx: 500, cy: 300, width: 384, height: 384, angle: Math.PI / 2 })
    // The crop's +x axis points down the image when the ROI is rotated a quarter turn clockwise.
    expect(rotated[1][0]).toBeCloseTo(692)
    expect(rotated[1][1]).toBeCloseTo(492)
  })
})

describe('FaceMesh on converted models', () => {
  let models: ConvertedModels
  let detector: FaceDetector
  let mesh: FaceMesh
  beforeAll(async () => {
    models = await convertMediapipeModels()
    detector = await FaceDetector.create(models.dir, 'short')
    mesh = await FaceMesh.create(models.dir)
  })
  afterAll(async () => {
    await detector?.close()
    await mesh?.close()
    await models?.remove()
  })

  it('puts the mesh on the detected face, and tracks it from its own ROI', async () => {
    const image = await loadRgba(SAMPLE_IMAGES[0], 640)
    const [face] = await detector.detect(image, 0.5, 1)
    const result = await mesh.estimate(image, meshRoiFromDetection(face))
    expect(result.presence).toBeGreaterThan(0.9)
    expect(result.mesh).toHaveLength(468)
    // Nose tip (mesh 1) near the detector's nose keypoint; eye corners around the detector's eyes.
    const faceSize = face.box.width
    expect(Math.hypot(result.mesh[1][0] - face.keypoints[2][0], result.mesh[1][1] - face.keypoints[2][1])).toBeLessThan(faceSize * 0.15)
    expect(result.mesh[33][0]).toBeLessThan(face.keypoints[0][0])
    expect(result.mesh[263][0]).toBeGreaterThan(face.keypoints[1][0])
    // Tracking (ROI from the previous mesh) settles: this tilted head's crop turns upright
    // over a few frames (detector eye keypoints are coarse), then the mesh stops moving.
    let previous = result.mesh
    let drift: number[] = []
    for (let frame = 0; frame < 4; frame++) {
      const tracked = await mesh.estimate(image, meshRoiFromMesh(previous))
      expect(tracked.presence).toBeGreaterThan(0.9)
      drift = tracked.mesh.map((p, i) => Math.hypot(p[0] - previous[i][0], p[1] - previous[i][1])).sort((a, b) => a - b)
      previous = tracked.mesh
    }
    expect(drift[234]).toBeLessThan(faceSize * 0.01)
  })

  it('gives the same mesh for a face rotated a quarter turn (the ROI un-rotates it)', async () => {
    const image = await loadRgba(SAMPLE_IMAGES[0], 640)
    const rotated = await loadRgba(SAMPLE_IMAGES[0], 640, undefined, (s) => s.rotate(90))
    const [face] = await detector.detect(image, 0.5, 1)
    const upright = await mesh.estimate(image, meshRoiFromDetection(face))
    // sharp.rotate(90) turns clockwise: (x, y) -> (H - 1 - y, x). The same face, its detection rotated by hand:
    const turn = ([x, y]: readonly number[]): Point => [image.height - y, x]
    const box = face.box
    const turnedFace: FaceDetection = {
      box: { x: image.height - box.y - box.height, y: box.x, width: box.height, height: box.width },
      score: face.score,
      keypoints: face.keypoints.map(turn)
    }
    const result = await mesh.estimate(rotated, meshRoiFromDetection(turnedFace))
    expect(result.presence).toBeGreaterThan(0.9)
    const errors = upright.mesh.map((p, i) => Math.hypot(turn(p)[0] - result.mesh[i][0], turn(p)[1] - result.mesh[i][1])).sort((a, b) => a - b)
    expect(errors[234]).toBeLessThan(box.width * 0.02)
    expect(errors[467]).toBeLessThan(box.width * 0.08)
  })

  it('reports no face on a blank crop and rejects an empty ROI', async () => {
    const blank = { width: 200, height: 200, data: new Uint8Array(200 * 200 * 4).fill(90) }
    expect((await mesh.estimate(blank, { cx: 100, cy: 100, width: 150, height: 150, angle: 0 })).presence).toBeLessThan(0.5)
    await expect(mesh.estimate(blank, { cx: 100, cy: 100, width: 0, height: 150, angle: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})
