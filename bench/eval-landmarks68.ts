/**
 * NME of the 68-point landmark task on ../shared/data/landmarks68 (keypoints.csv).
 * NME = mean point error / distance between points 36 and 45 (outer eye corners).
 *
 *   npx tsx bench/eval-landmarks68.ts [dataDir] [--sweep]
 *
 * Without --sweep it prints the NME of the chosen ROI rules, with and without the output
 * calibration (LANDMARK_CROP_OFFSET_PX), and the mean signed error in 112-px crop pixels.
 *
 * ROI sources: `truth-box` (the ground-truth points' box, zero roll: a stand-in for a detector box),
 * `truth-box+refine` (second pass with the ROI rebuilt from the first pass's points),
 * `detector` (BlazeFace from src/engine/tasks/face-detector.ts, when present) and `detector+refine`.
 */
import { readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { boundingBox } from '../src/shared/face-geometry'
import { decodeFile } from '../src/core'
import type { Point, RgbaImage } from '../src/shared/vision'
import { DETECTION_ROI_SCALE, DETECTION_ROI_SHIFT, FaceDetector, FaceLandmarks68, imagePointToCrop, LANDMARK_ROI_SCALE, LANDMARK_ROI_SHIFT, landmarkRoiFromDetection, landmarkRoiFromPoints, LANDMARKS68_MODEL, type FaceDetection, type Roi } from '../src/engine'
import { readCsv } from './data'
import { normalizedMeanError } from './eval-landmarks'

export interface LandmarkSample {
  file: string
  points: Point[]
}

export interface NmeReport {
  method: string
  images: number
  /** Images where the ROI source found a face. */
  detected: number
  /** Mean NME over detected images. */
  nme: number
  /** Fraction of detected images with NME above 0.1 (gross failures). */
  failureRate: number
  /** Mean signed error (predicted - truth) in 112-px crop pixels of the final ROI, x and y. */
  biasCropPx: Point
}

/** Returns the ROI(s) to try for an image, or null when the ROI source finds no face. */
export type RoiSource = (image: RgbaImage, sample: LandmarkSample) => Promise<Roi | null>

/** The annotated frames of keypoints.csv (file, x0, y0, … x67, y67). */
export async function readLandmarkSamples(dataDir: string): Promise<LandmarkSample[]> {
  const rows = await readCsv(join(dataDir, 'keypoints.csv'))
  return rows.map((row) => ({ file: row.file, points: Array.from({ length: 68 }, (_, i): Point => [Number(row[`x${i}`]), Number(row[`y${i}`])]) }))
}

export async function evalLandmarks68(
  samples: readonly { sample: LandmarkSample; image: RgbaImage }[],
  landmarks: FaceLandmarks68,
  method: string,
  roiSource: RoiSource,
  refinePasses = 0
): Promise<NmeReport> {
  let detected = 0
  let sum = 0
  let failures = 0
  const bias: Point = [0, 0]
  for (const { sample, image } of samples) {
    let roi = await roiSource(image, sample)
    if (!roi) continue
    let points = await landmarks.estimate(image, roi)
    for (let pass = 0; pass < refinePasses; pass++) {
      roi = landmarkRoiFromPoints(points)
      points = await landmarks.estimate(image, roi)
    }
    const nme = normalizedMeanError(points, sample.points)
    detected++
    sum += nme
    if (nme > 0.1) failures++
    const [bx, by] = meanSignedErrorInCrop(points, sample.points, roi)
    bias[0] += bx
    bias[1] += by
  }
  return {
    method,
    images: samples.length,
    detected,
    nme: detected ? sum / detected : NaN,
    failureRate: detected ? failures / detected : NaN,
    biasCropPx: [bias[0] / detected, bias[1] / detected]
  }
}

/** Mean of (predicted - truth) over the 68 points, in the ROI's upright 112-px crop frame. */
function meanSignedErrorInCrop(predicted: readonly Point[], truth: readonly Point[], roi: Roi): Point {
  const size = LANDMARKS68_MODEL.size
  let sx = 0
  let sy = 0
  for (let i = 0; i < truth.length; i++) {
    const [px, py] = imagePointToCrop(roi, size, size, predicted[i][0], predicted[i][1])
    const [tx, ty] = imagePointToCrop(roi, size, size, truth[i][0], truth[i][1])
    sx += px - tx
    sy += py - ty
  }
  return [sx / truth.length, sy / truth.length]
}

/** Square around the ground-truth points' box, no roll: what a good upright detector box gives. */
export function truthBoxRoi(scale: number, shift: number): RoiSource {
  return async (_image, sample) => {
    const box = boundingBox(sample.points)
    const side = Math.max(box.width, box.height) * scale
    return { cx: box.x + box.width / 2, cy: box.y + box.height / 2 + shift * side, width: side, height: side, angle: 0 }
  }
}

/** Square around the detector box rolled with the detector's eye keypoints; `detections` caches one run per image. */
export function detectorRoi(detections: Map<string, FaceDetection | null>, scale: number, shift: number): RoiSource {
  return async (_image, sample) => {
    const detection = detections.get(sample.file)
    return detection ? landmarkRoiFromDetection(detection, scale, shift) : null
  }
}

/** Runs BlazeFace once per image; keeps the detection whose box centre is nearest the ground-truth face. */
async function detectAll(
  modelDir: string,
  samples: readonly { sample: LandmarkSample; image: RgbaImage }[]
): Promise<Map<string, FaceDetection | null>> {
  const detections = new Map<string, FaceDetection | null>()
  for (const variant of ['short', 'full'] as const) {
    const detector = await FaceDetector.create(modelDir, variant)
    try {
      for (const { sample, image } of samples) {
        if (detections.get(sample.file)) continue
        const truth = boundingBox(sample.points)
        const found = await detector.detect(image, 0.5, 4)
        const centreDistance = (d: FaceDetection): number =>
          Math.hypot(d.box.x + d.box.width / 2 - truth.x - truth.width / 2, d.box.y + d.box.height / 2 - truth.y - truth.height / 2)
        const nearest = found.sort((a, b) => centreDistance(a) - centreDistance(b))[0]
        detections.set(sample.file, nearest && centreDistance(nearest) < truth.width ? nearest : null)
      }
    } finally {
      await detector.close()
    }
  }
  return detections
}

function formatReport(r: NmeReport): string {
  const [bx, by] = r.biasCropPx.map((v) => v.toFixed(2))
  return `${r.method.padEnd(44)} NME ${(r.nme * 100).toFixed(2)}%  detected ${r.detected}/${r.images}  NME>10%: ${(r.failureRate * 100).toFixed(1)}%  bias x ${bx} y ${by} crop px`
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const dataDir = resolve(args.find((a) => !a.startsWith('--')) ?? '../shared/data/landmarks68')
  const modelDir = resolve(process.env.SMILECAM_MODEL_DIR ?? 'resources/models')
  const files = new Set(await readdir(dataDir).catch(() => [] as string[]))
  if (!files.has('keypoints.csv')) {
    console.log(`eval-landmarks68: skipped, ${dataDir}/keypoints.csv not found`)
    return
  }
  const samples = await Promise.all((await readLandmarkSamples(dataDir)).map(async (sample) => ({ sample, image: (await decodeFile(join(dataDir, sample.file))).image })))
  const landmarks = await FaceLandmarks68.create(modelDir)
  const rawLandmarks = await FaceLandmarks68.create(modelDir, { cropOffsetPx: 0 })
  try {
    const detections = await detectAll(modelDir, samples)
    if (args.includes('--sweep')) {
      for (const scale of [1.0, 1.1, 1.2, 1.3, 1.4, 1.5]) {
        for (const shift of [-0.05, 0, 0.05, 0.1, 0.15]) {
          console.log(formatReport(await evalLandmarks68(samples, rawLandmarks, `truth-box scale ${scale} shift ${shift}`, truthBoxRoi(scale, shift))))
          console.log(formatReport(await evalLandmarks68(samples, rawLandmarks, `detector scale ${scale} shift ${shift}`, detectorRoi(detections, scale, shift))))
        }
      }
      return
    }
    const truthRule = truthBoxRoi(LANDMARK_ROI_SCALE, LANDMARK_ROI_SHIFT)
    const detectorRule = detectorRoi(detections, DETECTION_ROI_SCALE, DETECTION_ROI_SHIFT)
    for (const [label, model] of [['raw net', rawLandmarks], ['calibrated', landmarks]] as const) {
      console.log(formatReport(await evalLandmarks68(samples, model, `${label}: truth-box rule`, truthRule)))
      console.log(formatReport(await evalLandmarks68(samples, model, `${label}: detector rule`, detectorRule)))
      console.log(formatReport(await evalLandmarks68(samples, model, `${label}: detector rule + 1 refine`, detectorRule, 1)))
    }
  } finally {
    await landmarks.close()
    await rawLandmarks.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
