/**
 * BlazeFace (MediaPipe face detection, short or full range) around an ONNX session:
 * letterbox the image into the square input, decode the SSD outputs against the
 * anchors, weighted NMS, and map boxes/keypoints back to image pixels.
 * Constants follow MediaPipe's face_detection_{short,full}_range graphs.
 */
import { join } from 'node:path'
import type * as ort from 'onnxruntime-node'
import { SmilecamError } from '../../shared/errors'
import type { Box, Point, RgbaImage } from '../../shared/vision'
import { generateSsdAnchors, type Anchor, type SsdAnchorOptions } from '../ops/anchors'
import { cropPointToImage, cropToTensor, letterboxRoi, type Roi } from '../ops/image'
import { weightedNms, type ScoredBox } from '../ops/nms'
import { createSession, runFloat, type SessionOptions } from '../ops/session'

export type FaceDetectorVariant = 'short' | 'full'

export interface FaceDetection {
  /** Pixels of the source image. */
  box: Box
  score: number
  /** Right eye, left eye, nose tip, mouth centre, right ear, left ear ("right" = the subject's right). */
  keypoints: Point[]
}

export interface FaceDetectorConfig {
  file: string
  inputSize: number
  anchors: SsdAnchorOptions
  /** IoU above which overlapping detections are merged. */
  iouThreshold: number
  /** The score threshold MediaPipe's own graph uses for this model (verified against it). */
  graphMinScore: number
}

const KEYPOINT_COUNT = 6
const VALUES_PER_ANCHOR = 4 + 2 * KEYPOINT_COUNT
/** Raw logits are clipped to ±100 before the sigmoid, as MediaPipe does. */
const SCORE_CLIP = 100
/** MediaPipe's ImageToTensor range for BlazeFace: RGB mapped to [-1, 1]. */
const DETECTOR_NORM = { mean: 127.5, scale: 1 / 127.5 } as const

const SHARED_ANCHORS = {
  minScale: 0.1484375,
  maxScale: 0.75,
  anchorOffsetX: 0.5,
  anchorOffsetY: 0.5,
  aspectRatios: [1],
  fixedAnchorSize: true
} as const

export const FACE_DETECTOR_CONFIGS: Record<FaceDetectorVariant, FaceDetectorConfig> = {
  short: {
    file: 'face_detection_short_range.onnx',
    inputSize: 128,
    anchors: { ...SHARED_ANCHORS, inputWidth: 128, inputHeight: 128, strides: [8, 16, 16, 16], interpolatedScaleAspectRatio: 1 },
    iouThreshold: 0.3,
    graphMinScore: 0.5
  },
  full: {
    file: 'face_detection_full_range.onnx',
    inputSize: 192,
    anchors: { ...SHARED_ANCHORS, inputWidth: 192, inputHeight: 192, strides: [4], interpolatedScaleAspectRatio: 0 },
    iouThreshold: 0.3,
    graphMinScore: 0.6
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x))
}

/**
 * Decodes the model outputs into candidates whose score reaches `minScore`, in
 * normalised input coordinates (0..1 of the square input). Offsets are in input
 * pixels relative to the anchor centre (x, y, w, h order, then keypoint x, y pairs).
 */
export function decodeDetections(
  regressors: Float32Array,
  logits: Float32Array,
  anchors: readonly Anchor[],
  inputSize: number,
  minScore: number
): ScoredBox[] {
  if (regressors.length !== anchors.length * VALUES_PER_ANCHOR || logits.length !== anchors.length) {
    throw new SmilecamError('ENGINE_FAILED', 'Face detector outputs do not match its anchors; run npm run models')
  }
  const candidates: ScoredBox[] = []
  for (let i = 0; i < anchors.length; i++) {
    const score = sigmoid(Math.min(SCORE_CLIP, Math.max(-SCORE_CLIP, logits[i])))
    if (score < minScore) continue
    const a = anchors[i]
    const r = i * VALUES_PER_ANCHOR
    const cx = (regressors[r] / inputSize) * a.width + a.x
    const cy = (regressors[r + 1] / inputSize) * a.height + a.y
    const w = (regressors[r + 2] / inputSize) * a.width
    const h = (regressors[r + 3] / inputSize) * a.height
    const points: Point[] = []
    for (let k = 0; k < KEYPOINT_COUNT; k++) {
      points.push([(regressors[r + 4 + 2 * k] / inputSize) * a.width + a.x, (regressors[r + 5 + 2 * k] / inputSize) * a.height + a.y])
    }
    candidates.push({ box: { x: cx - w / 2, y: cy - h / 2, width: w, height: h }, score, points })
  }
  return candidates
}

/** Maps a detection in normalised input coordinates through the letterbox ROI to image pixels. */
export function detectionToImage(candidate: ScoredBox, roi: Roi): FaceDetection {
  const [x0, y0] = cropPointToImage(roi, 1, 1, candidate.box.x, candidate.box.y)
  const [x1, y1] = cropPointToImage(roi, 1, 1, candidate.box.x + candidate.box.width, candidate.box.y + candidate.box.height)
  return {
    box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 },
    score: candidate.score,
    keypoints: candidate.points.map(([x, y]) => cropPointToImage(roi, 1, 1, x, y))
  }
}

export class FaceDetector {
  private session: ort.InferenceSession | null
  private readonly anchors: Anchor[]
  private readonly input: Float32Array

  private constructor(
    session: ort.InferenceSession,
    private readonly config: FaceDetectorConfig
  ) {
    this.session = session
    this.anchors = generateSsdAnchors(config.anchors)
    this.input = new Float32Array(config.inputSize * config.inputSize * 3)
  }

  static async create(modelDir: string, variant: FaceDetectorVariant, sessionOptions: SessionOptions = {}): Promise<FaceDetector> {
    const config = FACE_DETECTOR_CONFIGS[variant]
    return new FaceDetector(await createSession(join(modelDir, config.file), sessionOptions), config)
  }

  /** Faces with score >= minScore, best first, at most maxFaces. */
  async detect(image: RgbaImage, minScore: number, maxFaces: number): Promise<FaceDetection[]> {
    if (!this.session) throw new SmilecamError('ENGINE_CLOSED', 'The face detector was already closed.')
    if (!(image.width > 0 && image.height > 0)) throw new SmilecamError('INVALID_INPUT', 'The image is empty.')
    const size = this.config.inputSize
    const roi = letterboxRoi(image.width, image.height)
    cropToTensor(image, roi, size, size, DETECTOR_NORM, this.input)
    const [regressors, logits] = await runFloat(this.session, this.input, [1, size, size, 3], ['regressors', 'classificators'])
    const candidates = decodeDetections(regressors, logits, this.anchors, size, minScore)
    return weightedNms(candidates, this.config.iouThreshold, maxFaces).map((c) => detectionToImage(c, roi))
  }

  async close(): Promise<void> {
    const session = this.session
    this.session = null
    await session?.release()
  }
}

/** Roll of the face from the detector's eye keypoints (right eye, left eye first); 0 without them. */
export function detectionRollRadians(detection: FaceDetection): number {
  const [right, left] = detection.keypoints
  return right && left ? Math.atan2(left[1] - right[1], left[0] - right[0]) : 0
}
