/**
 * The engine call of an audit: which stages it asks for, and the second looks when the first
 * finds no face.
 */
import type { FaceResult, RgbaImage, VisionOptions, VisionResult } from '../../shared/vision'
import { facesOnPerson, pickMainFace } from './checks'

export interface AuditEngine {
  detect(image: RgbaImage, overrides?: Partial<VisionOptions>): Promise<VisionResult>
}

/** Base vision overrides of an audit: emotions for the sentiment check, the mask for the blur. */
export const AUDIT_VISION_OVERRIDES: Partial<VisionOptions> = { expression: true, personMask: true }
/**
 * Second looks when the first finds no face: the full-range detector (small, distant faces),
 * then the short-range one, both at a lower threshold. Only faces on the segmented person are
 * accepted from them, which keeps the low threshold from seeing faces in patterns. On the dev
 * smile set this found a face in 15 of the 36 photos the first look missed.
 */
export const RETRY_DETECTIONS: ReadonlyArray<Partial<VisionOptions>> = [
  { detector: 'full', minDetectionScore: 0.3 },
  { detector: 'short', minDetectionScore: 0.3 }
]

export interface AuditDetection {
  vision: VisionResult
  /** The face to audit, if any. */
  face?: FaceResult
  faceCount: number
}

/**
 * Runs the engine for an audit and picks the face to audit. A profile photo is meant to show a
 * face, so when none is found the engine looks again with a lower detector threshold, keeping
 * only faces that lie on the segmented person.
 */
export async function detectForAudit(engine: AuditEngine, image: RgbaImage): Promise<AuditDetection> {
  const vision = await engine.detect(image, AUDIT_VISION_OVERRIDES)
  const picked = pickMainFace(vision.faces, vision.personMask, image.width, image.height)
  if (picked.face || !vision.personMask) return { vision, ...picked }
  for (const retry of RETRY_DETECTIONS) {
    const second = await engine.detect(image, { ...AUDIT_VISION_OVERRIDES, ...retry })
    const onPerson = second.personMask ? facesOnPerson(second.faces, second.personMask, image.width, image.height) : []
    if (onPerson.length > 0) return { vision: second, ...pickMainFace(onPerson, undefined, image.width, image.height) }
  }
  return { vision, faceCount: 0 }
}
