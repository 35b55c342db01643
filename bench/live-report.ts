/**
 * `npm run bench -- --live [--json]`: the live path's cost, end to end and against its parts.
 *  1. live mode in browser mode (real UI, Chromium, fake 640x480 camera), person blur on, overlays
 *     and expression off (what a call needs): displayed fps, results/s, engine ms, engine host CPU
 *     per frame, longest main-thread task;
 *  2. the bare model cost on the same clip's frames: the sum of session.run times of the models a
 *     live frame runs (in this process, same pipeline, same video tracking);
 *  3. MediaPipe's own solutions in the same Chromium (bench/peer-mediapipe.ts);
 *  4. the live mode again while a second process keeps one core busy;
 *  5. mask flicker on a still clip: mean absolute change of the mask between consecutive results
 *     (raw engine masks and after the app's temporal smoothing).
 * The machine is shared: figures are noisy; compare ratios within one run. With --json the last
 * line is one JSON object with the keys the issue lists.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, renameSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as ort from 'onnxruntime-node'
import sharp from 'sharp'
import { FacePipeline } from '../src/engine'
import { createMaskSmoother } from '../src/shared/mask/temporal'
import { maskFlicker } from '../src/shared/mask/flicker'
import { DEFAULT_VISION_OPTIONS, type RgbaImage } from '../src/shared/vision'
import { base64ToBytes } from '../src/shared/wire'
import { benchLive, type LiveBenchResult } from './live'
import { benchMediapipePeer } from './peer-mediapipe'
import { CLIP_FPS, CLIP_HEIGHT, CLIP_SEGMENTS, CLIP_WIDTH, clipFrames, NEUTRAL_FACE, renderShotFrame } from '../tests/e2e/clips'

const MODEL_DIR = fileURLToPath(new URL('../resources/models', import.meta.url))
/** What the live page sends the engine (useLivePipeline ANALYSIS_LONG_SIDE). */
const ANALYSIS = { width: 384, height: 288 }
/** The call setup: person blur, no overlays, no emotion or smile meter (so no expression model). */
/** Amplitude of the still clip's per-pixel noise (about 2 grey levels standard deviation, a webcam in good light). */
const SENSOR_NOISE = 4
const CALL_SETTINGS = { showBoxes: false, showLandmarks: false, showEmotion: false, showSmileMeter: false }

export interface LiveReport {
  displayedFps: number
  resultsPerSec: number
  engineMsP50: number
  engineCpuMsPerFrame: number | null
  bareModelsMsPerFrame: number
  busyCoreResultsPerSec: number
  longestTaskMs: number
  maskFlicker: number
  peer: { name: string; msP50: number | null }
}

/** session.run time of one model over the bare run. */
export interface ModelRunCost {
  runs: number
  wallMs: number
  cpuMs: number
}

export interface BareModelCost {
  /** session.run wall and CPU time per frame, all models together, as this run's frames ran them. */
  runMs: number
  runCpuMs: number
  /** The whole in-process pipeline per frame (wall). */
  pipelineMs: number
  frames: number
  /** Per model (named by its outputs): how often it ran and its total time. */
  byModel: Record<string, ModelRunCost>
}

/** Output names of the face detector's session (BlazeFace); the model the live path skips on tracked frames. */
export const DETECTOR_OUTPUTS = 'regressors,classificators'

/**
 * The bare model CPU per frame of a live run: the models that run on every frame at their
 * per-frame cost, and the detector at its per-run cost times the share of the live run's frames
 * on which it ran (so engine and bare cost compare like with like). Pure.
 */
export function bareCpuForDetectorShare(bare: Pick<BareModelCost, 'byModel' | 'frames'>, detectorShare: number): number {
  let total = 0
  for (const [model, cost] of Object.entries(bare.byModel)) {
    total += model === DETECTOR_OUTPUTS ? (cost.runs > 0 ? (cost.cpuMs / cost.runs) * detectorShare : 0) : cost.cpuMs / bare.frames
  }
  return total
}

