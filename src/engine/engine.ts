/**
 * VisionEngine: the face engine as callers see it (main process, CLI, browser-mode
 * server). It owns a host process that runs the models, restarts it if it dies,
 * times requests out, and drops video frames while the host is busy.
 *
 *   const engine = await VisionEngine.create({ modelDir })
 *   const result = await engine.detect(image)
 *   await engine.close()
 */
import { SmilecamError } from '../shared/errors'
import { DEFAULT_VISION_OPTIONS, type RgbaImage, type VisionOptions, type VisionResult } from '../shared/vision'
import { applyOptions } from './engine-options'
import { nodeHostSpawner } from './node-host'
import type { HostProcess, HostRequest, HostResponse, HostSpawner } from './protocol'

export interface VisionEngineConfig extends Partial<VisionOptions> {
  /** Folder holding the .onnx files (resources/models). */
  modelDir: string
  /** Starts the host process; defaults to a forked Node process. */
  spawnHost?: HostSpawner
  /** Longest a still-image request may take before the host is restarted. */
  imageTimeoutMs?: number
  /** Longest a video frame may take before the host is restarted. */
  videoTimeoutMs?: number
  /** Longest model loading may take. */
  startTimeoutMs?: number
}

type EngineState = 'starting' | 'ready' | 'failed' | 'closed'

interface Pending {
  resolve(response: HostResponse & { ok: true }): void
  reject(error: SmilecamError): void
  timer: NodeJS.Timeout
}

type RequestBody = HostRequest extends infer R ? (R extends HostRequest ? Omit<R, 'id'> : never) : never

const DEFAULT_IMAGE_TIMEOUT_MS = 60_000
const DEFAULT_VIDEO_TIMEOUT_MS = 5_000
const DEFAULT_START_TIMEOUT_MS = 60_000

export class VisionEngine {
  private host: HostProcess | null = null
  private state: EngineState = 'starting'
  private starting: Promise<void> | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private videoBusy = false
  private options: VisionOptions
  /** Model load time of the current host, for benchmarks. */
  loadMs = 0

  private constructor(private readonly config: VisionEngineConfig) {
    this.options = resolveOptions(config)
  }

  static async create(config: VisionEngineConfig): Promise<VisionEngine> {
    const engine = new VisionEngine(config)
    await engine.ensureHost()
    return engine
  }

  /** Changes options; a key set to `undefined` goes back to its default. */
  async setOptions(partial: Partial<VisionOptions>): Promise<void> {
    this.options = applyOptions(this.options, partial)
    if (this.state === 'ready') await this.request({ type: 'setOptions', options: this.options }, DEFAULT_VIDEO_TIMEOUT_MS)
  }

  /** Analyses a still image. */
  async detect(image: RgbaImage, overrides: Partial<VisionOptions> = {}): Promise<VisionResult> {
    validateImage(image)
    await this.ensureHost()
    const response = await this.request(
      { type: 'detect', image, overrides },
      this.config.imageTimeoutMs ?? DEFAULT_IMAGE_TIMEOUT_MS
    )
    return requireResult(response)
  }

  /**
   * Analyses a video frame with temporal smoothing. Returns null when the frame
   * was dropped because the previous one is still being processed (latest frame wins).
   */
  async detectForVideo(frame: RgbaImage, timestampMs: number, overrides: Partial<VisionOptions> = {}): Promise<VisionResult | null> {
    validateImage(frame)
    if (this.videoBusy) return null
    this.videoBusy = true
    try {
      await this.ensureHost()
      const response = await this.request(
        { type: 'detect', image: frame, overrides, timestampMs },
        this.config.videoTimeoutMs ?? DEFAULT_VIDEO_TIMEOUT_MS
      )
      return requireResult(response)
    } finally {
      this.videoBusy = false
    }
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return
    const host = this.host
    this.state = 'closed'
    this.rejectAll(new SmilecamError('ENGINE_CLOSED', 'The vision engine was closed.'))
    if (!host) return
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        host.kill()
        resolve()
      }, 2000)
      host.onExit(() => {
        clearTimeout(timer)
        resolve()
      })
      host.send({ id: 0, type: 'close' })
    })
    this.host = null
  }

  /** Starts (or restarts after a crash) the host and loads the models. */
  private ensureHost(): Promise<void> {
    if (this.state === 'closed') return Promise.reject(new SmilecamError('ENGINE_CLOSED', 'The vision engine was closed.'))
    if (this.state === 'ready') return Promise.resolve()
    this.starting ??= this.startHost().finally(() => {
      this.starting = null
    })
    return this.starting
  }

  private async startHost(): Promise<void> {
    this.state = 'starting'
    const spawn = this.config.spawnHost ?? nodeHostSpawner()
    const host = spawn()
    this.host = host
    host.onMessage((message) => this.onMessage(message))
    host.onExit((code) => this.onExit(host, code))
    try {
      const response = await this.request(
        { type: 'init', modelDir: this.config.modelDir, options: this.options },
        this.config.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS
      )
      this.loadMs = response.loadMs ?? 0
      this.state = 'ready'
    } catch (error) {
      this.state = 'failed'
      host.kill()
      throw error
    }
  }

  private request(body: RequestBody, timeoutMs: number): Promise<HostResponse & { ok: true }> {
    const host = this.host
    if (!host) return Promise.reject(new SmilecamError('ENGINE_FAILED', 'The vision engine is not running.'))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new SmilecamError('ENGINE_TIMEOUT', `The vision engine did not answer within ${Math.round(timeoutMs / 1000)} s; it will be restarted.`))
        // A stuck session.run cannot be interrupted: replace the process.
        this.restart(host)
      }, timeoutMs)
      this.pending.set(id, { resolve, reject, timer })
      host.send({ ...body, id } as HostRequest)
    })
  }

  private onMessage(message: HostResponse): void {
    const pending = this.pending.get(message.id)
    if (!pending) return
    this.pending.delete(message.id)
    clearTimeout(pending.timer)
    if (message.ok) pending.resolve(message)
    else pending.reject(SmilecamError.from(message.error, 'ENGINE_FAILED'))
  }

  private onExit(host: HostProcess, code: number | null): void {
    if (host !== this.host || this.state === 'closed') return
    this.host = null
    this.state = 'failed'
    this.rejectAll(new SmilecamError('ENGINE_FAILED', `The vision engine stopped unexpectedly (exit code ${code}); it restarts on the next request.`))
  }

  private restart(host: HostProcess): void {
    if (host !== this.host) return
    this.host = null
    this.state = 'failed'
    host.kill()
    this.rejectAll(new SmilecamError('ENGINE_FAILED', 'The vision engine was restarted.'))
  }

  private rejectAll(error: SmilecamError): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer)
      pending.reject(error)
      this.pending.delete(id)
    }
  }
}

function resolveOptions(config: Partial<VisionOptions>): VisionOptions {
  return applyOptions(DEFAULT_VISION_OPTIONS, config)
}

function requireResult(response: HostResponse & { ok: true }): VisionResult {
  if (!response.result) throw new SmilecamError('ENGINE_FAILED', 'The vision engine returned no result.')
  return response.result
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
