/**
 * The app's virtual camera, main-process side: lists the loopback devices, runs one ffmpeg sink
 * (src/core/camera/ffmpeg-sink.ts) for the frames the renderer composites, and reports why it
 * stopped. Only devices it listed itself can be started, so a renderer cannot point ffmpeg at
 * an arbitrary path. Everything OS-specific comes in as parameters (tested against a fake ffmpeg).
 */
import { SmilecamError, type ErrorInfo } from '../../shared/errors'
import type { VcamDevice, VcamFrame, VcamStartRequest, VcamStatus } from '../../shared/vcam'
import { listVideoDevices, LOOPBACK_SETUP, NO_LOOPBACK_MESSAGE, virtualCameraSupport, type VideoDevice } from '../camera/devices'
import { createFfmpegSink, type FfmpegSink, type FfmpegSinkOptions } from '../camera/ffmpeg-sink'

export interface VirtualCameraDeps {
  platform?: NodeJS.Platform
  listDevices?: () => Promise<VideoDevice[]>
  /** Starts ffmpeg (createFfmpegSink; tests give it a fake ffmpeg path or spawn). */
  createSink?: (options: FfmpegSinkOptions) => FfmpegSink
  /** Test flag (browser-mode e2e): a y4m file offered as an extra device. */
  fileSink?: { path: string; name: string }
  /** Told when the feed stops by itself, with the reason. */
  onStopped?: (error: ErrorInfo) => void
}

export interface VirtualCameraService {
  status(): Promise<VcamStatus>
  start(request: VcamStartRequest): Promise<VcamStatus>
  /** Queues a frame; false when no feed is running (it stopped: the switch turns off). */
  frame(frame: VcamFrame): boolean
  stop(): Promise<VcamStatus>
  close(): Promise<void>
}

interface Running {
  sink: FfmpegSink
  request: VcamStartRequest
}

export function createVirtualCameraService(deps: VirtualCameraDeps = {}): VirtualCameraService {
  const platform = deps.platform ?? process.platform
  const listDevices = deps.listDevices ?? (() => listVideoDevices())
  const createSink = deps.createSink ?? createFfmpegSink
  let running: Running | null = null
  let lastError: ErrorInfo | null = null

  async function devices(): Promise<VcamDevice[]> {
    if (!virtualCameraSupport(platform).available) return []
    const found = (await listDevices()).filter((d) => d.isLoopback).map((d) => ({ path: d.path, name: d.name }))
    return deps.fileSink ? [...found, { ...deps.fileSink }] : found
  }

  async function status(): Promise<VcamStatus> {
    const support = virtualCameraSupport(platform)
    return {
      supported: support.available,
      unsupportedReason: support.available ? null : support.reason,
      devices: await devices(),
      setup: { package: LOOPBACK_SETUP.package, install: LOOPBACK_SETUP.install, load: LOOPBACK_SETUP.load },
      running: running ? { ...running.request } : null,
      lastError
    }
  }

  async function stopSink(): Promise<void> {
    const current = running
    running = null
    await current?.sink.close()
  }

  return {
    status,
    async start(request) {
      const support = virtualCameraSupport(platform)
      if (!support.available) throw new SmilecamError(support.code, support.reason)
      const listed = await devices()
      if (listed.length === 0) throw new SmilecamError('DEVICE_GONE', NO_LOOPBACK_MESSAGE)
      const device = listed.find((d) => d.path === request.device)
      if (!device) throw new SmilecamError('DEVICE_GONE', `${request.device} is not a virtual camera device (any more). Pick one of: ${listed.map((d) => d.path).join(', ')}.`)
      await stopSink()
      lastError = null
      const sink = createSink({ output: device.path, width: request.width, height: request.height, fps: request.fps, pixelFormat: 'rgba' })
      const current: Running = { sink, request: { ...request } }
      running = current
      sink.onError((error) => {
        if (running !== current) return
        running = null
        lastError = error.toJSON()
        void sink.close()
        deps.onStopped?.(lastError)
      })
      return status()
    },
    frame(frame) {
      const current = running
      if (!current) return false
      if (frame.width !== current.request.width || frame.height !== current.request.height) {
        throw new SmilecamError('INVALID_INPUT', `The virtual camera runs at ${current.request.width}×${current.request.height}, not ${frame.width}×${frame.height}; start it again at the new size.`)
      }
      current.sink.write(frame.data)
      return running === current && !current.sink.failure
    },
    async stop() {
      await stopSink()
      return status()
    },
    close: stopSink
  }
}
