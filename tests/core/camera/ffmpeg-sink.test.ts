import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SmilecamError } from '../../../src/shared/errors'
import { createFfmpegSink, createY4mParser, ffmpegSinkArgs, type FfmpegSinkOptions, type SpawnFunction } from '../../../src/core'
import { hasFfmpeg } from '../../e2e/clips'

const FAKE_FFMPEG = fileURLToPath(new URL('./fake-ffmpeg.mjs', import.meta.url))
const WIDTH = 64
const HEIGHT = 48
const FRAME = WIDTH * HEIGHT * 4

let dir: string
let recordPath: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smilecam-sink-'))
  recordPath = join(dir, 'record.json')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

interface Recorded {
  argv: string[]
  bytes: number
  sha256: string
  frameFirstBytes: number[]
  ended: boolean
}

/** Spawns the fake ffmpeg with its behaviour in the environment. */
function fakeSpawn(config: Record<string, unknown> = {}): SpawnFunction {
  return (command, args, options) => spawn(command, args, { ...options, env: { ...process.env, FAKE_FFMPEG: JSON.stringify({ record: recordPath, frameBytes: FRAME, ...config }) } })
}

function recorded(): Recorded {
  return JSON.parse(readFileSync(recordPath, 'utf8')) as Recorded
}

function sink(config: Record<string, unknown> = {}, overrides: Partial<FfmpegSinkOptions> = {}) {
  return createFfmpegSink({ ffmpegPath: FAKE_FFMPEG, output: '/dev/video10', width: WIDTH, height: HEIGHT, fps: 30, spawn: fakeSpawn(config), ...overrides })
}

function frame(value: number, bytes = FRAME): Uint8Array {
  return new Uint8Array(bytes).fill(value)
}

function nextError(s: { onError(listener: (error: SmilecamError) => void): void }): Promise<SmilecamError> {
  return new Promise((resolve) => s.onError(resolve))
}

describe('ffmpegSinkArgs', () => {
  it('pipes raw RGBA into a YUYV v4l2 device', () => {
    expect(ffmpegSinkArgs({ output: '/dev/video10', width: 640, height: 480, fps: 30 })).toEqual([
      '-hide_banner', '-loglevel', 'error', '-nostats',
      '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', '640x480', '-r', '30', '-i', '-',
      '-f', 'v4l2', '-pix_fmt', 'yuyv422', '/dev/video10'
    ])
  })

  it('writes a y4m file for other outputs, and takes planar YUV when asked', () => {
    expect(ffmpegSinkArgs({ output: 'out.y4m', width: 320, height: 240, fps: 15, pixelFormat: 'yuv420p' })).toEqual([
      '-hide_banner', '-loglevel', 'error', '-nostats',
      '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', '320x240', '-r', '15', '-i', '-',
      '-f', 'yuv4mpegpipe', '-pix_fmt', 'yuv420p', '-y', 'out.y4m'
    ])
  })
})

