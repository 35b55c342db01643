/** The app's virtual camera on the main side, driving a fake ffmpeg (tests/core/camera/fake-ffmpeg.mjs). */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFfmpegSink, type FfmpegSinkOptions, type VideoDevice } from '../../../src/core'
import { createVirtualCameraService } from '../../../src/core/vcam/service'
import type { ErrorInfo } from '../../../src/shared/errors'

const FAKE_FFMPEG = fileURLToPath(new URL('../camera/fake-ffmpeg.mjs', import.meta.url))
const LOOPBACK: VideoDevice = { path: '/dev/video10', name: 'Smilecam', driver: 'v4l2loopback', isLoopback: true }
const WEBCAM: VideoDevice = { path: '/dev/video0', name: 'Integrated Camera', driver: 'uvcvideo', isLoopback: false }
const START = { device: '/dev/video10', width: 64, height: 48, fps: 30 }
const frame = (value: number, width = 64, height = 48) => ({ width, height, data: new Uint8Array(width * height * 4).fill(value) })

let dir: string
let recordPath: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smilecam-vcam-'))
  recordPath = join(dir, 'record.json')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function fakeSink(config: Record<string, unknown> = {}) {
  const started: FfmpegSinkOptions[] = []
  return {
    started,
    createSink: (options: FfmpegSinkOptions) => {
      started.push(options)
      return createFfmpegSink({
        ...options,
        ffmpegPath: FAKE_FFMPEG,
        spawn: (command, args, spawnOptions) =>
          spawn(command, args, { ...spawnOptions, env: { ...process.env, FAKE_FFMPEG: JSON.stringify({ record: recordPath, ...config }) } })
      })
    }
  }
}

function until(check: () => boolean, ms = 3000): Promise<void> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (check()) resolve()
      else if (Date.now() - started > ms) reject(new Error('timed out'))
      else setTimeout(poll, 10)
    }
    poll()
  })
}

