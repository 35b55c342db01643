/**
 * VisionEngine: the face engine as callers see it (main process, CLI, browser-mode
 * server). It owns a host process that runs the models, restarts it if it dies,
 * times requests out (counted from when the host starts them, not from when they
 * were queued), drops video frames while a stream's previous frame is in flight,
 * and stops a host that ignores SIGTERM with SIGKILL.
 *
 *   const engine = await VisionEngine.create({ modelDir })
 *   const result = await engine.detect(image)
 *   const camera = engine.createVideoSession()   // one per stream, its own face tracker
 *   await camera.detectForVideo(frame, timestampMs)
 *   await engine.close()
 *
 * A host that cannot load its models is not respawned on every request: a missing model
 * is remembered until the model folder changes, and other start failures are retried
 * after an exponentially growing pause.
 */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { SmilecamError } from '../shared/errors'
import { DEFAULT_VISION_OPTIONS, type RgbaImage, type VisionOptions, type VisionResult } from '../shared/vision'
import { applyOptions } from './engine-options'
import { nodeHostSpawner } from './node-host'
import { describeExit, type HostExit, type HostProcess, type HostRequest, type HostResponse, type HostSpawner } from './protocol'

export interface VisionEngineConfig extends Partial<VisionOptions> {
  /** Folder holding the .onnx files (resources/models). */
  modelDir: string
  /** Starts the host process; defaults to a forked Node process. */
  spawnHost?: HostSpawner
  /** Longest a still-image request may run before the host is restarted. */
  imageTimeoutMs?: number
  /** Longest a video frame may run before the host is restarted. */
  videoTimeoutMs?: number
  /** Longest model loading may take. */
  startTimeoutMs?: number
  /** Time a host gets to exit after SIGTERM before it is sent SIGKILL. */
  killGraceMs?: number
  /** First pause before retrying a failed start; doubles per failure up to maxRetryMs. */
  firstRetryMs?: number
  maxRetryMs?: number
  /** Fingerprint of the model folder (names, sizes, times); a missing model stays missing until it changes. */
  modelFingerprint?: (modelDir: string) => Promise<string>
  /** Clock for the retry pauses (tests). */
  now?: () => number
}

type EngineState = 'idle' | 'starting' | 'ready' | 'failed' | 'closed'

interface Pending {
  resolve(response: OkResponse): void
  reject(error: SmilecamError): void
  timer: NodeJS.Timeout
  /** How long the request may run once the host has started it. */
  runTimeoutMs: number
}

type OkResponse = Extract<HostResponse, { ok: true }>
type RequestBody = HostRequest extends infer R ? (R extends HostRequest ? Omit<R, 'id'> : never) : never

const DEFAULT_IMAGE_TIMEOUT_MS = 60_000
const DEFAULT_VIDEO_TIMEOUT_MS = 5_000
const DEFAULT_START_TIMEOUT_MS = 60_000
const DEFAULT_KILL_GRACE_MS = 2_000
const DEFAULT_FIRST_RETRY_MS = 1_000
const DEFAULT_MAX_RETRY_MS = 30_000
/** The session detectForVideo on the engine itself uses. */
const DEFAULT_SESSION_ID = 0

/** One video stream: its own face tracker in the host, at most one frame in flight. */
export interface VideoSession {
  /** Null when the frame was dropped because this stream's previous frame is still being processed. */
  detectForVideo(frame: RgbaImage, timestampMs: number, overrides?: Partial<VisionOptions>): Promise<VisionResult | null>
  /** Forgets the stream's tracker in the host. */
  close(): Promise<void>
}

interface StartFailure {
  error: SmilecamError
  /** For MODEL_MISSING: the model folder as it was; retried only once it differs. */
  fingerprint?: string
  /** For other failures: not retried before this time. */
  retryAtMs: number
}

export class VisionEngine {
  private host: HostProcess | null = null
  private state: EngineState = 'idle'
  private starting: Promise<void> | null = null
  private nextId = 1
  private nextSessionId = DEFAULT_SESSION_ID + 1
  private readonly pending = new Map<number, Pending>()
  private readonly busySessions = new Set<number>()
  private readonly exited = new WeakSet<HostProcess>()
  private failure: StartFailure | null = null
  private failures = 0
  private options: VisionOptions
  /** Model load time of the current host, for benchmarks. */
  loadMs = 0

  private constructor(private readonly config: VisionEngineConfig) {
    this.options = applyOptions(DEFAULT_VISION_OPTIONS, config)
  }

  /** Starts the host and loads the models; rejects when that fails. */
  static async create(config: VisionEngineConfig): Promise<VisionEngine> {
    const engine = VisionEngine.open(config)
    await engine.warmUp()
    return engine
  }

  /** An engine whose host starts on the first request (or warmUp); start failures reach each call. */
  static open(config: VisionEngineConfig): VisionEngine {
    return new VisionEngine(config)
  }

  /** Starts the host now (model loading takes a while); rejects with the start error. */
  warmUp(): Promise<void> {
    return this.ensureHost()
  }

