import { describe, expect, it, vi } from 'vitest'
import { createEngineHandle, type EngineLike } from '../../src/core/engine-handle'
import { SmilecamError } from '../../src/shared/errors'
import type { VisionResult } from '../../src/shared/vision'

function fakeEngine(): EngineLike {
  return {
    detect: vi.fn(async () => ({ width: 1 }) as VisionResult),
    detectForVideo: vi.fn(async () => null),
    close: vi.fn(async () => undefined)
  }
}

describe('createEngineHandle', () => {
  it('starts once, lazily, and forwards calls', async () => {
    const engine = fakeEngine()
    const start = vi.fn(async () => engine)
    const handle = createEngineHandle(start)
    expect(start).not.toHaveBeenCalled()
    const frame = { width: 1, height: 1, data: new Uint8Array(4) }
    await Promise.all([handle.detectForVideo(frame, 5), handle.detect(frame)])
    expect(start).toHaveBeenCalledTimes(1)
    expect(engine.detectForVideo).toHaveBeenCalledWith(frame, 5, undefined)
  })

  it('reports a failed start to callers and retries on the next call', async () => {
    const engine = fakeEngine()
    const start = vi
      .fn<() => Promise<EngineLike>>()
      .mockRejectedValueOnce(new SmilecamError('MODEL_MISSING', 'no models'))
      .mockResolvedValueOnce(engine)
    const handle = createEngineHandle(start)
    await expect(handle.warmUp()).rejects.toMatchObject({ code: 'MODEL_MISSING' })
    await handle.detect({ width: 1, height: 1, data: new Uint8Array(4) })
    expect(start).toHaveBeenCalledTimes(2)
    expect(engine.detect).toHaveBeenCalledTimes(1)
  })

  it('closes the started engine and refuses later calls', async () => {
    const engine = fakeEngine()
    const handle = createEngineHandle(async () => engine)
    await handle.warmUp()
    await handle.close()
    expect(engine.close).toHaveBeenCalled()
    await expect(handle.detect({ width: 1, height: 1, data: new Uint8Array(4) })).rejects.toThrow(/closed/)
  })
})
