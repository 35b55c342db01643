/**
 * FacePipeline: runs the models in-process (inside the host process).
 * detector → landmarks (mesh → iBUG 68, or the 68-point net) → expression → person mask.
 * Each model is loaded on first use and its loading promise cached.
 */
import { join } from 'node:path'
import { faceEmotion, sentimentOfScores } from '../shared/emotion'
import { boundingBox, eyeAspectRatio, mouthAspectRatio, rollDegrees } from '../shared/face-geometry'
import type { Box, FaceResult, Point, RgbaImage, VisionOptions, VisionResult } from '../shared/vision'
import { applyOptions } from './engine-options'
import { createRunMeter } from './ops/session'
import { fullImageRoi, type Roi } from './ops/image'
import { meshToIbug68 } from './ops/mesh-to-ibug68'
import { innerMouthAppearance } from './ops/inner-mouth'
import { faceVoteThresholds, groupDetections, selectFaces } from './ops/face-votes'
import { boxFromRelative, VideoFaceTracker, type BoxInMesh, type TrackUpdate } from './ops/tracker'
import { emotionEnsemble, EXPRESSION_MODELS_RUN, ExpressionClassifier, expressionRoiFromLandmarks } from './tasks/expression'
import { FaceDetector, type FaceDetection } from './tasks/face-detector'
import { FaceLandmarks68, landmarkRoiFromDetection, landmarkRoiFromPoints } from './tasks/face-landmarks68'
import { FaceMesh, meshRoiFromDetection, meshRoiFromMesh } from './tasks/face-mesh'
import { PersonSegmenter } from './tasks/person-segmenter'
import { loadOptionalSmileHead, SMILE_HEAD_FILE, smileFeatures, smileScore } from './tasks/smile-head'
import { SmileNet } from './tasks/smile-net'
import { SsdFaceDetector } from './tasks/ssd-face-detector'

type FoundFaces = { face: FaceResult; update: TrackUpdate }[] & { landmarksMs: number }

interface Closable {
  close(): Promise<void>
}

/** How a whole-image face crop (assumeFace) is framed for the mesh, which expects margin around the face. */
const ASSUMED_FACE_MESH_SCALE = 1.5

export class FacePipeline {
  private readonly loading = new Map<string, Promise<Closable>>()
  private readonly tracker = new VideoFaceTracker()
  /** session.run time of the detector, mesh and segmenter sessions (the frame's bare model cost). */
  private readonly runs = createRunMeter()

  private constructor(
    private readonly modelDir: string,
    private options: VisionOptions
  ) {}

  static async create(modelDir: string, options: VisionOptions): Promise<FacePipeline> {
    const pipeline = new FacePipeline(modelDir, options)
    await pipeline.warmUp()
    return pipeline
  }

  setOptions(options: VisionOptions): void {
    this.options = options
  }

