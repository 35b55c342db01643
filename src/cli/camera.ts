/** `smilecam camera`: the live blur without a window, from a clip or webcam to a clip or virtual camera. */
import { resolve } from 'node:path'
import { SmilecamError } from '../shared/errors'
import { builtInBackground, BUILT_IN_BACKGROUNDS } from '../shared/backgrounds'
import type { LiveBlurMode } from '../shared/settings'
import {
  createDeviceOutput,
  createFrameProcessor,
  createY4mFileOutput,
  decodeFile,
  describeRun,
  isDevicePath,
  listVideoDevices,
  NO_LOOPBACK_MESSAGE,
  openV4l2Input,
  openY4mFile,
  parseBackgroundArgument,
  rangeOfExtensions,
  virtualCameraSupport,
  runCamera,
  type BackgroundChoice,
  type VideoEngine
} from '../core'
import { VisionEngine } from '../engine'
import { numberValue, parseArgs } from './args'
import type { CliIo } from './io'

export const CAMERA_HELP = `Usage: smilecam camera --input <clip.y4m | /dev/videoN> --output <out.y4m | /dev/videoM> [options]
       smilecam camera --list-devices

Blurs (or replaces) the background of a video, headless: the same pipeline as the Live page.
A y4m clip in and a y4m file out: every frame, as fast as it goes. A device on either side:
live, paced at the input's frame rate (or --fps), until the input ends or Ctrl-C / SIGTERM.

Options:
  --input PATH          a y4m clip (4:2:0) or a V4L2 camera such as /dev/video0 (read with ffmpeg)
  --output PATH         a y4m file, or a v4l2loopback device such as /dev/video10 (written with ffmpeg)
  --blur MODE           person (default: keep the whole person sharp), face (only the face), off
  --strength N          background blur strength 0..1 (default 0.6)
  --background B        replace the background instead of blurring it: #rrggbb, an image file,
                        or a built-in one: ${BUILT_IN_BACKGROUNDS.map((b) => b.id).join(', ')}
  --fps N               output frame rate (default: the input's)
  --mask-age MS         how long a mask may be reused while the engine lags (default 1000); after
                        that, frames go out fully blurred until the next mask
  --loop                play a clip input again and again
  --ffmpeg PATH         the ffmpeg program (default: ffmpeg on PATH)
  --models DIR          folder with the .onnx models (default: the installed resources/models)
  --list-devices        list the video devices and which of them are virtual cameras (v4l2loopback)

No virtual camera device yet? sudo apt install v4l2loopback-dkms, then
  sudo modprobe v4l2loopback exclusive_caps=1 card_label="Smilecam"`

const BOOLEAN_FLAGS = ['loop', 'list-devices', 'help']
const VALUE_FLAGS = ['input', 'output', 'blur', 'strength', 'background', 'fps', 'mask-age', 'ffmpeg', 'models']
const DEFAULT_STRENGTH = 0.6

/** The engine the camera runs on; a parameter so tests can inject a failing one. */
export interface CameraCommandDeps {
  createEngine(modelDir: string): Promise<VideoEngine & { close(): Promise<void> }>
  /** Stops the run when aborted; the real CLI ties it to SIGINT and SIGTERM. */
  signal?: AbortSignal
}

/**
 * Generous engine timeouts: the first frame also loads the segmenter, and on a slow machine (or
 * the emulated VM of tools/vm) a frame can take seconds. With the default 5 s the host was
 * restarted over and over and no mask ever came; a late mask is safe, as frames without one go
 * out fully blurred.
 */
const ENGINE_TIMEOUTS = { videoTimeoutMs: 60_000, startTimeoutMs: 300_000 }

const REAL_DEPS: CameraCommandDeps = { createEngine: (modelDir) => VisionEngine.create({ modelDir, maxFaces: 1, ...ENGINE_TIMEOUTS }) }

function blurMode(value: string | undefined): LiveBlurMode {
  if (value === undefined) return 'person'
  if (value === 'person' || value === 'face' || value === 'off') return value
  throw new SmilecamError('INVALID_INPUT', '--blur must be person, face or off.')
}

