/**
 * The engine call of an audit: which stages it asks for, and the second looks when the first
 * finds no face.
 */
import type { FaceResult, RgbaImage, VisionOptions, VisionResult } from '../../shared/vision'
import { facesOnPerson, pickMainFace } from './checks'
import { turnImage, unturnVision, type QuarterTurns } from './quarter-turn'

export interface AuditEngine {
  detect(image: RgbaImage, overrides?: Partial<VisionOptions>): Promise<VisionResult>
}

/** Last looks: the photo turned a quarter clockwise, then a quarter anticlockwise (faces lying sideways). */
export const RETRY_TURNS: readonly QuarterTurns[] = [1, 3]

/** Base vision overrides of an audit: emotions for the sentiment check, the mask for the blur. */
export const AUDIT_VISION_OVERRIDES: Partial<VisionOptions> = { expression: true, personMask: true }
/**
 * Second looks when the first finds no face: the full-range detector (small, distant faces),
 * then the short-range one, both at a lower threshold and with the person mask. Only faces on
 * the segmented person are accepted from them, which keeps the low threshold from seeing faces
 * in patterns. On the dev smile set this found a face in 15 of the 36 photos the first look missed.
 */
export const RETRY_DETECTIONS: ReadonlyArray<Partial<VisionOptions>> = [
  { detector: 'full', minDetectionScore: 0.3 },
  { detector: 'short', minDetectionScore: 0.3 }
]

export interface FoundFaces {
  vision: VisionResult
  /** Every face found; `faces.length` is the face count that analyze and the audit report. */
  faces: FaceResult[]
  /** The face to audit, if any (pickMainFace). */
  face?: FaceResult
}

/**
 * Finds the faces of a still photo, for `smilecam analyze` and the audit alike (the engine's
 * face-vote policy, src/engine/ops/face-votes.ts, decides what is a face). A profile photo is
 * meant to show a face, so when none is found the engine looks again with a lower detector
 * threshold, keeping only faces that lie on the segmented person (the retries always compute
 * the person mask, so analyze finds what the audit finds), and then on the photo turned on its
 * side (RETRY_TURNS), where the faces found are mapped back to the photo's own coordinates.
 */
export async function detectFaces(engine: AuditEngine, image: RgbaImage, overrides: Partial<VisionOptions> = AUDIT_VISION_OVERRIDES): Promise<FoundFaces> {
  const vision = await engine.detect(image, overrides)
  if (vision.faces.length > 0) {
    return { vision, faces: vision.faces, face: pickMainFace(vision.faces, vision.personMask, image.width, image.height) }
  }
  for (const retry of RETRY_DETECTIONS) {
    const second = await engine.detect(image, { ...overrides, personMask: true, ...retry })
    const onPerson = second.personMask ? facesOnPerson(second.faces, second.personMask, image.width, image.height) : []
    if (onPerson.length > 0) {
      return { vision: { ...second, faces: onPerson }, faces: onPerson, face: pickMainFace(onPerson, undefined, image.width, image.height) }
    }
  }
  for (const turns of RETRY_TURNS) {
    const turned = turnImage(image, turns)
    const seen = await engine.detect(turned, { ...overrides, personMask: true })
    const onPerson = seen.personMask ? facesOnPerson(seen.faces, seen.personMask, turned.width, turned.height) : []
    if (onPerson.length > 0) {
      const back = unturnVision({ ...seen, faces: onPerson }, turns, image.width, image.height)
      return { vision: back, faces: back.faces, face: pickMainFace(back.faces, undefined, image.width, image.height) }
    }
  }
  return { vision, faces: [] }
}