  /** Changes options; a key set to `undefined` goes back to its default. */
  async setOptions(partial: Partial<VisionOptions>): Promise<void> {
    this.options = applyOptions(this.options, partial)
    if (this.state === 'ready') await this.request({ type: 'setOptions', options: this.options }, this.videoTimeoutMs())
  }

  /** Analyses a still image. */
  async detect(image: RgbaImage, overrides: Partial<VisionOptions> = {}): Promise<VisionResult> {
    validateImage(image)
    await this.ensureHost()
    const response = await this.request({ type: 'detect', image, overrides }, this.config.imageTimeoutMs ?? DEFAULT_IMAGE_TIMEOUT_MS)
    if (!response.result) throw new SmilecamError('ENGINE_FAILED', 'The vision engine returned no result.')
    return response.result
  }

  /**
   * Analyses a frame of the engine's default video stream with temporal smoothing. Returns null
   * when the frame was dropped because the previous one is still being processed (latest frame wins).
   */
  detectForVideo(frame: RgbaImage, timestampMs: number, overrides: Partial<VisionOptions> = {}): Promise<VisionResult | null> {
    return this.videoFrame(DEFAULT_SESSION_ID, frame, timestampMs, overrides)
  }

  /** A separate video stream (its own tracker), e.g. one per camera. */
  createVideoSession(): VideoSession {
    const sessionId = this.nextSessionId++
    let closed = false
    return {
      detectForVideo: (frame, timestampMs, overrides = {}) => {
        if (closed) return Promise.reject(new SmilecamError('ENGINE_CLOSED', 'This video session was closed.'))
        return this.videoFrame(sessionId, frame, timestampMs, overrides)
      },
      close: async () => {
        if (closed) return
        closed = true
        if (this.state === 'ready') await this.request({ type: 'closeSession', sessionId }, this.videoTimeoutMs()).catch(() => undefined)
      }
    }
  }

  /**
   * Gives the running host one end of a MessageChannel for a renderer's frames (the app's direct
   * frame path: no relay through the caller). Starts the host if needed. The port closes when
   * the host goes; the renderer then asks for a new one.
   */
  async attachPort(port: unknown): Promise<void> {
    await this.ensureHost()
    const host = this.host
    if (!host?.attachPort) throw new SmilecamError('ENGINE_FAILED', 'This vision host cannot take a direct frame port.')
    host.attachPort(port)
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return
    const host = this.host
    this.state = 'closed'
    this.rejectAll(new SmilecamError('ENGINE_CLOSED', 'The vision engine was closed.'))
    this.host = null
    if (!host || this.exited.has(host)) return
    const grace = this.config.killGraceMs ?? DEFAULT_KILL_GRACE_MS
    await new Promise<void>((resolve) => {
      // A host that does not close itself in time is stopped: SIGTERM, then SIGKILL; a process
      // that outlives even that is no reason to hang the caller.
      const stop = setTimeout(() => this.terminate(host), grace)
      const giveUp = setTimeout(resolve, 3 * grace)
      host.onExit(() => {
        clearTimeout(stop)
        clearTimeout(giveUp)
        resolve()
      })
      host.send({ id: 0, type: 'close' })
    })
  }

  private videoTimeoutMs(): number {
    return this.config.videoTimeoutMs ?? DEFAULT_VIDEO_TIMEOUT_MS
  }

  private async videoFrame(sessionId: number, frame: RgbaImage, timestampMs: number, overrides: Partial<VisionOptions>): Promise<VisionResult | null> {
    validateImage(frame)
    if (this.busySessions.has(sessionId)) return null
    this.busySessions.add(sessionId)
    try {
      await this.ensureHost()
      const response = await this.request({ type: 'detect', image: frame, overrides, timestampMs, sessionId }, this.videoTimeoutMs())
      // No result: the host dropped the frame for a newer one of the same stream.
      return response.result ?? null
    } finally {
      this.busySessions.delete(sessionId)
    }
  }

  /** Starts (or restarts after a crash) the host and loads the models. */
  private ensureHost(): Promise<void> {
    if (this.state === 'closed') return Promise.reject(new SmilecamError('ENGINE_CLOSED', 'The vision engine was closed.'))
    if (this.state === 'ready') return Promise.resolve()
    this.starting ??= this.startIfAllowed().finally(() => {
      this.starting = null
    })
    return this.starting
  }

  /** Refuses to respawn while a missing model is still missing or a retry pause runs. */
  private async startIfAllowed(): Promise<void> {
    const failure = this.failure
    if (failure) {
      if (failure.fingerprint !== undefined) {
        const now = await this.fingerprint()
        if (now === failure.fingerprint) throw failure.error
      } else if (this.clock() < failure.retryAtMs) {
        throw failure.error
      }
    }
    try {
      await this.startHost()
      this.failure = null
      this.failures = 0
    } catch (error) {
      const typed = SmilecamError.from(error, 'ENGINE_FAILED')
      if (this.state !== 'closed') {
        this.failures++
        const pause = Math.min((this.config.firstRetryMs ?? DEFAULT_FIRST_RETRY_MS) * 2 ** (this.failures - 1), this.config.maxRetryMs ?? DEFAULT_MAX_RETRY_MS)
        this.failure = {
          error: typed,
          fingerprint: typed.code === 'MODEL_MISSING' ? await this.fingerprint() : undefined,
          retryAtMs: this.clock() + pause
        }
      }
      throw typed
    }
  }

