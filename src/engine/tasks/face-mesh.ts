/**
 * MediaPipe face mesh (468 points) around an ONNX session. The face is cropped
 * upright from a rotated square ROI (from a detection or from the previous
 * frame's mesh, as MediaPipe's face_landmark graphs do) and the points are
 * mapped back to image pixels.
 */
import { join } from 'node:path'
import type * as ort from 'onnxruntime-node'
import { SmilecamError } from '../../shared/errors'
import { boundingBox } from '../../shared/face-geometry'
import type { RgbaImage } from '../../shared/vision'
import { cropPointToImage, cropToTensor, squareRoiAround, type Roi } from '../ops/image'
import { createSession, runFloat, type SessionOptions } from '../ops/session'
import { detectionRollRadians, type FaceDetection } from './face-detector'

export type MeshPoint = [x: number, y: number, z: number]

export const FACE_MESH_FILE = 'face_landmark_468.onnx'
export const FACE_MESH_INPUT_SIZE = 192
export const FACE_MESH_POINTS = 468
/** MediaPipe's face_landmark graph feeds RGB in [0, 1]. */
const MESH_NORM = { mean: 0, scale: 1 / 255 } as const
/** MediaPipe enlarges the face rect by 1.5 (square on the long side) before cropping. */
const ROI_SCALE = 1.5
/** Eye corners of the mesh (33 right, 263 left). */
const MESH_RIGHT_EYE = 33
const MESH_LEFT_EYE = 263

/** Angle of the line from the subject's right eye to the left eye (0 = level, positive = clockwise in the image). */
function eyeLineAngle(right: readonly number[], left: readonly number[]): number {
  return Math.atan2(left[1] - right[1], left[0] - right[0])
}

/** The crop for the mesh model from a detection: rotated so the eyes are level, 1.5x the box's long side. */
export function meshRoiFromDetection(det: FaceDetection): Roi {
  return squareRoiAround(det.box, ROI_SCALE, detectionRollRadians(det))
}

/** The crop for the next video frame from this frame's mesh (MediaPipe's landmarks-to-ROI rule). */
export function meshRoiFromMesh(mesh: readonly MeshPoint[]): Roi {
  if (mesh.length < FACE_MESH_POINTS) throw new SmilecamError('INVALID_INPUT', 'A face mesh needs 468 points.')
  const box = boundingBox(mesh)
  return squareRoiAround(box, ROI_SCALE, eyeLineAngle(mesh[MESH_RIGHT_EYE], mesh[MESH_LEFT_EYE]))
}

/** Maps the model's 468 x,y,z (input pixels) through the ROI to image pixels; z scales like x. */
export function meshToImage(raw: Float32Array, roi: Roi): MeshPoint[] {
  const size = FACE_MESH_INPUT_SIZE
  const zScale = roi.width / size
  const mesh: MeshPoint[] = []
  for (let i = 0; i < FACE_MESH_POINTS; i++) {
    const [x, y] = cropPointToImage(roi, size, size, raw[3 * i], raw[3 * i + 1])
    mesh.push([x, y, raw[3 * i + 2] * zScale])
  }
  return mesh
}

export class FaceMesh {
  private session: ort.InferenceSession | null
  private readonly input = new Float32Array(FACE_MESH_INPUT_SIZE * FACE_MESH_INPUT_SIZE * 3)

  private constructor(session: ort.InferenceSession) {
    this.session = session
  }

  static async create(modelDir: string, sessionOptions: SessionOptions = {}): Promise<FaceMesh> {
    return new FaceMesh(await createSession(join(modelDir, FACE_MESH_FILE), sessionOptions))
  }

  /** The mesh in image pixels and the face-presence probability (0..1) for the face inside `roi`. */
  async estimate(image: RgbaImage, roi: Roi): Promise<{ mesh: MeshPoint[]; presence: number }> {
    if (!this.session) throw new SmilecamError('ENGINE_CLOSED', 'The face mesh model was already closed.')
    if (!(roi.width > 0 && roi.height > 0) || ![roi.cx, roi.cy, roi.angle].every(Number.isFinite)) {
      throw new SmilecamError('INVALID_INPUT', 'The face region is empty or not a number.')
    }
    const size = FACE_MESH_INPUT_SIZE
    cropToTensor(image, roi, size, size, MESH_NORM, this.input)
    const [landmarks, flag] = await runFloat(this.session, this.input, [1, size, size, 3], ['landmarks', 'face_flag'])
    return { mesh: meshToImage(landmarks, roi), presence: 1 / (1 + Math.exp(-flag[0])) }
  }

  async close(): Promise<void> {
    const session = this.session
    this.session = null
    await session?.release()
  }
}