async function backgroundChoice(value: string | undefined, strength: number, cwd: string): Promise<BackgroundChoice> {
  if (value === undefined) return { kind: 'blur', strength }
  const parsed = parseBackgroundArgument(value)
  if (parsed.kind === 'colour') return parsed
  if (parsed.kind === 'builtin') {
    const size = { width: 1280, height: 720 }
    return { kind: 'image', rgba: builtInBackground(parsed.id)!.render(size.width, size.height), ...size }
  }
  const decoded = await decodeFile(resolve(cwd, parsed.path))
  return { kind: 'image', rgba: decoded.image.data, width: decoded.width, height: decoded.height }
}

/** SIGINT / SIGTERM abort the run (it then closes its output cleanly) instead of killing the process. */
function stopSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController()
  const stop = (): void => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    }
  }
}

async function listDevices(io: CliIo): Promise<number> {
  const support = virtualCameraSupport()
  if (!support.available) {
    io.out(support.reason)
    return 1
  }
  const devices = await listVideoDevices()
  for (const device of devices) io.out(`${device.path}\t${device.name}\t${device.isLoopback ? 'virtual camera (v4l2loopback)' : (device.driver ?? 'camera')}`)
  if (!devices.some((device) => device.isLoopback)) io.out(NO_LOOPBACK_MESSAGE)
  return 0
}

export async function runCameraCommand(argv: readonly string[], io: CliIo, deps: CameraCommandDeps = REAL_DEPS): Promise<number> {
  const args = parseArgs(argv, BOOLEAN_FLAGS, VALUE_FLAGS)
  if (args.flags.has('help')) {
    io.out(CAMERA_HELP)
    return 0
  }
  if (args.flags.has('list-devices')) return listDevices(io)
  if (args.positionals.length > 0) throw new SmilecamError('INVALID_INPUT', `Unexpected argument "${args.positionals[0]}". See smilecam camera --help.`)
  const inputPath = args.values.get('input')
  const outputPath = args.values.get('output')
  if (!inputPath || !outputPath) throw new SmilecamError('INVALID_INPUT', 'Give both --input and --output. See smilecam camera --help.')
  const mode = blurMode(args.values.get('blur'))
  const strength = numberValue(args, 'strength', 0, 1) ?? DEFAULT_STRENGTH
  const fps = numberValue(args, 'fps', 1, 120)
  const maskAgeMs = numberValue(args, 'mask-age', 50, 600_000)
  const background = await backgroundChoice(args.values.get('background'), strength, io.cwd)
  const ffmpeg = { ffmpegPath: args.values.get('ffmpeg') }

  const input = isDevicePath(inputPath) ? await openV4l2Input(inputPath, ffmpeg) : await openY4mFile(resolve(io.cwd, inputPath), { loop: args.flags.has('loop') })
  const engine = mode === 'off' ? undefined : await deps.createEngine(args.values.get('models') ?? io.modelDir).catch((error: unknown) => {
    input.close()
    throw error
  })
  const stopper = deps.signal ? null : stopSignal()
  try {
    const info = fps === undefined ? input.info : { ...input.info, fpsNumerator: Math.round(fps * 1000), fpsDenominator: 1000 }
    const outputFps = info.fpsNumerator / info.fpsDenominator
    const toDevice = isDevicePath(outputPath)
    const output = toDevice ? createDeviceOutput(outputPath, info, outputFps, ffmpeg) : createY4mFileOutput(resolve(io.cwd, outputPath), info)
    const processor = createFrameProcessor({
      mode,
      background,
      engine,
      range: rangeOfExtensions(info.extensions),
      failClosed: maskAgeMs === undefined ? undefined : { maxMaskAgeMs: maskAgeMs }
    })
    io.err(`camera: ${inputPath} (${info.width}×${info.height}, ${outputFps.toFixed(2)} fps) → ${outputPath}, blur ${mode}${toDevice ? '; Ctrl-C stops' : ''}`)
    const report = await runCamera({ input, output, processor, paceFps: toDevice && !input.live ? outputFps : undefined, signal: deps.signal ?? stopper?.signal })
    const stats = processor.stats()
    io.out(`camera: ${describeRun(report, stats)}`)
    const engineError = processor.lastError()
    if (engineError) io.err(`camera: the engine failed (${engineError.message}); those frames went out fully blurred.`)
    return 0
  } finally {
    stopper?.dispose()
    input.close()
    await engine?.close()
  }
}
