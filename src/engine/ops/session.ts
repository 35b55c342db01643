/**
 * Creates onnxruntime-node sessions with the engine's options. One place, so
 * every task loads models the same way and a missing file is a typed error.
 */
import { access } from 'node:fs/promises'
import * as ort from 'onnxruntime-node'
import { SmilecamError } from '../../shared/errors'

export interface SessionOptions {
  /** Threads for one operator (intra-op); the engine runs models one after another. */
  threads?: number
}

/** Our models are small; one thread per op was as fast as two on a 2-core machine and leaves a core for the UI. */
export const DEFAULT_SESSION_THREADS = 1

/** Runs a session on one float32 input and returns the named outputs' data. */
export async function runFloat(
  session: ort.InferenceSession,
  input: Float32Array,
  dims: readonly number[],
  outputs: readonly string[]
): Promise<Float32Array[]> {
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, dims) })
  return outputs.map((name) => {
    const tensor = result[name]
    if (!tensor) throw new SmilecamError('ENGINE_FAILED', `Model output ${name} is missing; run npm run models`)
    return tensor.data as Float32Array
  })
}

export async function createSession(path: string, opts: SessionOptions = {}): Promise<ort.InferenceSession> {
  try {
    await access(path)
  } catch {
    throw new SmilecamError('MODEL_MISSING', `Model file ${path} is missing; run npm run models`)
  }
  try {
    return await ort.InferenceSession.create(path, {
      intraOpNumThreads: opts.threads ?? DEFAULT_SESSION_THREADS,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all'
    })
  } catch (error) {
    throw new SmilecamError('ENGINE_FAILED', `Could not load model ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
}
