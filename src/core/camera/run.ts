/**
 * The headless camera loop (`smilecam camera`). File to file: every frame is analysed and
 * written, as fast as it goes (the engine works on frame n while frame n-1 is composited).
 * Live (a device on either side): frames go out at the frame rate, each with the newest mask;
 * the engine takes the latest frame whenever it is free.
 */
import type { CameraInput, CameraOutput } from './io'
import type { FrameProcessor } from './processor'
import type { Yuv420Frame } from './y4m'

export interface CameraRunOptions {
  input: CameraInput
  output: CameraOutput
  processor: FrameProcessor
  /** Pace frames at this rate (device output from a file); undefined = as fast as possible. */
  paceFps?: number
  /** Aborts the run (Ctrl-C, SIGTERM): the loop ends after the current frame and closes cleanly. */
  signal?: AbortSignal
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

export interface CameraRunReport {
  frames: number
  seconds: number
  fps: number
  /** Why it ended. */
  ended: 'input-ended' | 'stopped'
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export async function runCamera(options: CameraRunOptions): Promise<CameraRunReport> {
  const { input, output, processor, signal } = options
  const now = options.now ?? (() => performance.now())
  const sleep = options.sleep ?? defaultSleep
  const realtime = options.paceFps !== undefined || input.live
  const frameMs = 1000 / (options.paceFps ?? input.info.fpsNumerator / input.info.fpsDenominator)
  const started = now()
  let frames = 0
  let ended: CameraRunReport['ended'] = 'input-ended'
  const onAbort = (): void => input.close()
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    if (realtime) {
      let analysing: Promise<void> | null = null
      let due = now()
      for await (const frame of input.frames()) {
        if (signal?.aborted) break
        if (options.paceFps !== undefined && !input.live) {
          const wait = due - now()
          if (wait > 0) await sleep(wait)
          // Fell far behind (a stall): start the schedule again rather than rush to catch up.
          due = Math.max(due + frameMs, now() - frameMs)
        }
        const t = now()
        analysing ??= processor.analyse(frame, t).finally(() => {
          analysing = null
        })
        await output.write(processor.render(frame, t))
        frames++
      }
      await analysing
    } else {
      let previous: { frame: Yuv420Frame; t: number } | null = null
      let analysed: Promise<void> = Promise.resolve()
      for await (const frame of input.frames()) {
        if (signal?.aborted) break
        await analysed
        // Clip time, not wall time: the smoothing sees the clip's own frame spacing.
        const t = frames * frameMs
        analysed = processor.analyse(frame, t)
        if (previous) await output.write(processor.render(previous.frame, previous.t))
        previous = { frame, t }
        frames++
      }
      await analysed
      if (previous) await output.write(processor.render(previous.frame, previous.t))
    }
    if (signal?.aborted) ended = 'stopped'
  } finally {
    signal?.removeEventListener('abort', onAbort)
    input.close()
    await output.close()
  }
  const failure = output.failure()
  if (failure) throw failure
  const seconds = (now() - started) / 1000
  return { frames, seconds, fps: seconds > 0 ? frames / seconds : 0, ended }
}

export function describeRun(report: CameraRunReport, stats: ReturnType<FrameProcessor['stats']>): string {
  const parts = [`${report.frames} frames in ${report.seconds.toFixed(1)} s: ${report.fps.toFixed(1)} frames/s`]
  if (stats.masks > 0 || stats.fullyBlurred > 0) {
    parts.push(`${stats.masks} masks`, `${stats.fullyBlurred} fully blurred (no usable mask)`)
    if (stats.rendered > 0) parts.push(`${((stats.composeMs + stats.maskMs) / stats.rendered).toFixed(1)} ms/frame masking and compositing`)
  }
  if (report.ended === 'stopped') parts.push('stopped')
  return parts.join(', ')
}

