/**
 * The state of one video stream: keeps faces apart between frames (by box overlap), smooths
 * each face's landmarks with its own One-Euro filter, and remembers where each face's mesh
 * was, so the next frame can be cropped there without running the face detector
 * (MediaPipe's detect-then-track scheme).
 */
import type { Box, FaceResult, Point } from '../../shared/vision'
import type { Roi } from './image'
import { OneEuroVectorFilter, type OneEuroParams, DEFAULT_ONE_EURO } from './one-euro'

/** A face box expressed relative to the bounding box of its mesh (x, y, width, height as fractions). */
export type BoxInMesh = Box

interface Track {
  box: Box
  score: number
  filter: OneEuroVectorFilter
  lastSeenMs: number
  /** Where to crop this face in the next frame (from this frame's mesh), if known. */
  nextRoi: Roi | null
  /** The detector's box relative to the mesh's bounding box, from the last detected frame. */
  boxInMesh: BoxInMesh | null
}

/** What the tracker learnt about one face in this frame, besides its landmarks. */
export interface TrackUpdate {
  roi: Roi | null
  /** Bounding box of the face's mesh, when the landmarks came from the mesh. */
  meshBox?: Box | null
}

/** A face the mesh can follow into the next frame without the detector. */
export interface TrackedFace {
  box: Box
  score: number
  roi: Roi
  boxInMesh: BoxInMesh
}

/** Boxes overlapping less than this are different faces. */
const MIN_TRACK_IOU = 0.3
/** A face unseen for this long starts a fresh filter (no smoothing across gaps). */
const TRACK_TIMEOUT_MS = 500

export function boxIou(a: Box, b: Box): number {
  const x1 = Math.max(a.x, b.x)
  const y1 = Math.max(a.y, b.y)
  const x2 = Math.min(a.x + a.width, b.x + b.width)
  const y2 = Math.min(a.y + a.height, b.y + b.height)
  const intersection = Math.max(0, x2 - x1) * Math.max(0, y2 - y1)
  const union = a.width * a.height + b.width * b.height - intersection
  return union > 0 ? intersection / union : 0
}

/** `box` relative to `frame` (0..1 where inside it). Pure. */
export function boxRelativeTo(box: Box, frame: Box): BoxInMesh {
  return {
    x: (box.x - frame.x) / frame.width,
    y: (box.y - frame.y) / frame.height,
    width: box.width / frame.width,
    height: box.height / frame.height
  }
}

/** Inverse of boxRelativeTo. Pure. */
export function boxFromRelative(relative: BoxInMesh, frame: Box): Box {
  return {
    x: frame.x + relative.x * frame.width,
    y: frame.y + relative.y * frame.height,
    width: relative.width * frame.width,
    height: relative.height * frame.height
  }
}

export class VideoFaceTracker {
  private tracks: Track[] = []
  private lastTimeMs = -Infinity
  /** Frames analysed since the detector last ran on this stream. */
  framesSinceDetection = Number.POSITIVE_INFINITY

  constructor(private readonly params: OneEuroParams = DEFAULT_ONE_EURO) {}

  /** The crop remembered for the live track that best overlaps `box`, if any. */
  previousRoi(box: Box, timeMs: number): Roi | null {
    let best: Track | null = null
    let bestIou = MIN_TRACK_IOU
    for (const track of this.tracks) {
      if (!this.isLive(track, timeMs)) continue
      const iou = boxIou(track.box, box)
      if (iou > bestIou) {
        best = track
        bestIou = iou
      }
    }
    return best?.nextRoi ?? null
  }

  /** Faces seen in the previous frame whose mesh says where to look next, largest first. */
  trackedFaces(timeMs: number): TrackedFace[] {
    const faces: TrackedFace[] = []
    for (const track of this.tracks) {
      if (!this.isLive(track, timeMs) || !track.nextRoi || !track.boxInMesh) continue
      faces.push({ box: track.box, score: track.score, roi: track.nextRoi, boxInMesh: track.boxInMesh })
    }
    return faces
  }

  /** Counts a frame: `detected` when the face detector ran on it. */
  noteFrame(detected: boolean): void {
    this.framesSinceDetection = detected ? 0 : this.framesSinceDetection + 1
  }

  /**
   * Replaces each face's landmarks68 with smoothed ones, in place, and remembers
   * `updates[i]` (next crop, mesh box) for face i. On a detected frame (`detected`) each
   * face's box is remembered relative to its mesh, to place the box on tracked frames.
   */
  smooth(faces: FaceResult[], timeMs: number, updates: readonly TrackUpdate[] = [], detected = true): void {
    // A timestamp going backwards means a new stream (camera switched, seek): start over.
    if (timeMs < this.lastTimeMs) this.reset()
    this.lastTimeMs = timeMs
    const unmatched = new Set(this.tracks.filter((t) => timeMs - t.lastSeenMs <= TRACK_TIMEOUT_MS))
    const next: Track[] = []
    for (const [index, face] of faces.entries()) {
      let best: Track | null = null
      let bestIou = MIN_TRACK_IOU
      for (const track of unmatched) {
        const iou = boxIou(track.box, face.box)
        if (iou > bestIou) {
          best = track
          bestIou = iou
        }
      }
      const track: Track = best ?? {
        box: face.box,
        score: face.score,
        filter: new OneEuroVectorFilter(this.params),
        lastSeenMs: timeMs,
        nextRoi: null,
        boxInMesh: null
      }
      if (best) unmatched.delete(best)
      const flat = face.landmarks68.flat()
      const smoothed = track.filter.filter(flat, timeMs, face.box.width)
      face.landmarks68 = face.landmarks68.map((_, i): Point => [smoothed[2 * i], smoothed[2 * i + 1]])
      const update = updates[index]
      const meshBox = update?.meshBox ?? null
      if (detected) track.boxInMesh = meshBox && meshBox.width > 0 && meshBox.height > 0 ? boxRelativeTo(face.box, meshBox) : null
      track.box = face.box
      track.score = face.score
      track.lastSeenMs = timeMs
      track.nextRoi = update?.roi ?? null
      next.push(track)
    }
    this.tracks = next
  }

  reset(): void {
    this.tracks = []
    this.lastTimeMs = -Infinity
    this.framesSinceDetection = Number.POSITIVE_INFINITY
  }

  private isLive(track: Track, timeMs: number): boolean {
    return timeMs - track.lastSeenMs <= TRACK_TIMEOUT_MS && timeMs >= track.lastSeenMs
  }
}
