/** Turns engine results into the per-frame summary the SmileTrigger consumes. */
import { genuineSmileScore, smileGeometry, updateNeutralGeometry, type SmileGeometry } from '../../../shared/genuine-smile'
import type { FaceResult, Point, VisionResult } from '../../../shared/vision'
import type { SmileFaceSample } from './smile-trigger'

/** The main face: the largest box (the engine sorts largest first, but do not rely on it). */
export function mainFace(faces: readonly FaceResult[]): FaceResult | null {
  let best: FaceResult | null = null
  for (const face of faces) {
    if (!best || face.box.width * face.box.height > best.box.width * best.box.height) best = face
  }
  return best
}

/**
 * Mean landmark displacement between two results, divided by the face box diagonal, so
 * the number means the same for near and far faces. Null when not comparable.
 */
export function landmarkMotion(previous: readonly Point[] | null, current: readonly Point[], diagonal: number): number | null {
  if (!previous || previous.length !== current.length || current.length === 0 || !(diagonal > 0)) return null
  let total = 0
  for (let i = 0; i < current.length; i++) {
    total += Math.hypot(current[i][0] - previous[i][0], current[i][1] - previous[i][1])
  }
  return total / current.length / diagonal
}

/**
 * Keeps the previous main-face landmarks between results and summarises each result.
 * A face whose box centre jumped more than a box width is treated as a different face
 * (motion unknown -> 0 for that frame, which counts as neither moving nor live).
 */
export interface FaceSampler {
  sample(result: VisionResult): SmileFaceSample | null
  reset(): void
}

export function createFaceSampler(): FaceSampler {
  let previous: FaceResult | null = null
  // The main face's own neutral geometry (learned from relaxed frames), for the genuine-smile score.
  let neutral: SmileGeometry | null = null
  return {
    sample(result) {
      const face = mainFace(result.faces)
      if (!face) {
        previous = null
        return null
      }
      const diagonal = Math.hypot(face.box.width, face.box.height)
      const sameFace =
        previous !== null &&
        Math.hypot(
          previous.box.x + previous.box.width / 2 - (face.box.x + face.box.width / 2),
          previous.box.y + previous.box.height / 2 - (face.box.y + face.box.height / 2)
        ) < face.box.width
      const motion = sameFace ? landmarkMotion(previous?.landmarks68 ?? null, face.landmarks68, diagonal) : null
      if (!sameFace) neutral = null
      previous = face
      const geometry = smileGeometry(face.landmarks68)
      // Only a face seen relaxed can be judged: until then the genuine score is unknown (no block).
      const genuine = neutral ? genuineSmileScore(geometry, neutral) : undefined
      neutral = updateNeutralGeometry(neutral, geometry, face.mar, face.smile)
      const frameArea = result.width * result.height
      return {
        mar: face.mar,
        smile: face.smile,
        genuine,
        ear: face.ear,
        boxAreaFraction: frameArea > 0 ? (face.box.width * face.box.height) / frameArea : 0,
        motion: motion ?? 0
      }
    },
    reset() {
      previous = null
      neutral = null
    }
  }
}
