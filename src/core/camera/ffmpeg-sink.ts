/**
 * A frame sink backed by Debian's ffmpeg: raw frames go in on stdin, ffmpeg writes them to a
 * v4l2loopback device (YUYV, which Chrome-based call apps accept) or to a y4m file.
 *
 * Backpressure: at most one frame is in the pipe and one waits; a newer frame replaces the
 * waiting one (latest frame wins), so a slow ffmpeg never makes memory grow.
 */
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process'
import type { Writable } from 'node:stream'
import { SmilecamError } from '../../shared/errors'

export type SinkFormat = 'v4l2' | 'y4m'
export type SinkPixelFormat = 'rgba' | 'yuv420p'

/** The subset of child_process.spawn the sink uses (tests pass a recording fake). */
export type SpawnFunction = (command: string, args: string[], options: { stdio: ['pipe', 'ignore', 'pipe'] }) => ChildProcess

export interface FfmpegSinkOptions {
  ffmpegPath?: string
  /** /dev/videoN, or a file path (y4m). */
  output: string
  /** Default: v4l2 for paths under /dev/, y4m otherwise. */
  format?: SinkFormat
  width: number
  height: number
  fps: number
  /** What `write` receives: RGBA (the app's canvas frames) or planar YUV 4:2:0 (the CLI's y4m frames). */
  pixelFormat?: SinkPixelFormat
  spawn?: SpawnFunction
  /** How long close() waits for ffmpeg to finish before it is terminated. */
  closeTimeoutMs?: number
}

export interface FfmpegSinkStats {
  /** Frames handed to ffmpeg. */
  written: number
  /** Frames replaced by a newer one before ffmpeg could take them. */
  dropped: number
}

export interface FfmpegSink {
  /** The ffmpeg command line (without the program). */
  readonly args: readonly string[]
  /**
   * Queues a frame (copied: the caller may reuse its buffers), given whole or as its planes in
   * order; replaces a frame still waiting. Throws INVALID_INPUT on a wrong size.
   */
  write(frame: Uint8Array | readonly Uint8Array[]): void
  /** Resolves when every accepted frame is in ffmpeg's hands (file sinks that must keep every frame). */
  drained(): Promise<void>
  stats(): FfmpegSinkStats
  /** The typed error ffmpeg failed with, or null. */
  readonly failure: SmilecamError | null
  /** Called once when ffmpeg fails (missing, device busy or gone, died). */
  onError(listener: (error: SmilecamError) => void): void
  /** Sends the remaining frames, ends the stream and waits for ffmpeg to exit. Never rejects. */
  close(): Promise<void>
}

const STDERR_TAIL_CHARS = 2000
const DEFAULT_CLOSE_TIMEOUT_MS = 5000
const KILL_GRACE_MS = 2000

/** Bytes of one frame of the pixel format. */
export function frameBytes(width: number, height: number, pixelFormat: SinkPixelFormat): number {
  return pixelFormat === 'rgba' ? width * height * 4 : width * height + 2 * ((width / 2) * (height / 2))
}

/** The largest even size that fits in width × height (YUYV and 4:2:0 need even sides). */
export function evenFrameSize(width: number, height: number): { width: number; height: number } {
  return { width: width - (width % 2), height: height - (height % 2) }
}

export function sinkFormatFor(output: string): SinkFormat {
  return output.startsWith('/dev/') ? 'v4l2' : 'y4m'
}

/** ffmpeg's arguments for a sink; pure, so the app's tests can check them too. */
export function ffmpegSinkArgs(options: Pick<FfmpegSinkOptions, 'output' | 'format' | 'width' | 'height' | 'fps' | 'pixelFormat'>): string[] {
  const { output, width, height, fps } = options
  const format = options.format ?? sinkFormatFor(output)
  const input = ['-f', 'rawvideo', '-pix_fmt', options.pixelFormat ?? 'rgba', '-s', `${width}x${height}`, '-r', String(fps), '-i', '-']
  const out = format === 'v4l2' ? ['-f', 'v4l2', '-pix_fmt', 'yuyv422', output] : ['-f', 'yuv4mpegpipe', '-pix_fmt', 'yuv420p', '-y', output]
  return ['-hide_banner', '-loglevel', 'error', '-nostats', ...input, ...out]
}

function validateOptions(options: FfmpegSinkOptions): void {
  const { width, height, fps, output } = options
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new SmilecamError('INVALID_INPUT', `Frame size ${width}×${height} is not valid.`)
  }
  if (width % 2 !== 0 || height % 2 !== 0) {
    const even = evenFrameSize(width, height)
    throw new SmilecamError('INVALID_INPUT', `The virtual camera needs an even width and height; ${width}×${height} could be cropped to ${even.width}×${even.height}.`)
  }
  if (!(fps > 0 && fps <= 240)) throw new SmilecamError('INVALID_INPUT', `Frame rate ${fps} is not valid (1 to 240).`)
  if (output.length === 0) throw new SmilecamError('INVALID_INPUT', 'No output was given.')
}