  /**
   * Analyses `image`: a still when `timestampMs` is undefined, otherwise a frame of the video
   * stream whose state `tracker` holds (one tracker per stream; the pipeline's own by default).
   * In video the detector runs only to (re)acquire faces: while the mesh follows every face it
   * is skipped, and it runs again when a face is lost, the mesh doubts it, or every
   * REDETECT_EVERY_FRAMES frames (to find faces that came into view).
   */
  async detect(image: RgbaImage, overrides: Partial<VisionOptions>, timestampMs?: number, tracker: VideoFaceTracker = this.tracker): Promise<VisionResult> {
    const options = applyOptions(this.options, overrides)
    const video = timestampMs !== undefined
    const started = performance.now()
    const timings: VisionResult['timings'] = { detectMs: 0, landmarksMs: 0, expressionMs: 0, segmentMs: 0, totalMs: 0 }
    // Totals before this call (calls on one pipeline run one at a time in the host).
    const runsBefore = { wallMs: this.runs.wallMs, cpuMs: this.runs.cpuMs }

    let found = timestampMs !== undefined && !options.assumeFace ? await this.followTrackedFaces(image, options, tracker, timestampMs) : null
    const detected = found === null
    if (!found) {
      const t = performance.now()
      const detections = options.assumeFace ? [wholeImageDetection(image)] : await this.detectFaces(image, options, video)
      timings.detectMs = performance.now() - t
      const framed = detections.map((detection) => ({
        detection,
        // In video, a face seen in the last frame is cropped where its mesh was (MediaPipe-style tracking).
        roi: timestampMs !== undefined ? tracker.previousRoi(detection.box, timestampMs) : null
      }))
      found = await this.landmarksOfFaces(image, framed, options, video, false)
    }
    let t = performance.now()
    const faces = found.map((f) => f.face)
    if (timestampMs !== undefined) {
      tracker.noteFrame(detected)
      tracker.smooth(faces, timestampMs, found.map((f) => f.update), detected)
    }
    for (const face of faces) {
      face.mar = mouthAspectRatio(face.landmarks68)
      face.ear = eyeAspectRatio(face.landmarks68)
      face.rollDeg = rollDegrees(face.landmarks68)
    }
    timings.landmarksMs = found.landmarksMs + performance.now() - t

    if (!video) for (const face of faces) face.innerMouth = innerMouthAppearance(image, face.landmarks68)

    if (options.expression) {
      t = performance.now()
      const classifier = await this.task('expression', () => ExpressionClassifier.create(this.modelDir, { models: EXPRESSION_MODELS_RUN }))
      const { head } = await this.task('smile-head', async () => ({ head: await loadOptionalSmileHead(join(this.modelDir, SMILE_HEAD_FILE)), close: async () => {} }))
      const smileNet = head?.blocks.includes('smilenet') ? await this.task('smile-net', () => SmileNet.create(this.modelDir)) : null
      for (const face of faces) {
        const roi = options.assumeFace ? fullImageRoi(image.width, image.height) : expressionRoiFromLandmarks(face.landmarks68)
        // Stills average in the mirrored face too; video saves that time.
        const byModel = await classifier.classifyEach(image, roi, !video)
        const scores = emotionEnsemble(byModel)
        face.emotion = faceEmotion(scores)
        face.sentiment = sentimentOfScores(scores)
        const smileNetP = smileNet ? await smileNet.smiling(image, roi, !video) : undefined
        const features = head && smileFeatures(head.blocks, { expressions: Object.fromEntries(byModel), smileNet: smileNetP, landmarks68: face.landmarks68, mar: face.mar, ear: face.ear })
        face.smile = head && features ? smileScore(head, features) : scores.happy
      }
      timings.expressionMs = performance.now() - t
    }

    let personMask: VisionResult['personMask']
    if (options.personMask) {
      t = performance.now()
      // The landscape model is the one made for video calls: a third of the work of the general one.
      const variant = video ? 'landscape' : 'general'
      const segmenter = await this.task(`segmenter-${variant}`, () => PersonSegmenter.create(this.modelDir, variant, { meter: this.runs }))
      personMask = await segmenter.segment(image)
      timings.segmentMs = performance.now() - t
    }

    faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)
    timings.totalMs = performance.now() - started
    timings.modelsMs = this.runs.wallMs - runsBefore.wallMs
    timings.modelsCpuMs = this.runs.cpuMs - runsBefore.cpuMs
    return { width: image.width, height: image.height, faces, personMask, timings, timestampMs }
  }

  async close(): Promise<void> {
    const tasks = await Promise.allSettled(this.loading.values())
    this.loading.clear()
    await Promise.all(tasks.map((t) => (t.status === 'fulfilled' ? t.value.close() : undefined)))
  }

  /**
   * Video: the faces of the previous frame, followed by the mesh alone (no detector). Null when
   * the detector must run: nothing tracked, time for a periodic re-detect, or a face was lost.
   */
  private async followTrackedFaces(image: RgbaImage, options: VisionOptions, tracker: VideoFaceTracker, timestampMs: number): Promise<FoundFaces | null> {
    if (options.landmarkModel === 'ibug68' || tracker.framesSinceDetection >= REDETECT_EVERY_FRAMES - 1) return null
    const tracked = tracker.trackedFaces(timestampMs).slice(0, options.maxFaces)
    if (tracked.length === 0) return null
    const framed = tracked.map((face) => ({ detection: { box: face.box, score: face.score, keypoints: [] }, roi: face.roi, boxInMesh: face.boxInMesh }))
    const found = await this.landmarksOfFaces(image, framed, options, true, true)
    return found.length === tracked.length ? found : null
  }

  /** Landmarks (and tracking updates) for each framed face; faces the mesh rejects are left out. */
  private async landmarksOfFaces(
    image: RgbaImage,
    framed: { detection: FaceDetection; roi: Roi | null; boxInMesh?: BoxInMesh }[],
    options: VisionOptions,
    video: boolean,
    tracking: boolean
  ): Promise<FoundFaces> {
    const started = performance.now()
    const found: { face: FaceResult; update: TrackUpdate }[] = []
    for (const { detection, roi, boxInMesh } of framed) {
      const landmarks = await this.landmarks(image, detection, options, { trackedRoi: roi, video, tracking })
      if (!landmarks) continue
      const meshBox = landmarks.mesh ? boundingBox(landmarks.mesh) : null
      // A tracked face's box moves with its mesh, keeping the shape the detector gave it.
      const placed = boxInMesh && meshBox ? { ...detection, box: boxFromRelative(boxInMesh, meshBox) } : detection
      found.push({
        face: describeFace(image, placed, landmarks.points, options.mesh ? landmarks.mesh : undefined),
        update: { roi: landmarks.mesh ? meshRoiFromMesh(landmarks.mesh) : landmarkRoiFromPoints(landmarks.points), meshBox }
      })
    }
    return Object.assign(found, { landmarksMs: performance.now() - started })
  }

  /** Loads the models every request needs, so the first frame is not slow. */
  private async warmUp(): Promise<void> {
    await this.detector(this.options.detector === 'full' ? 'full' : 'short')
    if (this.options.detector === 'auto') await this.detector('full')
    await this.landmarker(this.options)
  }

  private async detectFaces(image: RgbaImage, options: VisionOptions, video: boolean): Promise<FaceDetection[]> {
    const { minDetectionScore, maxFaces } = options
    if (options.detector !== 'auto') {
      return (await this.detector(options.detector)).detect(image, minDetectionScore, maxFaces)
    }
    // Short range suits webcams and headshots (faces within ~2 m) and is the cheaper model.
    if (video) return (await this.detector('short')).detect(image, minDetectionScore, maxFaces)
    // Stills: the face-vote policy (ops/face-votes) over both BlazeFace models; the slower SSD
    // (trained on WIDER FACE: profiles, faces looking down) joins when they find no face or a
    // group, where faces they miss are likely.
    const thresholds = faceVoteThresholds(minDetectionScore)
    const lists = [
      await (await this.detector('short')).detect(image, thresholds.agreeScore, maxFaces),
      await (await this.detector('full')).detect(image, thresholds.agreeScore, maxFaces)
    ]
    const found = selectFaces(groupDetections(lists), thresholds, maxFaces)
    if (found.length === 1) return found
    const ssd = await this.task('detector-ssd', () => SsdFaceDetector.create(this.modelDir))
    lists.push(await ssd.detect(image, thresholds.agreeScore, maxFaces))
    return selectFaces(groupDetections(lists), thresholds, maxFaces)
  }

  private async landmarks(
    image: RgbaImage,
    detection: FaceDetection,
    options: VisionOptions,
    framing: { trackedRoi: Roi | null; video: boolean; tracking?: boolean }
  ): Promise<{ points: Point[]; mesh?: [number, number, number][] } | null> {
    const model = await this.landmarker(options)
    if (model instanceof FaceMesh) {
      const roi = options.assumeFace ? assumedFaceMeshRoi(image) : (framing.trackedRoi ?? meshRoiFromDetection(detection))
      let { mesh, presence } = await model.estimate(image, roi)
      // Mesh-only stills get a second pass framed by the first mesh, as a video's next frame would be:
      // the mesh is more accurate framed by itself than by a detector box. ('combined' reframes
      // with the 68-point net instead, which a second mesh pass improves by only 0.0005 NME.)
      if (!framing.video && options.landmarkModel === 'mesh') ({ mesh, presence } = await model.estimate(image, meshRoiFromMesh(mesh)))
      // In video the mesh's face-presence score drops weak detector false positives, which would
      // flicker. Stills keep every detection: the mesh doubts profiles and half-hidden faces.
      if (framing.video && presence < MIN_MESH_PRESENCE && (framing.tracking || detection.score < CONFIDENT_DETECTION)) return null
      const meshPoints = meshToIbug68(mesh)
      if (options.landmarkModel === 'mesh' || framing.video) return { points: meshPoints, mesh }
      // 'combined' on stills: the 68-point net, framed by the mesh, places the points more exactly
      // (NME 0.051 against 0.059); the inner lips stay the mesh's, whose MAR reads teeth better.
      const net = await this.task('landmarks68', () => FaceLandmarks68.create(this.modelDir))
      const netPoints = await net.estimate(image, landmarkRoiFromPoints(meshPoints))
      return { points: netPoints.map((p, i) => (i >= INNER_LIPS_FIRST ? meshPoints[i] : p)), mesh }
    }
    const roi = options.assumeFace ? fullImageRoi(image.width, image.height) : (framing.trackedRoi ?? landmarkRoiFromDetection(detection))
    return { points: await model.estimate(image, roi) }
  }

  private landmarker(options: VisionOptions): Promise<FaceMesh | FaceLandmarks68> {
    return options.landmarkModel === 'ibug68'
      ? this.task('landmarks68', () => FaceLandmarks68.create(this.modelDir))
      : this.task('mesh', () => FaceMesh.create(this.modelDir, { meter: this.runs }))
  }

  private detector(variant: 'short' | 'full'): Promise<FaceDetector> {
    return this.task(`detector-${variant}`, () => FaceDetector.create(this.modelDir, variant, { meter: this.runs }))
  }

  private task<T extends Closable>(key: string, create: () => Promise<T>): Promise<T> {
    let promise = this.loading.get(key)
    if (!promise) {
      promise = create()
      // A failed load is not cached, so a later call can retry (e.g. after `npm run models`).
      promise.catch(() => this.loading.delete(key))
      this.loading.set(key, promise)
    }
    return promise as Promise<T>
  }
}

