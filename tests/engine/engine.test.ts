/** The engine client against an in-memory fake host: drops, timeouts, crashes, restarts. */
import { describe, expect, it } from 'vitest'
import { VisionEngine } from '../../src/engine/engine'
import type { HostProcess, HostRequest, HostResponse } from '../../src/engine/protocol'
import type { RgbaImage, VisionResult } from '../../src/shared/vision'

type Behaviour = (request: HostRequest, reply: (response: HostResponse) => void, host: FakeHost) => void

class FakeHost implements HostProcess {
  readonly requests: HostRequest[] = []
  private messageListeners: ((m: HostResponse) => void)[] = []
  private exitListeners: ((code: number | null) => void)[] = []
  killed = false

  constructor(private readonly behaviour: Behaviour) {}

  send(message: HostRequest): void {
    this.requests.push(message)
    this.behaviour(message, (r) => setTimeout(() => this.messageListeners.forEach((l) => l(r)), 1), this)
  }
  onMessage(listener: (m: HostResponse) => void): void {
    this.messageListeners.push(listener)
  }
  onExit(listener: (code: number | null) => void): void {
    this.exitListeners.push(listener)
  }
  kill(): void {
    this.killed = true
    this.exit(null)
  }
  exit(code: number | null): void {
    setTimeout(() => this.exitListeners.forEach((l) => l(code)), 1)
  }
}

const frame: RgbaImage = { width: 2, height: 2, data: new Uint8Array(16) }

function result(timestampMs?: number): VisionResult {
  return { width: 2, height: 2, faces: [], timings: { detectMs: 1, landmarksMs: 0, expressionMs: 0, segmentMs: 0, totalMs: 1 }, timestampMs }
}

/** Answers init at once and detect after `delayMs`; `close` exits. */
function answering(delayMs = 0): Behaviour {
  return (request, reply, host) => {
    if (request.type === 'detect') setTimeout(() => reply({ id: request.id, ok: true, result: result(request.timestampMs) }), delayMs)
    else if (request.type === 'close') host.exit(0)
    else reply({ id: request.id, ok: true, loadMs: 5 })
  }
}

function spawner(behaviours: Behaviour[]): { spawn: () => FakeHost; hosts: FakeHost[] } {
  const hosts: FakeHost[] = []
  return {
    hosts,
    spawn: () => {
      const host = new FakeHost(behaviours[Math.min(hosts.length, behaviours.length - 1)])
      hosts.push(host)
      return host
    }
  }
}

describe('VisionEngine client', () => {
  it('initialises the host with the model folder and options, then detects', async () => {
    const { spawn, hosts } = spawner([answering()])
    const engine = await VisionEngine.create({ modelDir: '/models', maxFaces: 3, spawnHost: spawn })
    expect(hosts[0].requests[0]).toMatchObject({ type: 'init', modelDir: '/models', options: { maxFaces: 3 } })
    expect(engine.loadMs).toBe(5)
    expect((await engine.detect(frame)).width).toBe(2)
    await engine.close()
  })

  it('drops a video frame while the previous one is in flight (latest frame wins)', async () => {
    const { spawn } = spawner([answering(30)])
    const engine = await VisionEngine.create({ modelDir: '/m', spawnHost: spawn })
    const first = engine.detectForVideo(frame, 1)
    const second = await engine.detectForVideo(frame, 2)
    expect(second).toBeNull()
    expect((await first)?.timestampMs).toBe(1)
    expect((await engine.detectForVideo(frame, 3))?.timestampMs).toBe(3)
    await engine.close()
  })

  it('times out a stuck request, restarts the host and works again', async () => {
    const stuck: Behaviour = (request, reply) => {
      if (request.type === 'init') reply({ id: request.id, ok: true })
    }
    const { spawn, hosts } = spawner([stuck, answering()])
    const engine = await VisionEngine.create({ modelDir: '/m', spawnHost: spawn, imageTimeoutMs: 50 })
    await expect(engine.detect(frame)).rejects.toMatchObject({ code: 'ENGINE_TIMEOUT' })
    expect(hosts[0].killed).toBe(true)
    expect((await engine.detect(frame)).width).toBe(2)
    expect(hosts).toHaveLength(2)
    await engine.close()
  })

  it('reports a crash as ENGINE_FAILED and restarts on the next request', async () => {
    const crashing: Behaviour = (request, reply, host) => {
      if (request.type === 'init') reply({ id: request.id, ok: true })
      else host.exit(134)
    }
    const { spawn, hosts } = spawner([crashing, answering()])
    const engine = await VisionEngine.create({ modelDir: '/m', spawnHost: spawn })
    await expect(engine.detect(frame)).rejects.toMatchObject({ code: 'ENGINE_FAILED', message: expect.stringContaining('134') })
    expect((await engine.detect(frame)).width).toBe(2)
    expect(hosts).toHaveLength(2)
    await engine.close()
  })

  it('passes typed host errors through and rejects bad images before sending', async () => {
    const failing: Behaviour = (request, reply, host) => {
      if (request.type === 'close') host.exit(0)
      else if (request.type === 'detect') reply({ id: request.id, ok: false, error: { code: 'MODEL_MISSING', message: 'no model' } })
      else reply({ id: request.id, ok: true })
    }
    const { spawn, hosts } = spawner([failing])
    const engine = await VisionEngine.create({ modelDir: '/m', spawnHost: spawn })
    await expect(engine.detect(frame)).rejects.toMatchObject({ code: 'MODEL_MISSING' })
    await expect(engine.detect({ width: 3, height: 2, data: new Uint8Array(4) })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    expect(hosts[0].requests.filter((r) => r.type === 'detect')).toHaveLength(1)
    await engine.close()
    await expect(engine.detect(frame)).rejects.toMatchObject({ code: 'ENGINE_CLOSED' })
  })

  it('fails create when model loading fails', async () => {
    const noModels: Behaviour = (request, reply) =>
      reply({ id: request.id, ok: false, error: { code: 'MODEL_MISSING', message: 'Model file x is missing; run npm run models' } })
    const { spawn } = spawner([noModels])
    await expect(VisionEngine.create({ modelDir: '/m', spawnHost: spawn })).rejects.toMatchObject({ code: 'MODEL_MISSING' })
  })
})