  private clock(): number {
    return (this.config.now ?? Date.now)()
  }

  private fingerprint(): Promise<string> {
    return (this.config.modelFingerprint ?? modelFolderFingerprint)(this.config.modelDir)
  }

  private async startHost(): Promise<void> {
    this.state = 'starting'
    const spawn = this.config.spawnHost ?? nodeHostSpawner()
    const host = spawn()
    this.host = host
    host.onMessage((message) => this.onMessage(message))
    host.onExit((exit) => {
      this.exited.add(host)
      this.onExit(host, exit)
    })
    try {
      const response = await this.request(
        { type: 'init', modelDir: this.config.modelDir, options: this.options },
        this.config.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS
      )
      this.loadMs = response.loadMs ?? 0
      this.state = 'ready'
    } catch (error) {
      if ((this.state as EngineState) !== 'closed') this.state = 'failed'
      if (this.host === host) this.host = null
      this.terminate(host)
      throw error
    }
  }

  private request(body: RequestBody, runTimeoutMs: number): Promise<OkResponse> {
    const host = this.host
    if (!host) return Promise.reject(new SmilecamError('ENGINE_FAILED', 'The vision engine is not running.'))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      // Until the host starts it, a request waits behind the one running, whose own timeout
      // covers a stuck host; this backstop only catches a host that never starts anything.
      const queuedLimit = runTimeoutMs + (this.config.imageTimeoutMs ?? DEFAULT_IMAGE_TIMEOUT_MS)
      const timer = this.timeout(id, host, queuedLimit)
      this.pending.set(id, { resolve, reject, timer, runTimeoutMs })
      host.send({ ...body, id } as HostRequest)
    })
  }

  private timeout(id: number, host: HostProcess, ms: number): NodeJS.Timeout {
    return setTimeout(() => {
      const pending = this.pending.get(id)
      if (!pending) return
      this.pending.delete(id)
      pending.reject(new SmilecamError('ENGINE_TIMEOUT', `The vision engine did not answer within ${Math.round(ms / 1000)} s; it will be restarted.`))
      // A stuck session.run cannot be interrupted: replace the process.
      this.restart(host)
    }, ms)
  }

  private onMessage(message: HostResponse): void {
    const pending = this.pending.get(message.id)
    if (!pending) return
    clearTimeout(pending.timer)
    if ('started' in message) {
      const host = this.host
      if (host) pending.timer = this.timeout(message.id, host, pending.runTimeoutMs)
      return
    }
    this.pending.delete(message.id)
    if (message.ok) pending.resolve(message)
    else pending.reject(SmilecamError.from(message.error, 'ENGINE_FAILED'))
  }

  private onExit(host: HostProcess, exit: HostExit): void {
    if (host !== this.host || this.state === 'closed') return
    this.host = null
    this.state = 'failed'
    this.rejectAll(new SmilecamError('ENGINE_FAILED', `The vision engine stopped unexpectedly (${describeExit(exit)}); it restarts on the next request.`))
  }

  private restart(host: HostProcess): void {
    if (host !== this.host) return
    this.host = null
    this.state = 'failed'
    this.terminate(host)
    this.rejectAll(new SmilecamError('ENGINE_FAILED', 'The vision engine was restarted.'))
  }

  /** SIGTERM, then SIGKILL if the process is still there after the grace period. */
  private terminate(host: HostProcess): void {
    if (this.exited.has(host)) return
    host.kill('SIGTERM')
    const timer = setTimeout(() => {
      if (!this.exited.has(host)) host.kill('SIGKILL')
    }, this.config.killGraceMs ?? DEFAULT_KILL_GRACE_MS)
    timer.unref?.()
    host.onExit(() => clearTimeout(timer))
  }

  private rejectAll(error: SmilecamError): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer)
      pending.reject(error)
      this.pending.delete(id)
    }
  }
}

/** Names, sizes and modification times of the .onnx files in `modelDir` ('' when it is unreadable). */
export async function modelFolderFingerprint(modelDir: string): Promise<string> {
  let names: string[]
  try {
    names = (await readdir(modelDir)).filter((name) => name.endsWith('.onnx')).sort()
  } catch {
    return ''
  }
  const parts = await Promise.all(
    names.map(async (name) => {
      const info = await stat(join(modelDir, name)).catch(() => null)
      return info ? `${name}:${info.size}:${info.mtimeMs}` : `${name}:?`
    })
  )
  return parts.join('|')
}

function validateImage(image: RgbaImage): void {
  const { width, height, data } = image
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new SmilecamError('INVALID_INPUT', `Image size ${width}×${height} is not valid.`)
  }
  if (data.length !== width * height * 4) {
    throw new SmilecamError('INVALID_INPUT', `Image data has ${data.length} bytes; ${width}×${height} RGBA needs ${width * height * 4}.`)
  }
}
