/**
 * The reference runtime for our TF.js conversions: @vladmandic/face-api on
 * TF.js's WASM backend in Node (the .wasm ships inside the npm package).
 * Shared by the conversion tests and the speed benchmark's peer.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/** face-api's own model folder (weights manifests and .bin files). */
export const FACE_API_MODEL_DIR = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model')

interface WasmTf {
  env(): { set(flag: string, value: boolean): void }
  setWasmPaths(prefix: string): void
  setBackend(name: string): Promise<boolean>
  ready(): Promise<void>
}

/** Loads face-api's node-wasm build with the single-threaded WASM backend ready; `T` describes the parts a caller uses. */
export async function loadFaceApiWasm<T extends { tf: unknown }>(): Promise<T> {
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as T & { tf: WasmTf }
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))
  faceapi.tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
  faceapi.tf.setWasmPaths(`${wasmDir}/`)
  await faceapi.tf.setBackend('wasm')
  await faceapi.tf.ready()
  return faceapi
}