/** Turns how ffmpeg ended into the error a user can act on. */
export function classifyFfmpegExit(output: string, format: SinkFormat, stderrTail: string, code: number | null, signal: string | null): SmilecamError {
  const tail = stderrTail.trim()
  const said = tail ? `: ${tail}` : ''
  if (/Device or resource busy/i.test(tail)) {
    return new SmilecamError('DEVICE_BUSY', `${output} is busy: another program is using it. Close it or pick another device${said}`)
  }
  if (format === 'v4l2' && /No such file or directory|No such device/i.test(tail)) {
    return new SmilecamError('DEVICE_GONE', `${output} is gone: the device was removed or the v4l2loopback module unloaded${said}`)
  }
  const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`
  return new SmilecamError('FFMPEG_FAILED', `ffmpeg ${how} while writing ${output}${said}`)
}

export function createFfmpegSink(options: FfmpegSinkOptions): FfmpegSink {
  validateOptions(options)
  const ffmpegPath = options.ffmpegPath ?? 'ffmpeg'
  const format = options.format ?? sinkFormatFor(options.output)
  const pixelFormat = options.pixelFormat ?? 'rgba'
  const bytesPerFrame = frameBytes(options.width, options.height, pixelFormat)
  const args = ffmpegSinkArgs({ ...options, format, pixelFormat })
  const spawn = options.spawn ?? (nodeSpawn as SpawnFunction)

  const child = spawn(ffmpegPath, args, { stdio: ['pipe', 'ignore', 'pipe'] })
  if (!child.stdin) throw new SmilecamError('INTERNAL', 'ffmpeg was started without a stdin pipe.')
  const stdin: Writable = child.stdin

  let stderrTail = ''
  let failure: SmilecamError | null = null
  let closing = false
  let killedByUs = false
  let exited = false
  let inFlight = false
  let waiting: Buffer | null = null
  const stats: FfmpegSinkStats = { written: 0, dropped: 0 }
  const errorListeners: ((error: SmilecamError) => void)[] = []
  let drainWaiters: (() => void)[] = []
  const exit = new Promise<void>((resolve) => {
    child.once('close', () => resolve())
    // 'close' never comes when the program could not be started at all.
    child.once('error', () => resolve())
  })

  const fail = (error: SmilecamError): void => {
    if (failure) return
    failure = error
    waiting = null
    settleDrain()
    for (const listener of errorListeners) listener(error)
  }

  function settleDrain(): void {
    if (inFlight && !failure && !exited) return
    if (waiting && !failure && !exited) return
    const waiters = drainWaiters
    drainWaiters = []
    for (const resolve of waiters) resolve()
  }

  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-STDERR_TAIL_CHARS)
  })
  child.on('error', (error: NodeJS.ErrnoException) => {
    exited = true
    if (error.code === 'ENOENT' || error.code === 'EACCES') {
      fail(new SmilecamError('FFMPEG_MISSING', `ffmpeg was not found (${ffmpegPath}). Install it (sudo apt install ffmpeg) or set its path.`))
    } else {
      fail(new SmilecamError('FFMPEG_FAILED', `ffmpeg could not be started: ${error.message}`))
    }
  })
  child.on('close', (code, signal) => {
    exited = true
    if ((code !== 0 && !killedByUs) || !closing) fail(classifyFfmpegExit(options.output, format, stderrTail, code, signal))
    settleDrain()
  })
  // A write after ffmpeg died fails with EPIPE; the exit handler reports why it died.
  stdin.on('error', () => undefined)

  function pump(): void {
    if (inFlight || !waiting || failure || exited) return
    const frame = waiting
    waiting = null
    inFlight = true
    stdin.write(frame, () => {
      inFlight = false
      stats.written++
      pump()
      settleDrain()
    })
  }

  return {
    args,
    get failure() {
      return failure
    },
    write(frame) {
      const length = frame instanceof Uint8Array ? frame.length : frame.reduce((sum, plane) => sum + plane.length, 0)
      if (length !== bytesPerFrame) {
        throw new SmilecamError('INVALID_INPUT', `A ${options.width}×${options.height} ${pixelFormat} frame has ${bytesPerFrame} bytes, not ${length}.`)
      }
      if (failure || closing || exited) return
      if (waiting) stats.dropped++
      waiting = frame instanceof Uint8Array ? Buffer.from(frame) : Buffer.concat(frame)
      pump()
    },
    drained() {
      return new Promise((resolve) => {
        drainWaiters.push(resolve)
        settleDrain()
      })
    },
    stats: () => ({ ...stats }),
    onError(listener) {
      errorListeners.push(listener)
    },
    async close() {
      if (closing) return exit
      await this.drained()
      closing = true
      if (!exited) stdin.end()
      const timeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS
      if (await settlesWithin(exit, timeoutMs)) return
      killedByUs = true
      child.kill('SIGTERM')
      if (await settlesWithin(exit, KILL_GRACE_MS)) return
      child.kill('SIGKILL')
      await exit
    }
  }
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([promise.then(() => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}