describe('createFfmpegSink', () => {
  it('starts ffmpeg with exactly those arguments and delivers every frame when the caller waits for the pipe', async () => {
    const s = sink()
    const sent = createHash('sha256')
    for (let i = 0; i < 5; i++) {
      const f = frame(i * 10)
      s.write(f)
      sent.update(f)
      await s.drained()
    }
    await s.close()
    const record = recorded()
    expect(record.argv).toEqual(ffmpegSinkArgs({ output: '/dev/video10', width: WIDTH, height: HEIGHT, fps: 30 }))
    expect(record).toMatchObject({ bytes: 5 * FRAME, sha256: sent.digest('hex'), frameFirstBytes: [0, 10, 20, 30, 40], ended: true })
    expect(s.stats()).toEqual({ written: 5, dropped: 0 })
    expect(s.failure).toBeNull()
  })

  it('takes a frame as its planes', async () => {
    const s = sink({ frameBytes: WIDTH * HEIGHT * 1.5 }, { pixelFormat: 'yuv420p', output: join(dir, 'out.y4m') })
    s.write([frame(7, WIDTH * HEIGHT), frame(8, WIDTH * HEIGHT / 4), frame(9, WIDTH * HEIGHT / 4)])
    await s.close()
    expect(recorded()).toMatchObject({ bytes: WIDTH * HEIGHT * 1.5, frameFirstBytes: [7], ended: true })
  })

  it('keeps only the newest waiting frame when ffmpeg is slow (latest frame wins, nothing piles up)', async () => {
    const big = 640 * 480 * 4
    const s = sink({ readDelayMs: 40, frameBytes: big }, { width: 640, height: 480 })
    for (let i = 0; i < 40; i++) s.write(frame(i, big))
    await s.close()
    const { written, dropped } = s.stats()
    expect(written + dropped).toBe(40)
    // One frame went into the pipe at once, the last one replaced all the others that waited.
    expect(written).toBe(2)
    expect(recorded().frameFirstBytes).toEqual([0, 39])
  })

  it('reports a missing ffmpeg as FFMPEG_MISSING and closes without hanging', async () => {
    const s = createFfmpegSink({ ffmpegPath: join(dir, 'no-ffmpeg'), output: '/dev/video10', width: WIDTH, height: HEIGHT, fps: 30 })
    const error = await nextError(s)
    expect(error.code).toBe('FFMPEG_MISSING')
    expect(error.message).toContain('apt install ffmpeg')
    expect(() => s.write(frame(1))).not.toThrow()
    await s.close()
  })

  it('tells a busy device from a missing one, quoting what ffmpeg said', async () => {
    const busy = sink({ failAtStart: true, stderr: '[video4linux2,v4l2 @ 0x5581] ioctl(VIDIOC_S_FMT): Device or resource busy' })
    const busyError = await nextError(busy)
    expect(busyError.code).toBe('DEVICE_BUSY')
    expect(busyError.message).toContain('ioctl(VIDIOC_S_FMT): Device or resource busy')
    const gone = sink({ failAtStart: true, stderr: '[video4linux2,v4l2 @ 0x5581] Failed to open /dev/video10: No such file or directory' })
    expect((await nextError(gone)).code).toBe('DEVICE_GONE')
  })

  it('reports ffmpeg dying mid-stream with the tail of its stderr, and ignores later frames', async () => {
    const s = sink({ dieAfterBytes: FRAME * 2 + 100, stderr: 'Error writing trailer: Input/output error\nConversion failed!', exitCode: 187 })
    const died = nextError(s)
    for (let i = 0; i < 4; i++) {
      s.write(frame(i))
      await s.drained()
    }
    const error = await died
    expect(error.code).toBe('FFMPEG_FAILED')
    expect(error.message).toMatch(/exited with code 187/)
    expect(error.message).toContain('Conversion failed!')
    expect(() => s.write(frame(9))).not.toThrow()
    await s.close()
    expect(s.failure).toBe(error)
  })

  it('terminates an ffmpeg that does not exit after its input ended', async () => {
    const s = sink({ ignoreTerm: true }, { closeTimeoutMs: 1500 })
    s.write(frame(1))
    await s.close()
    expect(recorded().ended).toBe(true)
    expect(s.failure).toBeNull()
  })

  it('refuses odd sizes and frames of the wrong length with INVALID_INPUT', () => {
    expect(() => sink({}, { width: 641 })).toThrow(/even width and height; 641×48 could be cropped to 640×48/)
    const s = sink()
    expect(() => s.write(new Uint8Array(10))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    return s.close()
  })
})

describe.skipIf(!hasFfmpeg())('createFfmpegSink with the real ffmpeg', () => {
  it('writes every RGBA frame it is given into a y4m file of the right size', async () => {
    const out = join(dir, 'real.y4m')
    const s = createFfmpegSink({ output: out, width: WIDTH, height: HEIGHT, fps: 30, ffmpegPath: '/usr/bin/ffmpeg' })
    for (let i = 0; i < 6; i++) {
      // Grey levels 40, 70, ...: in BT.601 limited range Y = 16 + 219/255 * v.
      const f = new Uint8Array(FRAME)
      for (let o = 0; o < FRAME; o += 4) f.set([40 + 30 * i, 40 + 30 * i, 40 + 30 * i, 255], o)
      s.write(f)
      await s.drained()
    }
    await s.close()
    expect(s.failure).toBeNull()
    const parser = createY4mParser()
    const frames = parser.push(readFileSync(out))
    parser.end()
    expect(parser.info).toMatchObject({ width: WIDTH, height: HEIGHT, fpsNumerator: 30, fpsDenominator: 1 })
    expect(frames.map((f) => f.y[100])).toEqual([0, 1, 2, 3, 4, 5].map((i) => Math.round(16 + (219 / 255) * (40 + 30 * i))))
  })
})
