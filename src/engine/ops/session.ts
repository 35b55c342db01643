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
  /** Adds each session.run's wall and CPU time to this (the engine's own bare-model figure). */
  meter?: RunMeter
}

/** Running totals of session.run time (wall and process CPU, ms) of the sessions that share it. */
export interface RunMeter {
  runs: number
  wallMs: number
  cpuMs: number
}

export function createRunMeter(): RunMeter {
  return { runs: 0, wallMs: 0, cpuMs: 0 }
}

/** Times `session.run` into `meter` (on this session only; other sessions are untouched). */
function meterRuns(session: ort.InferenceSession, meter: RunMeter): ort.InferenceSession {
  // The class's run, looked up at each call (so whatever wraps the class, a benchmark's timer, still sees it).
  const prototype = Object.getPrototypeOf(session) as { run: (...args: unknown[]) => Promise<ort.InferenceSession.OnnxValueMapType> }
  Object.defineProperty(session, 'run', {
    value: async (...args: unknown[]) => {
      const started = performance.now()
      const cpu = process.cpuUsage()
      try {
        return await prototype.run.apply(session, args)
      } finally {
        const used = process.cpuUsage(cpu)
        meter.runs++
        meter.wallMs += performance.now() - started
        meter.cpuMs += (used.user + used.system) / 1000
      }
    }
  })
  return session
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
    const session = await ort.InferenceSession.create(path, {
      intraOpNumThreads: opts.threads ?? DEFAULT_SESSION_THREADS,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all'
    })
    return opts.meter ? meterRuns(session, opts.meter) : session
  } catch (error) {
    throw new SmilecamError('ENGINE_FAILED', `Could not load model ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
}
