/**
 * Where the headless camera's frames come from and go to: a y4m file (read and written here),
 * or a V4L2 device through ffmpeg (a webcam read as y4m on ffmpeg's stdout; a v4l2loopback
 * device written by the ffmpeg sink).
 */
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process'
import { createReadStream, createWriteStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { SmilecamError } from '../../shared/errors'
import { classifyFfmpegExit, createFfmpegSink, type SpawnFunction } from './ffmpeg-sink'
import { createY4mParser, formatY4mHeader, Y4M_FRAME_HEADER, type Y4mInfo, type Yuv420Frame } from './y4m'

export interface CameraInput {
  readonly info: Y4mInfo
  /** True for a live device (frames come at the camera's pace). */
  readonly live: boolean
  frames(): AsyncGenerator<Yuv420Frame>
  /** Stops reading (ends `frames`). */
  close(): void
}

export interface CameraOutput {
  /** Resolves when the frame may be followed by the next (a file waits for the disk; a device drops instead). */
  write(frame: Yuv420Frame): Promise<void>
  /** Why the output failed (a device going away mid-stream), or null. */
  failure(): SmilecamError | null
  close(): Promise<void>
}

export interface CameraIoOptions {
  ffmpegPath?: string
  spawn?: SpawnFunction
}

const READ_CHUNK = 1 << 20
const READER_STDIO: ['pipe', 'pipe', 'pipe'] = ['pipe', 'pipe', 'pipe']

export function isDevicePath(path: string): boolean {
  return path.startsWith('/dev/')
}

/** Frames of a y4m byte stream; the first frame is read before this resolves, so `info` is known. */
async function openY4mStream(stream: Readable, describe: string): Promise<{ info: Y4mInfo; frames: AsyncGenerator<Yuv420Frame> }> {
  const parser = createY4mParser()
  async function* read(): AsyncGenerator<Yuv420Frame> {
    for await (const chunk of stream) yield* parser.push(chunk as Uint8Array)
    parser.end()
  }
  const reader = read()
  const head = await reader.next()
  if (head.done || !parser.info) throw new SmilecamError('INVALID_INPUT', `${describe} holds no frames.`)
  const first = head.value
  async function* all(): AsyncGenerator<Yuv420Frame> {
    yield first
    yield* reader
  }
  return { info: parser.info, frames: all() }
}

/** A y4m file, optionally played in a loop (each pass re-reads the file). */
export async function openY4mFile(path: string, { loop = false } = {}): Promise<CameraInput> {
  let stopped = false
  const open = (): Readable => createReadStream(path, { highWaterMark: READ_CHUNK })
  const describe = `The clip ${path}`
  const first = await openY4mStream(open(), describe).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new SmilecamError('FILE_NOT_FOUND', `${path} does not exist.`)
    throw error
  })
  return {
    info: first.info,
    live: false,
    async *frames() {
      let pass = first.frames
      for (;;) {
        for await (const frame of pass) {
          if (stopped) return
          yield frame
        }
        if (!loop || stopped) return
        pass = (await openY4mStream(open(), describe)).frames
      }
    },
    close() {
      stopped = true
    }
  }
}

/** A webcam through ffmpeg, which hands us y4m 4:2:0 on its stdout. */
export async function openV4l2Input(device: string, { ffmpegPath = 'ffmpeg', spawn = nodeSpawn as unknown as SpawnFunction }: CameraIoOptions = {}): Promise<CameraInput> {
  const args = ['-hide_banner', '-loglevel', 'error', '-nostats', '-f', 'v4l2', '-i', device, '-f', 'yuv4mpegpipe', '-pix_fmt', 'yuv420p', '-']
  const child = (spawn as unknown as (c: string, a: string[], o: { stdio: typeof READER_STDIO }) => ChildProcess)(ffmpegPath, args, { stdio: READER_STDIO })
  let stderr = ''
  let stopping = false
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)))
  const exit = new Promise<SmilecamError | null>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'ENOENT'
          ? new SmilecamError('FFMPEG_MISSING', `ffmpeg was not found (${ffmpegPath}). Install it (sudo apt install ffmpeg) or set its path.`)
          : new SmilecamError('FFMPEG_FAILED', `ffmpeg could not be started: ${error.message}`)
      )
    )
    child.once('close', (code, signal) => resolve(code === 0 || stopping ? null : classifyFfmpegExit(device, 'v4l2', stderr, code, signal)))
  })
  if (!child.stdout) throw new SmilecamError('INTERNAL', 'ffmpeg was started without a stdout pipe.')
  const stdout = child.stdout
  const opened = await Promise.race([
    openY4mStream(stdout, `The camera ${device}`).then((value) => ({ value })),
    exit.then((error) => ({ error: error ?? new SmilecamError('FFMPEG_FAILED', `ffmpeg gave no frames from ${device}.`) }))
  ]).catch((error: unknown) => ({ error: SmilecamError.from(error) }))
  if ('error' in opened) {
    child.kill('SIGKILL')
    throw (await exit) ?? opened.error
  }
  const { info, frames } = opened.value
  return {
    info,
    live: true,
    async *frames() {
      try {
        yield* frames
      } catch (error) {
        if (!stopping) throw (await exit) ?? error
      }
      const failed = await exit
      if (failed) throw failed
    },
    close() {
      stopping = true
      child.kill('SIGTERM')
    }
  }
}

/** A y4m file written as frames come (every frame, waiting for the disk). */
export function createY4mFileOutput(path: string, info: Y4mInfo): CameraOutput {
  const stream = createWriteStream(path)
  let failure: SmilecamError | null = null
  let wake: (() => void) | null = null
  stream.on('error', (error) => {
    failure = new SmilecamError('INVALID_INPUT', `Cannot write ${path}: ${error.message}`)
    wake?.()
  })
  stream.on('drain', () => wake?.())
  stream.write(formatY4mHeader(info))
  return {
    async write(frame) {
      if (failure) throw failure
      stream.write(Y4M_FRAME_HEADER)
      stream.write(frame.y)
      stream.write(frame.u)
      if (!stream.write(frame.v)) {
        await new Promise<void>((resolve) => {
          wake = resolve
        })
        wake = null
      }
      if (failure) throw failure
    },
    failure: () => failure,
    close: () =>
      new Promise<void>((resolve) => {
        if (stream.destroyed || failure) return resolve()
        stream.end(() => resolve())
      })
  }
}

/** A v4l2loopback device written by ffmpeg; a frame ffmpeg cannot take in time is replaced by the next. */
export function createDeviceOutput(device: string, info: Y4mInfo, fps: number, io: CameraIoOptions = {}): CameraOutput {
  const sink = createFfmpegSink({ ffmpegPath: io.ffmpegPath, spawn: io.spawn, output: device, format: 'v4l2', width: info.width, height: info.height, fps, pixelFormat: 'yuv420p' })
  return {
    write(frame) {
      if (sink.failure) return Promise.reject(sink.failure)
      sink.write([frame.y, frame.u, frame.v])
      return Promise.resolve()
    },
    failure: () => sink.failure,
    close: () => sink.close()
  }
}