describe('virtual camera service', () => {
  it('lists only loopback devices, re-reading them on every status call (modprobe without a restart)', async () => {
    let devices: VideoDevice[] = [WEBCAM]
    const vcam = createVirtualCameraService({ platform: 'linux', listDevices: async () => devices })
    const none = await vcam.status()
    expect(none).toMatchObject({ supported: true, devices: [], running: null, lastError: null })
    expect(none.setup.load).toBe('sudo modprobe v4l2loopback exclusive_caps=1 card_label="Smilecam"')
    expect(none.setup.package).toBe('v4l2loopback-dkms')
    await expect(vcam.start(START)).rejects.toMatchObject({ code: 'DEVICE_GONE', message: expect.stringContaining('modprobe v4l2loopback') })
    devices = [WEBCAM, LOOPBACK]
    expect((await vcam.status()).devices).toEqual([{ path: '/dev/video10', name: 'Smilecam' }])
  })

  it('starts ffmpeg with the v4l2 YUYV arguments and pipes each frame in', async () => {
    const fake = fakeSink()
    const vcam = createVirtualCameraService({ platform: 'linux', listDevices: async () => [LOOPBACK], createSink: fake.createSink })
    const status = await vcam.start(START)
    expect(status.running).toEqual(START)
    expect(fake.started[0]).toMatchObject({ output: '/dev/video10', width: 64, height: 48, fps: 30, pixelFormat: 'rgba' })
    expect(vcam.frame(frame(1))).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(vcam.frame(frame(2))).toBe(true)
    const stopped = await vcam.stop()
    expect(stopped.running).toBeNull()
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as { argv: string[]; bytes: number; ended: boolean }
    const argv = record.argv.join(' ')
    expect(argv).toContain('-f rawvideo')
    expect(argv).toContain('-pix_fmt rgba')
    expect(argv).toContain('-s 64x48')
    expect(argv).toMatch(/-f v4l2 .*-pix_fmt yuyv422|-pix_fmt yuyv422 .*-f v4l2/)
    expect(record.argv.at(-1)).toBe('/dev/video10')
    expect(record.bytes % (64 * 48 * 4)).toBe(0)
    expect(record.bytes).toBeGreaterThanOrEqual(64 * 48 * 4)
    expect(record.ended).toBe(true)
    expect(vcam.frame(frame(3))).toBe(false)
  })

  it('refuses a device it did not list (no ffmpeg writing to an arbitrary path) and a frame of the wrong size', async () => {
    const fake = fakeSink()
    const vcam = createVirtualCameraService({ platform: 'linux', listDevices: async () => [LOOPBACK, WEBCAM], createSink: fake.createSink })
    await expect(vcam.start({ ...START, device: '/dev/video0' })).rejects.toMatchObject({ code: 'DEVICE_GONE' })
    await expect(vcam.start({ ...START, device: '/home/user/.bashrc' })).rejects.toMatchObject({ code: 'DEVICE_GONE' })
    expect(fake.started).toHaveLength(0)
    await vcam.start(START)
    expect(() => vcam.frame(frame(1, 32, 24))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    await vcam.close()
  })

  it('ffmpeg dying (device busy) stops the feed: the reason is reported once and frame() says false', async () => {
    const stopped: ErrorInfo[] = []
    const fake = fakeSink({ dieAfterBytes: 64 * 48 * 4, stderr: '[video4linux2] ioctl(VIDIOC_G_FMT): Device or resource busy', exitCode: 1 })
    const vcam = createVirtualCameraService({ platform: 'linux', listDevices: async () => [LOOPBACK], createSink: fake.createSink, onStopped: (e) => stopped.push(e) })
    await vcam.start(START)
    vcam.frame(frame(1))
    await until(() => stopped.length > 0)
    expect(stopped).toEqual([expect.objectContaining({ code: 'DEVICE_BUSY' })])
    expect(vcam.frame(frame(2))).toBe(false)
    const status = await vcam.status()
    expect(status.running).toBeNull()
    expect(status.lastError?.code).toBe('DEVICE_BUSY')
    // Starting again clears the reason.
    const restarted = await vcam.start(START)
    expect(restarted.lastError).toBeNull()
    await vcam.close()
  })

  it('ffmpeg missing is a clear FFMPEG_MISSING', async () => {
    const stopped: ErrorInfo[] = []
    const vcam = createVirtualCameraService({
      platform: 'linux',
      listDevices: async () => [LOOPBACK],
      createSink: (options) => createFfmpegSink({ ...options, ffmpegPath: join(dir, 'no-such-ffmpeg') }),
      onStopped: (e) => stopped.push(e)
    })
    await vcam.start(START)
    await until(() => stopped.length > 0)
    expect(stopped[0]).toMatchObject({ code: 'FFMPEG_MISSING', message: expect.stringContaining('apt install ffmpeg') })
  })

  it('on Windows and macOS: not available, and why; nothing is started', async () => {
    for (const platform of ['win32', 'darwin'] as const) {
      const fake = fakeSink()
      const vcam = createVirtualCameraService({ platform, listDevices: async () => [LOOPBACK], createSink: fake.createSink })
      const status = await vcam.status()
      expect(status).toMatchObject({ supported: false, devices: [] })
      expect(status.unsupportedReason).toMatch(platform === 'win32' ? /Windows/ : /macOS/)
      await expect(vcam.start(START)).rejects.toMatchObject({ code: 'NOT_AVAILABLE' })
      expect(fake.started).toHaveLength(0)
    }
  })

  it('a test file sink (browser-mode e2e) is listed as a device and written as y4m by the real ffmpeg', async () => {
    const out = join(dir, 'vcam.y4m')
    const vcam = createVirtualCameraService({ platform: 'linux', listDevices: async () => [], fileSink: { path: out, name: 'File sink (test)' } })
    expect((await vcam.status()).devices).toEqual([{ path: out, name: 'File sink (test)' }])
    if (!existsSync('/usr/bin/ffmpeg')) return
    await vcam.start({ ...START, device: out })
    for (let i = 0; i < 3; i++) {
      vcam.frame(frame(100 + i))
      await new Promise((resolve) => setTimeout(resolve, 30))
    }
    await vcam.stop()
    const text = readFileSync(out).subarray(0, 40).toString('latin1')
    expect(text.startsWith('YUV4MPEG2 W64 H48')).toBe(true)
  })
})
