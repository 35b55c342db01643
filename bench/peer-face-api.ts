/**
 * The peer we compare speed against: @vladmandic/face-api (TF.js on its WASM
 * backend) running its own detector + 68-point landmarks on the same images.
 */
import { FACE_API_MODEL_DIR, loadFaceApiWasm } from '../tests/tools/tfjs/face-api-wasm'
import type { RgbaImage } from '../src/shared/vision'

interface Tensor3D {
  dispose(): void
}

interface FaceApi {
  tf: {
    tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): Tensor3D
  }
  nets: {
    tinyFaceDetector: { loadFromDisk(dir: string): Promise<void> }
    faceLandmark68Net: { loadFromDisk(dir: string): Promise<void> }
  }
  TinyFaceDetectorOptions: new (options: { inputSize: number; scoreThreshold: number }) => unknown
  detectAllFaces(input: Tensor3D, options: unknown): { withFaceLandmarks(): Promise<unknown[]> }
}

export interface FaceApiPeer {
  /** Detector + 68 landmarks on one image; resolves with the face count. */
  detect(image: RgbaImage): Promise<number>
}

export async function createFaceApiPeer(): Promise<FaceApiPeer> {
  const faceapi = await loadFaceApiWasm<FaceApi>()
  await faceapi.nets.tinyFaceDetector.loadFromDisk(FACE_API_MODEL_DIR)
  await faceapi.nets.faceLandmark68Net.loadFromDisk(FACE_API_MODEL_DIR)
  const options = new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 })
  return {
    async detect(image) {
      const rgb = new Uint8Array(image.width * image.height * 3)
      for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
        rgb[i] = image.data[j]
        rgb[i + 1] = image.data[j + 1]
        rgb[i + 2] = image.data[j + 2]
      }
      const tensor = faceapi.tf.tensor3d(rgb, [image.height, image.width, 3], 'int32')
      try {
        return (await faceapi.detectAllFaces(tensor, options).withFaceLandmarks()).length
      } finally {
        tensor.dispose()
      }
    }
  }
}