const MIN_MESH_PRESENCE = 0.5
/**
 * In video the detector runs at least once every this many frames even while every face is
 * tracked, to pick up faces that came into view (3 times a second at 30 fps).
 */
export const REDETECT_EVERY_FRAMES = 10
/** iBUG points 60-67 are the inner lips. */
const INNER_LIPS_FIRST = 60
/** Detector score above which a face is kept whatever the mesh presence says. */
const CONFIDENT_DETECTION = 0.7
function describeFace(image: RgbaImage, detection: FaceDetection, points: Point[], mesh?: [number, number, number][]): FaceResult {
  const box = detection.box
  return {
    box,
    boxNormalized: normalizeBox(box, image.width, image.height),
    score: detection.score,
    landmarks68: points,
    mesh468: mesh,
    mar: 0,
    ear: 0,
    rollDeg: 0
  }
}

function normalizeBox(box: Box, width: number, height: number): Box {
  return { x: box.x / width, y: box.y / height, width: box.width / width, height: box.height / height }
}

function wholeImageDetection(image: RgbaImage): FaceDetection {
  return { box: { x: 0, y: 0, width: image.width, height: image.height }, score: 1, keypoints: [] }
}

function assumedFaceMeshRoi(image: RgbaImage): Roi {
  const side = Math.max(image.width, image.height) * ASSUMED_FACE_MESH_SCALE
  return { cx: image.width / 2, cy: image.height / 2, width: side, height: side, angle: 0 }
}

