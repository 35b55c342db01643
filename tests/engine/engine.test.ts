/** The engine client against an in-memory fake host: drops, timeouts, crashes, restarts. */
import { describe, expect, it } from 'vitest'
import { VisionEngine } from '../../src/engine/engine'
import { HostQueue } from '../../src/engine/host-queue'
import type { HostExit, HostProcess, HostRequest, HostResponse } from '../../src/engine/protocol'
import type { RgbaImage, VisionResult } from '../../src/shared/vision'

type Behaviour = (request: HostRequest, reply: (response: HostResponse) => void, host: FakeHost) => void

class FakeHost implements HostProcess {
  readonly requests: HostRequest[] = []
  private messageListeners: ((m: HostResponse) => void)[] = []
  private exitListeners: ((exit: HostExit) => void)[] = []
  killed = false
  readonly signals: string[] = []
  /** A wedged process: SIGTERM does nothing, only SIGKILL ends it. */
  ignoresSigterm = false

  constructor(private readonly behaviour: Behaviour) {}

  send(message: HostRequest): void {
    this.requests.push(message)
    this.behaviour(message, (r) => setTimeout(() => this.messageListeners.forEach((l) => l(r)), 1), this)
  }
  onMessage(listener: (m: HostResponse) => void): void {
    this.messageListeners.push(listener)
  }
  onExit(listener: (exit: HostExit) => void): void {
    this.exitListeners.push(listener)
  }
  kill(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): void {
    this.signals.push(signal)
    if (signal === 'SIGTERM' && this.ignoresSigterm) return
    this.killed = true
    this.exit(null, signal)
  }
  exit(code: number | null, signal: string | null = null): void {
    setTimeout(() => this.exitListeners.forEach((l) => l({ code, signal })), 1)
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

/**
 * A host that runs requests one at a time through the real HostQueue (control, then video,
 * then stills; `started` on dequeue), taking `runMs(request)` for each.
 */
function queued(runMs: (request: HostRequest) => number): Behaviour {
  let queue: HostQueue | null = null
  return (request, reply, host) => {
    queue ??= new HostQueue(async (r) => {
      await new Promise((resolve) => setTimeout(resolve, runMs(r)))
      if (r.type === 'detect') return { id: r.id, ok: true, result: result(r.timestampMs) }
      return { id: r.id, ok: true }
    })
    if (request.type === 'close') host.exit(0)
    else queue.push(request, reply)
  }
}

describe('VisionEngine scheduling', () => {
  it('a video frame queued behind a long still does not time out: its timeout counts from when the host starts it', async () => {
    const { spawn, hosts } = spawner([queued((r) => (r.type === 'detect' && r.timestampMs === undefined ? 250 : 5))])
    const engine = await VisionEngine.create({ modelDir: '/m', spawnHost: spawn, videoTimeoutMs: 100 })
    const still = engine.detect(frame)
    await new Promise((resolve) => setTimeout(resolve, 20))
    const video = await engine.detectForVideo(frame, 7)
    expect(video?.timestampMs).toBe(7)
    expect((await still).width).toBe(2)
    expect(hosts).toHaveLength(1)
    expect(hosts[0].killed).toBe(false)
    await engine.close()
  })

  it('video frames go before queued stills', async () => {
    const order: string[] = []
    const { spawn } = spawner([
      queued((r) => {
        if (r.type === 'detect') order.push(r.timestampMs === undefined ? 'still' : 'video')
        return 30
      })
    ])
    const engine = await VisionEngine.create({ modelDir: '/m', spawnHost: spawn })
    const jobs = [engine.detect(frame), engine.detect(frame)]
    await new Promise((resolve) => setTimeout(resolve, 10))
    await engine.detectForVideo(frame, 1)
    await Promise.all(jobs)
    expect(order).toEqual(['still', 'video', 'still'])
    await engine.close()
  })

  it('a video frame that runs too long still restarts the host', async () => {
    const { spawn, hosts } = spawner([queued((r) => (r.type === 'detect' ? 500 : 1)), answering()])
    const engine = await VisionEngine.create({ modelDir: '/m', spawnHost: spawn, videoTimeoutMs: 50 })
    await expect(engine.detectForVideo(frame, 1)).rejects.toMatchObject({ code: 'ENGINE_TIMEOUT' })
    expect(hosts[0].signals).toContain('SIGTERM')
    expect((await engine.detectForVideo(frame, 2))?.timestampMs).toBe(2)
    await engine.close()
  })

  it('each video session has its own in-flight frame; the same session drops while busy', async () => {
    const { spawn, hosts } = spawner([answering(30)])
    const engine = await VisionEngine.create({ modelDir: '/m', spawnHost: spawn })
    const a = engine.createVideoSession()
    const b = engine.createVideoSession()
    const first = a.detectForVideo(frame, 1)
    const other = b.detectForVideo(frame, 1)
    expect(await a.detectForVideo(frame, 2)).toBeNull()
    expect((await first)?.timestampMs).toBe(1)
    expect((await other)?.timestampMs).toBe(1)
    const sessions = hosts[0].requests.flatMap((r) => (r.type === 'detect' ? [r.sessionId] : []))
    expect(new Set(sessions).size).toBe(2)
    await b.close()
    expect(hosts[0].requests.at(-1)).toMatchObject({ type: 'closeSession', sessionId: sessions[1] })
    await expect(b.detectForVideo(frame, 3)).rejects.toMatchObject({ code: 'ENGINE_CLOSED' })
    await engine.close()
  })

  it('a frame the host dropped for a newer one of its stream resolves null', async () => {
    const dropping: Behaviour = (request, reply, host) => {
      if (request.type === 'close') host.exit(0)
      else reply({ id: request.id, ok: true })
    }
    const { spawn } = spawner([dropping])
    const engine = await VisionEngine.create({ modelDir: '/m', spawnHost: spawn })
    expect(await engine.detectForVideo(frame, 1)).toBeNull()
    await engine.close()
  })
})

describe('VisionEngine host lifecycle', () => {
  it('close: a host that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const deaf: Behaviour = (request, reply) => {
      if (request.type === 'init') reply({ id: request.id, ok: true })
    }
    const { spawn, hosts } = spawner([deaf])
    const engine = await VisionEngine.create({ modelDir: '/m', spawnHost: spawn, killGraceMs: 30 })
    hosts[0].ignoresSigterm = true
    const started = performance.now()
    await engine.close()
    expect(hosts[0].signals).toEqual(['SIGTERM', 'SIGKILL'])
    expect(hosts[0].killed).toBe(true)
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('a timed-out host that ignores SIGTERM is SIGKILLed', async () => {
    const stuck: Behaviour = (request, reply) => {
      if (request.type === 'init') reply({ id: request.id, ok: true })
    }
    const { spawn, hosts } = spawner([stuck, answering()])
    const engine = await VisionEngine.create({ modelDir: '/m', spawnHost: spawn, imageTimeoutMs: 30, killGraceMs: 30 })
    hosts[0].ignoresSigterm = true
    await expect(engine.detect(frame)).rejects.toMatchObject({ code: 'ENGINE_TIMEOUT' })
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(hosts[0].signals).toEqual(['SIGTERM', 'SIGKILL'])
    await engine.close()
  })

  it('says which signal stopped the host', async () => {
    const segfault: Behaviour = (request, reply, host) => {
      if (request.type === 'init') reply({ id: request.id, ok: true })
      else host.exit(null, 'SIGSEGV')
    }
    const { spawn } = spawner([segfault, answering()])
    const engine = await VisionEngine.create({ modelDir: '/m', spawnHost: spawn })
    const error = await engine.detect(frame).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ENGINE_FAILED', message: expect.stringContaining('killed by SIGSEGV') })
    expect((error as Error).message).not.toContain('null')
    await engine.close()
  })

  it('MODEL_MISSING is sticky: no new host until the model folder changes', async () => {
    const noModels: Behaviour = (request, reply, host) => {
      if (request.type === 'close') host.exit(0)
      else reply({ id: request.id, ok: false, error: { code: 'MODEL_MISSING', message: 'Model file x is missing; run npm run models' } })
    }
    const { spawn, hosts } = spawner([noModels, noModels, answering()])
    let folder = 'v1'
    const engine = VisionEngine.open({ modelDir: '/m', spawnHost: spawn, modelFingerprint: async () => folder })
    for (let i = 0; i < 5; i++) await expect(engine.detect(frame)).rejects.toMatchObject({ code: 'MODEL_MISSING' })
    expect(hosts).toHaveLength(1)
    expect(hosts[0].signals).toEqual(['SIGTERM'])
    folder = 'v2' // npm run models wrote the files, but one is still missing
    await expect(engine.detect(frame)).rejects.toMatchObject({ code: 'MODEL_MISSING' })
    expect(hosts).toHaveLength(2)
    folder = 'v3'
    expect((await engine.detect(frame)).width).toBe(2)
    expect(hosts).toHaveLength(3)
    await engine.close()
  })

  it('other start failures are retried after a pause that doubles each time', async () => {
    const broken: Behaviour = (request, reply, host) => {
      if (request.type === 'close') host.exit(0)
      else reply({ id: request.id, ok: false, error: { code: 'ENGINE_FAILED', message: 'Could not load model' } })
    }
    const { spawn, hosts } = spawner([broken, broken, answering()])
    let now = 0
    const engine = VisionEngine.open({ modelDir: '/m', spawnHost: spawn, firstRetryMs: 1000, now: () => now })
    await expect(engine.warmUp()).rejects.toMatchObject({ code: 'ENGINE_FAILED' })
    now = 999
    await expect(engine.detect(frame)).rejects.toMatchObject({ code: 'ENGINE_FAILED' })
    expect(hosts).toHaveLength(1)
    now = 1000
    await expect(engine.detect(frame)).rejects.toMatchObject({ code: 'ENGINE_FAILED' })
    expect(hosts).toHaveLength(2)
    now = 2999 // second pause is 2 s
    await expect(engine.detect(frame)).rejects.toMatchObject({ code: 'ENGINE_FAILED' })
    expect(hosts).toHaveLength(2)
    now = 3000
    expect((await engine.detect(frame)).width).toBe(2)
    expect(hosts).toHaveLength(3)
    await engine.close()
  })
})
