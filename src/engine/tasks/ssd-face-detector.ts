/**
 * face-api's SSD MobileNet v1 face detector (WIDER FACE) around an ONNX session: a second
 * detector for hard stills (profiles, looking down, partly hidden, small faces) where
 * BlazeFace finds nothing. Sample the 512 input exactly as face-api does (pad bottom/right, resize), decode the box encodings against
 * the model's own anchors, greedy NMS (IoU 0.5) as face-api does, map back to image pixels.
 * Slow (a few hundred ms on one thread): for stills, not for video.
 */
import { join } from 'node:path'
import type * as ort from 'onnxruntime-node'
import { SmilecamError } from '../../shared/errors'
import type { Box, RgbaImage } from '../../shared/vision'
import { cropToTensor, type Roi } from '../ops/image'
import { intersectionOverUnion, type ScoredBox } from '../ops/nms'
import { createSession, runFloat } from '../ops/session'
import { detectionToImage, type FaceDetection } from './face-detector'

export const SSD_FACE_DETECTOR_FILE = 'face_detection_ssd.onnx'
export const SSD_INPUT_SIZE = 512
/** face-api's NMS overlap threshold for this detector. */
export const SSD_IOU_THRESHOLD = 0.5
/** The TF object-detection box coder's scale factors for y, x (centre) and h, w (log size). */
const CENTRE_SCALE = 10
const SIZE_SCALE = 5
/** face-api feeds RGB 0..255; the model normalises to -1..1 itself. */
const SSD_NORM = { mean: 0, scale: 1 } as const

/**
 * Decodes SSD box encodings (ty, tx, th, tw per anchor) against anchors (ymin, xmin, ymax, xmax),
 * keeping candidates with score >= minScore. Boxes are in fractions of the square input
 * (x, y, width, height); SSD has no keypoints.
 */
export function decodeSsdBoxes(
  encodings: Float32Array,
  scores: Float32Array,
  anchors: Float32Array,
  minScore: number
): ScoredBox[] {
  const count = scores.length
  if (encodings.length !== count * 4 || anchors.length !== count * 4) {
    throw new SmilecamError('ENGINE_FAILED', 'SSD face detector outputs do not match its anchors; run npm run models')
  }
  const candidates: ScoredBox[] = []
  for (let i = 0; i < count; i++) {
    const score = scores[i]
    if (!(score >= minScore)) continue
    const a = i * 4
    const anchorHeight = anchors[a + 2] - anchors[a]
    const anchorWidth = anchors[a + 3] - anchors[a + 1]
    const cy = (encodings[a] / CENTRE_SCALE) * anchorHeight + anchors[a] + anchorHeight / 2
    const cx = (encodings[a + 1] / CENTRE_SCALE) * anchorWidth + anchors[a + 1] + anchorWidth / 2
    const height = Math.exp(encodings[a + 2] / SIZE_SCALE) * anchorHeight
    const width = Math.exp(encodings[a + 3] / SIZE_SCALE) * anchorWidth
    candidates.push({ box: { x: cx - width / 2, y: cy - height / 2, width, height }, score, points: [] })
  }
  return candidates
}

/**
 * Plain greedy NMS (face-api's for this detector): best first, dropping every candidate
 * that overlaps an already kept box by IoU > iouThreshold, until maxResults are kept.
 */
export function greedyNms(candidates: readonly ScoredBox[], iouThreshold: number, maxResults: number): ScoredBox[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score)
  const kept: ScoredBox[] = []
  for (const candidate of sorted) {
    if (kept.length >= maxResults) break
    if (kept.every((k) => intersectionOverUnion(k.box, candidate.box) <= iouThreshold)) kept.push(candidate)
  }
  return kept
}

/**
 * The ROI that reproduces face-api's input exactly: the image padded to a square on the
 * bottom/right (padToSquare), resized with tf.image.resizeBilinear (no half-pixel centres,
 * so output pixel i samples source x = i * side / inputSize). cropToTensor samples pixel
 * centres, so the ROI moves up-left by (scale - 1) / 2 to land on the same source points.
 * Why: the net is not shift invariant. Centred letterboxing moved boxes by up to 17% of
 * the face width against face-api on its demo photos and scores by up to 0.13; this ROI
 * gives face-api's scores to 1e-3. Boxes mapped back through it are in true image pixels
 * (face-api's own mapping ignores that offset, so it differs from ours by that much).
 */
export function faceApiInputRoi(width: number, height: number, inputSize: number = SSD_INPUT_SIZE): Roi {
  const side = Math.max(width, height)
  const offset = (side / inputSize - 1) / 2
  return { cx: side / 2 - offset, cy: side / 2 - offset, width: side, height: side, angle: 0 }
}

/** Clips a box to the unit square of the model input, as face-api does before mapping back. */
export function clipToUnitSquare(box: Box): Box {
  const x0 = Math.max(0, box.x)
  const y0 = Math.max(0, box.y)
  const x1 = Math.min(1, box.x + box.width)
  const y1 = Math.min(1, box.y + box.height)
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) }
}

export class SsdFaceDetector {
  private session: ort.InferenceSession | null
  private readonly input = new Float32Array(SSD_INPUT_SIZE * SSD_INPUT_SIZE * 3)

  private constructor(session: ort.InferenceSession) {
    this.session = session
  }

  static async create(modelDir: string): Promise<SsdFaceDetector> {
    return new SsdFaceDetector(await createSession(join(modelDir, SSD_FACE_DETECTOR_FILE)))
  }

  /** Faces with score >= minScore, best first, at most maxFaces; keypoints are empty (SSD has none). */
  async detect(image: RgbaImage, minScore: number, maxFaces: number): Promise<FaceDetection[]> {
    if (!this.session) throw new SmilecamError('ENGINE_CLOSED', 'The SSD face detector was already closed.')
    if (!(image.width > 0 && image.height > 0)) throw new SmilecamError('INVALID_INPUT', 'The image is empty.')
    const size = SSD_INPUT_SIZE
    const roi = faceApiInputRoi(image.width, image.height)
    cropToTensor(image, roi, size, size, SSD_NORM, this.input)
    const [encodings, scores, anchors] = await runFloat(this.session, this.input, [1, size, size, 3], ['box_encodings', 'scores', 'anchors'])
    const faces = greedyNms(decodeSsdBoxes(encodings, scores, anchors, minScore), SSD_IOU_THRESHOLD, maxFaces)
    return faces.map((face) => detectionToImage({ ...face, box: clipToUnitSquare(face.box) }, roi))
  }

  async close(): Promise<void> {
    const session = this.session
    this.session = null
    await session?.release()
  }
}
