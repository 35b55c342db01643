/**
 * A VisionEngine that starts in the background and is retried on demand.
 * The app window must open even when the models are missing or the host
 * fails to start; each call then reports the typed start error, and the next
 * call tries again.
 */
import { SmilecamError } from '../shared/errors'
import type { RgbaImage, VisionOptions, VisionResult } from '../shared/vision'

/** What callers need of src/engine/engine.ts VisionEngine. */
export interface EngineLike {
  detect(image: RgbaImage, overrides?: Partial<VisionOptions>): Promise<VisionResult>
  detectForVideo(frame: RgbaImage, timestampMs: number, overrides?: Partial<VisionOptions>): Promise<VisionResult | null>
  close(): Promise<void>
  /** Starts the host and loads the models (VisionEngine.open's engines start lazily). */
  warmUp?(): Promise<void>
}

export interface EngineHandle extends EngineLike {
  /** Starts the engine now (model loading takes a while; do it before the first frame). */
  warmUp(): Promise<void>
}

export function createEngineHandle(start: () => Promise<EngineLike>): EngineHandle {
  let starting: Promise<EngineLike> | null = null
  let closed = false

  function get(): Promise<EngineLike> {
    if (closed) return Promise.reject(new SmilecamError('ENGINE_CLOSED', 'The vision engine was closed.'))
    if (!starting) {
      const attempt = start()
      starting = attempt
      attempt.catch(() => {
        if (starting === attempt) starting = null
      })
    }
    return starting
  }

  return {
    async warmUp() {
      const engine = await get()
      await engine.warmUp?.()
    },
    async detect(image, overrides) {
      return (await get()).detect(image, overrides)
    },
    async detectForVideo(frame, timestampMs, overrides) {
      return (await get()).detectForVideo(frame, timestampMs, overrides)
    },
    async close() {
      closed = true
      const current = starting
      starting = null
      if (!current) return
      const engine = await current.catch(() => null)
      await engine?.close()
    }
  }
}