/** session.run wall and CPU time per frame for the models a live frame runs, on the clip's frames. */
export async function bareModelCost(expression: boolean): Promise<BareModelCost> {
  const frames: RgbaImage[] = []
  let index = 0
  for await (const rgb of clipFrames(CLIP_SEGMENTS.neutral)) {
    if (index++ % 2 !== 0) continue
    const { data, info } = await sharp(rgb, { raw: { width: CLIP_WIDTH, height: CLIP_HEIGHT, channels: 3 } })
      .resize(ANALYSIS.width, ANALYSIS.height, { fit: 'fill' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
    frames.push({ width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) })
  }
  const pipeline = await FacePipeline.create(MODEL_DIR, DEFAULT_VISION_OPTIONS)
  // Every task's session is an ort.InferenceSession: timing its prototype's run times them all.
  const prototype = (ort.InferenceSession as unknown as { prototype: { run: (...args: unknown[]) => Promise<unknown> } }).prototype
  const original = prototype.run
  const byModel: Record<string, ModelRunCost> = {}
  let measuring = false
  prototype.run = async function (this: { outputNames?: readonly string[] }, ...args: unknown[]) {
    const started = performance.now()
    const cpu = process.cpuUsage()
    try {
      return await original.apply(this, args)
    } finally {
      if (measuring) {
        const used = process.cpuUsage(cpu)
        const cost = (byModel[(this.outputNames ?? []).join(',')] ??= { runs: 0, wallMs: 0, cpuMs: 0 })
        cost.runs++
        cost.wallMs += performance.now() - started
        cost.cpuMs += (used.user + used.system) / 1000
      }
    }
  }
  try {
    const overrides = { personMask: true, expression }
    for (const [i, frame] of frames.slice(0, 10).entries()) await pipeline.detect(frame, overrides, i * 33) // warm up
    measuring = true
    let pipelineMs = 0
    const rounds = 2
    for (let round = 0; round < rounds; round++) {
      for (const [i, frame] of frames.entries()) {
        const result = await pipeline.detect(frame, overrides, 10_000 + (round * frames.length + i) * (1000 / CLIP_FPS) * 2)
        pipelineMs += result.timings.totalMs
      }
    }
    const n = rounds * frames.length
    const sum = (key: 'wallMs' | 'cpuMs'): number => Object.values(byModel).reduce((total, cost) => total + cost[key], 0)
    return { runMs: sum('wallMs') / n, runCpuMs: sum('cpuMs') / n, pipelineMs: pipelineMs / n, frames: n, byModel }
  } finally {
    prototype.run = original
    await pipeline.close()
  }
}

/**
 * A still 640x480 clip (one frame of the neutral shot, 4 s) with a webcam's sensor noise (a
 * different small random offset per pixel and frame; bit-identical frames would make any
 * deterministic engine look perfectly stable): every mask change on it is flicker.
 */
async function stillClip(): Promise<string> {
  const dir = join(tmpdir(), 'smilecam-e2e-clips')
  mkdirSync(dir, { recursive: true })
  const path = join(dir, 'still-neutral-noisy.y4m')
  if (existsSync(path)) return path
  const frame = await renderShotFrame(NEUTRAL_FACE, 0)
  const partial = `${path}.${process.pid}.partial`
  const ffmpeg = spawn('/usr/bin/ffmpeg', ['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${CLIP_WIDTH}x${CLIP_HEIGHT}`, '-r', String(CLIP_FPS), '-i', '-', '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', partial], { stdio: ['pipe', 'ignore', 'inherit'] })
  let seed = 12345
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x7fffffff
  }
  for (let i = 0; i < 4 * CLIP_FPS; i++) {
    const noisy = Buffer.from(frame)
    for (let p = 0; p < noisy.length; p++) noisy[p] = Math.max(0, Math.min(255, noisy[p] + Math.round((random() + random() + random() - 1.5) * SENSOR_NOISE)))
    if (!ffmpeg.stdin.write(noisy)) await new Promise((resolve) => ffmpeg.stdin.once('drain', resolve))
  }
  ffmpeg.stdin.end()
  await new Promise<void>((resolve, reject) => ffmpeg.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}`)))))
  renameSync(partial, path)
  return path
}

/** Flicker of the answered masks: raw, and after the app's temporal smoothing (createMaskSmoother). */
export function flickerOf(masks: string[]): { raw: number; smoothed: number } {
  const decoded = masks.map((entry) => {
    const data = base64ToBytes(entry.slice(entry.indexOf(':') + 1))
    return Float32Array.from(data, (v) => v / 255)
  })
  const smoother = createMaskSmoother()
  const smoothed = decoded.map((mask, i) => Float32Array.from(smoother.update(mask, i * (1000 / CLIP_FPS))))
  return { raw: maskFlicker(decoded), smoothed: maskFlicker(smoothed) }
}

/** Runs `work` while another process spins one core. */
async function withBusyCore<T>(work: () => Promise<T>): Promise<T> {
  const spinner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })
  try {
    return await work()
  } finally {
    spinner.kill('SIGKILL')
  }
}

export async function liveReport(options: { seconds?: number; log?: (line: string) => void } = {}): Promise<LiveReport | null> {
  const log = options.log ?? console.log
  const seconds = options.seconds ?? 20
  const bare = await bareModelCost(false)
  const bareWithExpression = await bareModelCost(true)
  log(
    `bare model cost (session.run of detector when it runs, mesh, segmenter; ${bare.frames} frames at ${ANALYSIS.width}x${ANALYSIS.height}, in this process): ` +
      `${bare.runMs.toFixed(1)} ms wall, ${bare.runCpuMs.toFixed(1)} ms CPU per frame; whole pipeline ${bare.pipelineMs.toFixed(1)} ms. ` +
      `With the expression model (emotion, smile meter) too: ${bareWithExpression.runMs.toFixed(1)} ms wall, ${bareWithExpression.runCpuMs.toFixed(1)} ms CPU.`
  )
  const live = await benchLive({ seconds, live: CALL_SETTINGS, log, traceSeconds: TRACE_SECONDS })
  if (!live) return null
  const bareLikeLive = bareCpuForDetectorShare(bare, live.detectorShare)
  log(
    `bare model CPU, back to back in this process, at the live run's detector share (${(100 * live.detectorShare).toFixed(0)} % of frames; ` +
      `mesh and segmenter on every frame): ${bareLikeLive.toFixed(2)} ms; per model: ` +
      Object.entries(bare.byModel)
        .map(([model, cost]) => `${model} ${(cost.cpuMs / cost.runs).toFixed(2)} ms CPU a run (${cost.runs} runs)`)
        .join(', ')
  )
  // The like-with-like figure: the session.run CPU of the very frames the live engine analysed,
  // timed inside the engine host (models run slower there than back to back: other processes
  // take the caches between frames). The back-to-back figure is the fallback.
  const bareCpu = live.modelsCpuMsPerFrame ?? bareLikeLive
  log(
    `bare model CPU of the live frames, timed by the engine host itself: ${live.modelsCpuMsPerFrame === null ? 'not reported' : `${live.modelsCpuMsPerFrame.toFixed(2)} ms`}; ` +
      `engine host CPU ${live.engineCpuMsPerFrame === null ? '-' : live.engineCpuMsPerFrame.toFixed(2)} ms per frame`
  )
  const peer = await benchMediapipePeer({ log })
  const busy = await withBusyCore(() => benchLive({ seconds, live: CALL_SETTINGS, log: (line) => log(`[one core busy] ${line}`) }))
  const still = await benchLive({ seconds: 8, warmupSeconds: 3, live: CALL_SETTINGS, clipPath: await stillClip(), keepMasks: true, log: () => undefined })
  const flicker = flickerOf(still?.masks ?? [])
  log(`mask flicker on a still clip (${still?.masks.length ?? 0} masks): raw engine masks ${flicker.raw.toFixed(4)}, after the app's temporal smoothing ${flicker.smoothed.toFixed(4)}`)
  const report: LiveReport = {
    displayedFps: round(live.displayedFps),
    resultsPerSec: round(live.resultsPerSecond),
    engineMsP50: round(live.engineP50Ms),
    engineCpuMsPerFrame: live.engineCpuMsPerFrame === null ? null : round(live.engineCpuMsPerFrame),
    bareModelsMsPerFrame: round(bareCpu),
    busyCoreResultsPerSec: round(busy?.resultsPerSecond ?? 0),
    // The trace sees every task; the longtask observer only those over 50 ms.
    longestTaskMs: round(live.trace?.longestMs ?? live.longestTaskMs),
    maskFlicker: Math.round(flicker.smoothed * 10000) / 10000,
    peer: { name: 'mediapipe-wasm', msP50: peer ? round(peer.msP50) : null }
  }
  printVerdicts(report, bareCpu, live, log)
  return report
}

/** Seconds of Chromium performance trace recorded after the main live window (main-thread tasks). */
const TRACE_SECONDS = 6

function round(value: number): number {
  return Math.round(value * 10) / 10
}

function printVerdicts(report: LiveReport, bareCpuMs: number, live: LiveBenchResult, log: (line: string) => void): void {
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met')
  const cpu = report.engineCpuMsPerFrame
  log('targets (2-core machine shared with other work: compare ratios within this run):')
  log(`  engine CPU <= 10 ms per live frame: ${cpu === null ? 'not measured' : `${cpu} ms, ${verdict(cpu <= 10)}`}`)
  if (cpu !== null) {
    // CPU against CPU: on a loaded machine session.run's wall time includes waiting for a core.
    log(`  engine CPU <= 1.25 x bare model cost: ${(cpu / bareCpuMs).toFixed(2)} x the models' CPU time on the same frames (${bareCpuMs.toFixed(2)} ms), ${verdict(cpu <= 1.25 * bareCpuMs)}`)
  }
  log(`  >= 25 results/s with one core busy: ${report.busyCoreResultsPerSec}, ${verdict(report.busyCoreResultsPerSec >= 25)}`)
  log(`  faster than the MediaPipe peer: ${live.engineP50Ms.toFixed(1)} ms vs ${report.peer.msP50 ?? '-'} ms, ${report.peer.msP50 === null ? 'not measured' : verdict(live.engineP50Ms < report.peer.msP50)}`)
  const source = live.trace ? `trace of ${live.trace.seconds.toFixed(1)} s` : 'longtask observer only (sees > 50 ms only)'
  log(`  longest main-thread task <= 16 ms: ${report.longestTaskMs} ms (${source}), ${verdict(report.longestTaskMs <= 16)}`)
}
