/**
 * Keeps faces apart between video frames (by box overlap) and smooths each
 * face's landmarks with its own One-Euro filter, so points don't jitter.
 */
import type { Box, FaceResult, Point } from '../../shared/vision'
import type { Roi } from './image'
import { OneEuroVectorFilter, type OneEuroParams, DEFAULT_ONE_EURO } from './one-euro'

interface Track {
  box: Box
  filter: OneEuroVectorFilter
  lastSeenMs: number
  /** Where to crop this face in the next frame (from this frame's mesh), if known. */
  nextRoi: Roi | null
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

export class VideoFaceTracker {
  private tracks: Track[] = []
  private lastTimeMs = -Infinity

  constructor(private readonly params: OneEuroParams = DEFAULT_ONE_EURO) {}

  /** The crop remembered for the live track that best overlaps `box`, if any. */
  previousRoi(box: Box, timeMs: number): Roi | null {
    let best: Track | null = null
    let bestIou = MIN_TRACK_IOU
    for (const track of this.tracks) {
      if (timeMs - track.lastSeenMs > TRACK_TIMEOUT_MS || timeMs < track.lastSeenMs) continue
      const iou = boxIou(track.box, box)
      if (iou > bestIou) {
        best = track
        bestIou = iou
      }
    }
    return best?.nextRoi ?? null
  }

  /**
   * Replaces each face's landmarks68 with smoothed ones, in place, and remembers
   * `nextRois[i]` as where to crop face i in the next frame.
   */
  smooth(faces: FaceResult[], timeMs: number, nextRois: readonly (Roi | null)[] = []): void {
    // A timestamp going backwards means a new stream (camera switched, seek): start over.
    if (timeMs < this.lastTimeMs) this.tracks = []
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
      const track = best ?? { box: face.box, filter: new OneEuroVectorFilter(this.params), lastSeenMs: timeMs, nextRoi: null }
      if (best) unmatched.delete(best)
      const flat = face.landmarks68.flat()
      const smoothed = track.filter.filter(flat, timeMs, face.box.width)
      face.landmarks68 = face.landmarks68.map((_, i): Point => [smoothed[2 * i], smoothed[2 * i + 1]])
      track.box = face.box
      track.lastSeenMs = timeMs
      track.nextRoi = nextRois[index] ?? null
      next.push(track)
    }
    this.tracks = next
  }
}
