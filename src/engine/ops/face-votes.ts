/**
 * Which detections on a still photo are faces: the one face-selection policy behind
 * `smilecam analyze`, the audit and the app's photo checks.
 *
 * Each detector (short- and full-range BlazeFace, the SSD) reports boxes; boxes of different
 * detectors that cover the same face are grouped into one candidate. A candidate is a face when
 * two detectors agree on it, even weakly, or when one detector is clearly sure. On the dev photo
 * sets this keeps every face two detectors see (group photos, faces looking down) and drops the
 * lone weak boxes one detector puts on hair or at the image edge of a single headshot.
 */
import type { Box } from '../../shared/vision'
import { overlapOfSmaller } from './nms'

export interface ScoredDetection {
  box: Box
  score: number
}

export interface FaceCandidate<T extends ScoredDetection> {
  /** The highest-scoring detection of the group: its box frames the landmarks. */
  best: T
  /** Best score of each detector that saw this face (one entry per detector). */
  scores: number[]
}

export interface FaceVoteThresholds {
  /** A detector at or above this score agrees that a candidate is a face. */
  agreeScore: number
  /** One detector alone at or above this score is enough. */
  singleScore: number
}

/**
 * Derived from the engine's detector threshold (0.5 by default): agreement at 0.45, a lone
 * detector at 0.6 (the threshold MediaPipe's own full-range graph uses).
 */
export function faceVoteThresholds(minDetectionScore: number): FaceVoteThresholds {
  return { agreeScore: minDetectionScore - 0.05, singleScore: Math.min(1, minDetectionScore + 0.1) }
}

/**
 * Detections are the same face when this much of the smaller box lies inside the larger: the
 * short-range model frames a group-photo face up to twice as large as the full-range one, which
 * leaves their IoU under 0.3.
 */
export const SAME_FACE_OVERLAP = 0.5

/** Groups the detectors' lists (one list per detector) into candidates, best score first. */
export function groupDetections<T extends ScoredDetection>(perDetector: ReadonlyArray<readonly T[]>): FaceCandidate<T>[] {
  const candidates: Array<FaceCandidate<T> & { seenBy: number[] }> = []
  perDetector.forEach((detections, detector) => {
    for (const detection of detections) {
      const same = candidates.find((c) => overlapOfSmaller(c.best.box, detection.box) > SAME_FACE_OVERLAP)
      if (!same) {
        candidates.push({ best: detection, scores: [detection.score], seenBy: [detector] })
        continue
      }
      if (detection.score > same.best.score) same.best = detection
      const index = same.seenBy.indexOf(detector)
      if (index < 0) {
        same.seenBy.push(detector)
        same.scores.push(detection.score)
      } else {
        same.scores[index] = Math.max(same.scores[index], detection.score)
      }
    }
  })
  return candidates.map(({ best, scores }) => ({ best, scores })).sort((a, b) => b.best.score - a.best.score)
}

export function isFace(candidate: FaceCandidate<ScoredDetection>, thresholds: FaceVoteThresholds): boolean {
  const agreeing = candidate.scores.filter((s) => s >= thresholds.agreeScore).length
  return agreeing >= 2 || Math.max(...candidate.scores) >= thresholds.singleScore
}

/** The faces among the candidates, best first, at most `maxFaces`. */
export function selectFaces<T extends ScoredDetection>(candidates: readonly FaceCandidate<T>[], thresholds: FaceVoteThresholds, maxFaces: number): T[] {
  return candidates
    .filter((c) => isFace(c, thresholds))
    .slice(0, maxFaces)
    .map((c) => c.best)
}
