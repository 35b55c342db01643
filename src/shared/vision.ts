/** Plain-data types of the vision engine, shared by every process. */

export type Point = [x: number, y: number]

export interface Box {
  x: number
  y: number
  width: number
  height: number
}

export const EMOTION_LABELS = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'] as const
export type EmotionLabel = (typeof EMOTION_LABELS)[number]
export type EmotionScores = Record<EmotionLabel, number>
export type Sentiment = 'positive' | 'neutral' | 'negative'

export interface FaceEmotion {
  label: EmotionLabel
  scores: EmotionScores
}

export interface FaceResult {
  /** Face box in original-image pixels. */
  box: Box
  /** The same box divided by image width/height (0..1). */
  boxNormalized: Box
  /** Detector confidence 0..1. */
  score: number
  /** iBUG 68 points (0-based layout) in original-image pixels. */
  landmarks68: Point[]
  /** MediaPipe 468-point mesh in pixels (z in the same scale as x); only with `mesh: true`. */
  mesh468?: [number, number, number][]
  /** Mouth aspect ratio from inner-lip points 61-67 over mouth width 48-54. */
  mar: number
  /** Eye aspect ratio, mean of both eyes. */
  ear: number
  /** Face roll angle in degrees (positive = head tilted clockwise in the image). */
  rollDeg: number
  /**
   * Smile score 0..1 from the learned smile head (expression nets + geometry), >= 0.5 meaning
   * smiling; only when the expression stage runs. Without the head file it is the happy score.
   */
  smile?: number
  /** What the pixels between the inner lips look like (stills only). */
  innerMouth?: InnerMouthAppearance
  emotion?: FaceEmotion
  sentiment?: Sentiment
}

export interface InnerMouthAppearance {
  /** Share of the inner-mouth pixels that look like teeth (bright and unsaturated next to the lips). */
  toothFraction: number
  /** Pixels sampled inside the inner-lip polygon. */
  innerPixels: number
}

/** Low-resolution person alpha mask, row-major, 0 = background, 255 = person. */
export interface PersonMask {
  width: number
  height: number
  data: Uint8Array
}

export interface VisionTimings {
  detectMs: number
  landmarksMs: number
  expressionMs: number
  segmentMs: number
  totalMs: number
  /**
   * Wall and process CPU time of the face detector, mesh and segmenter sessions' runs within
   * totalMs (the bare model cost of this frame; the expression nets are not in it).
   */
  modelsMs?: number
  modelsCpuMs?: number
}

export interface VisionResult {
  width: number
  height: number
  /** Sorted by box area, largest first. */
  faces: FaceResult[]
  personMask?: PersonMask
  timings: VisionTimings
  /** Echo of the video frame timestamp, so callers can align masks with frames. */
  timestampMs?: number
}

/** An RGBA image in memory (what the engine consumes). */
export interface RgbaImage {
  width: number
  height: number
  data: Uint8Array | Uint8ClampedArray
}

export type DetectorChoice = 'short' | 'full' | 'auto'

export interface VisionOptions {
  /** Most faces returned (largest first). */
  maxFaces: number
  /** Detector score threshold 0..1. */
  minDetectionScore: number
  /** 'short' for faces within ~2 m (webcam), 'full' for small/distant faces, 'auto' tries short then full. */
  detector: DetectorChoice
  /** Run the expression model (emotion, smile). */
  expression: boolean
  /** Return the person segmentation mask. */
  personMask: boolean
  /** Return the 468-point mesh as well as the 68 points. */
  mesh: boolean
  /** Treat the whole image as one already-cropped face (face-crop datasets). */
  assumeFace: boolean
  /**
   * Where the 68 points come from: 'mesh' = the 468-point mesh mapped to iBUG 68; 'ibug68' = the
   * dedicated 68-point net; 'combined' = the mesh in video, and on stills the 68-point net framed
   * by the mesh with the mesh's inner lips (best NME and teeth accuracy).
   */
  landmarkModel: LandmarkModel
}

export type LandmarkModel = 'combined' | 'mesh' | 'ibug68'

export const DEFAULT_VISION_OPTIONS: VisionOptions = {
  maxFaces: 8,
  minDetectionScore: 0.5,
  detector: 'auto',
  expression: false,
  personMask: false,
  mesh: false,
  assumeFace: false,
  landmarkModel: 'combined'
}
