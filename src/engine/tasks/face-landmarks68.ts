/**
 * 68 iBUG face landmarks from face-api's landmark net (face_landmark_68.onnx).
 * The net sees one upright square crop and returns x,y pairs as fractions of it;
 * we map them back through the (possibly rotated) ROI into image pixels.
 */
import { boundingBox } from '../../shared/face-geometry'
import type { Point, RgbaImage } from '../../shared/vision'
import { cropPointToImage, type Roi } from '../ops/image'
import { CropModel, type CropModelSpec } from './crop-model'
import { detectionRollRadians, type FaceDetection } from './face-detector'

/** face_landmark_68.onnx: RGB 0..255 in (face-api's normalisation is inside the graph), 136 crop fractions out. */
export const LANDMARKS68_MODEL: CropModelSpec = {
  file: 'face_landmark_68.onnx',
  inputName: 'image',
  outputName: 'landmarks',
  size: 112,
  norm: { mean: 0, scale: 1 }
}
const LANDMARK_COUNT = 68

/**
 * ROI rules, measured on ../shared/data/landmarks68 (bench/eval-landmarks68.ts --sweep).
 * From 68 points (a first pass or the previous frame): a square of SCALE x the longer side
 * of the points' box, centred SHIFT x side below the box centre (along the face's "down").
 */
export const LANDMARK_ROI_SCALE = 1.4
export const LANDMARK_ROI_SHIFT = 0.1
/** From a BlazeFace detection: a square of SCALE x the box's longer side, centre moved SHIFT x side down the face. */
export const DETECTION_ROI_SCALE = 1.4
export const DETECTION_ROI_SHIFT = 0.1
/**
 * The net's points sit consistently up and left of the labelled ones, by about one
 * crop pixel in x and y at every ROI size we tried (bench/eval-landmarks68.ts --bias).
 * Adding it back, in 112-px crop units, is a fixed calibration of the model, not per image.
 */
export const LANDMARK_CROP_OFFSET_PX = 1

export class FaceLandmarks68 {
  private constructor(
    private readonly model: CropModel,
    private readonly offsetPx: number
  ) {}

  /** `cropOffsetPx` overrides the output calibration (0 = the net's raw points, for measuring it). */
  static async create(modelDir: string, options: { cropOffsetPx?: number } = {}): Promise<FaceLandmarks68> {
    return new FaceLandmarks68(await CropModel.open(modelDir, LANDMARKS68_MODEL), options.cropOffsetPx ?? LANDMARK_CROP_OFFSET_PX)
  }

  /** 68 points in image pixels for the face inside `roi` (rotated ROIs give upright crops). */
  async estimate(image: RgbaImage, roi: Roi): Promise<Point[]> {
    return landmarksFromOutput(await this.model.run(image, roi), roi, this.offsetPx)
  }

  async close(): Promise<void> {
    await this.model.close()
  }
}

/** Maps the net's [136] output (fractions of the crop) to image pixels through the ROI. */
export function landmarksFromOutput(output: ArrayLike<number>, roi: Roi, offsetPx = LANDMARK_CROP_OFFSET_PX): Point[] {
  if (output.length !== LANDMARK_COUNT * 2) throw new Error(`landmark net returned ${output.length} values`)
  const size = LANDMARKS68_MODEL.size
  const points: Point[] = []
  for (let i = 0; i < LANDMARK_COUNT; i++) {
    points.push(cropPointToImage(roi, size, size, output[2 * i] * size + offsetPx, output[2 * i + 1] * size + offsetPx))
  }
  return points
}

/** The landmark ROI for a BlazeFace detection: square, rolled with the eye line. */
export function landmarkRoiFromDetection(detection: FaceDetection, scale = DETECTION_ROI_SCALE, shift = DETECTION_ROI_SHIFT): Roi {
  const { box } = detection
  const angle = detectionRollRadians(detection)
  const side = Math.max(box.width, box.height) * scale
  return shiftedSquare(box.x + box.width / 2, box.y + box.height / 2, side, angle, shift)
}

/** A square ROI of `side` rolled by `angle`, its centre moved `shift` x side along the face's "down" axis. */
function shiftedSquare(cx: number, cy: number, side: number, angle: number, shift: number): Roi {
  return { cx: cx - Math.sin(angle) * shift * side, cy: cy + Math.cos(angle) * shift * side, width: side, height: side, angle }
}

/**
 * The landmark ROI for a face whose 68 points are known approximately (a previous
 * frame, or a first pass): square, rolled with the eye line, sized from the points.
 */
export function landmarkRoiFromPoints(points: readonly Point[], scale = LANDMARK_ROI_SCALE, shift = LANDMARK_ROI_SHIFT): Roi {
  const angle = Math.atan2(points[45][1] - points[36][1], points[45][0] - points[36][0])
  // Measure the extent in the face's own (un-rolled) frame so a tilted head doesn't inflate the box.
  const cos = Math.cos(-angle)
  const sin = Math.sin(-angle)
  const upright = points.map(([x, y]): Point => [x * cos - y * sin, x * sin + y * cos])
  const box = boundingBox(upright)
  const ux = box.x + box.width / 2
  const uy = box.y + box.height / 2
  // Rotate the centre back into the image.
  const cx = ux * Math.cos(angle) - uy * Math.sin(angle)
  const cy = ux * Math.sin(angle) + uy * Math.cos(angle)
  return shiftedSquare(cx, cy, Math.max(box.width, box.height) * scale, angle, shift)
}
