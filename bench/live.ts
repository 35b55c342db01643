/**
 * Live-mode benchmark in browser mode: the real Vue UI in Debian's Chromium, a fake 640x480
 * camera playing a y4m clip, person blur on. Reports sustained displayed fps, engine time per
 * frame, capture-to-display latency and the longest main-thread task.
 *
 *   npx tsx bench/live.ts [--seconds 20] [--blur person|face|off]
 *
 * Measured from outside the app, by a script injected before the page's own scripts:
 *  - displayed frames: animation frames in which the live canvas was drawn (WebGL draw calls or
 *    2D drawImage/putImageData on it);
 *  - engine ms: `timings.totalMs` of each detectForVideo answer (the fetch is observed, not changed);
 *  - latency: from the frame's grab time (its `timestampMs`, taken from the animation-frame clock
 *    when the page grabbed it) to the first draw after its answer arrived;
 *  - long tasks: PerformanceObserver('longtask').
 */
import { availableParallelism, loadavg } from 'node:os'
import { pathToFileURL } from 'node:url'
import type { Page } from 'playwright-core'
import { percentile } from './data'
import { e2eSkipReason, openPage } from '../tests/e2e/browser'
import { startApp } from '../tests/e2e/app'
import { buildClip } from '../tests/e2e/clips'

/** What the injected script collects (all arrays append-only). */
export interface LiveCounters {
  /** Animation frames in which the live canvas was drawn. */
  framesDrawn: number
  /** detectForVideo requests sent. */
  requests: number
  /** Answers that carried a result (not a dropped frame). */
  results: number
  engineMs: number[]
  latencyMs: number[]
  longTaskMs: number[]
  /** The person masks of the answers (base64 of the bytes, then width x height), while `__smilecamKeepMasks` is set. */
  masks: string[]
}

export interface LiveBenchTargets {
  minFps: number
  maxEngineP50Ms: number
  maxLongTaskMs: number
}

export const LIVE_BENCH_TARGETS: LiveBenchTargets = { minFps: 30, maxEngineP50Ms: 20, maxLongTaskMs: 50 }

export interface LiveBenchResult {
  seconds: number
  displayedFps: number
  resultsPerSecond: number
  engineP50Ms: number
  engineP90Ms: number
  latencyP50Ms: number
  latencyP90Ms: number
  longestTaskMs: number
  longTasks: number
  /** What the app's own HUD said at the end (display fps), as a cross-check. */
  hudFps: number | null
  /** CPU time of the engine host process over the window divided by the frames it answered (null if not found). */
  engineCpuMsPerFrame: number | null
  /** Person masks answered in the window (when asked to keep them). */
  masks: string[]
}

export interface CountersSample {
  atMs: number
  counters: LiveCounters
}

/** Figures for the window between two samples of the append-only counters. */
export function summarizeWindow(start: CountersSample, end: CountersSample, hudFps: number | null = null): LiveBenchResult {
  const seconds = (end.atMs - start.atMs) / 1000
  const since = <K extends 'engineMs' | 'latencyMs' | 'longTaskMs'>(key: K): number[] =>
    end.counters[key].slice(start.counters[key].length)
  const engine = since('engineMs')
  const latency = since('latencyMs')
  const tasks = since('longTaskMs')
  return {
    seconds,
    displayedFps: (end.counters.framesDrawn - start.counters.framesDrawn) / seconds,
    resultsPerSecond: (end.counters.results - start.counters.results) / seconds,
    engineP50Ms: percentile(engine, 50),
    engineP90Ms: percentile(engine, 90),
    latencyP50Ms: percentile(latency, 50),
    latencyP90Ms: percentile(latency, 90),
    longestTaskMs: tasks.length > 0 ? Math.max(...tasks) : 0,
    longTasks: tasks.length,
    hudFps,
    engineCpuMsPerFrame: null,
    masks: end.counters.masks.slice(start.counters.masks.length)
  }
}

export function formatLiveBench(
  result: LiveBenchResult,
  targets: LiveBenchTargets = LIVE_BENCH_TARGETS,
  blurMode: string = 'person'
): string {
  const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED')
  const rows: [string, string, string, string][] = [
    ['displayed fps (new frames shown)', result.displayedFps.toFixed(1), `>= ${targets.minFps}`, verdict(result.displayedFps >= targets.minFps)],
    ['  app HUD display fps (cross-check)', result.hudFps === null ? '-' : result.hudFps.toFixed(1), '', ''],
    ['engine results / s', result.resultsPerSecond.toFixed(1), '', ''],
    ['engine p50 ms / frame', result.engineP50Ms.toFixed(1), `<= ${targets.maxEngineP50Ms}`, verdict(result.engineP50Ms <= targets.maxEngineP50Ms)],
    ['engine p90 ms / frame', result.engineP90Ms.toFixed(1), '', ''],
    ['latency p50 ms (grab -> shown)', result.latencyP50Ms.toFixed(1), '', ''],
    ['latency p90 ms (grab -> shown)', result.latencyP90Ms.toFixed(1), '', ''],
    ['longest main-thread task ms', result.longestTaskMs.toFixed(0), `<= ${targets.maxLongTaskMs}`, verdict(result.longestTaskMs <= targets.maxLongTaskMs)],
    ['long tasks (> 50 ms)', String(result.longTasks), '', '']
  ]
  const header: [string, string, string, string] = ['measure', 'value', 'target', '']
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => row[c].length)))
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()
  return [
    `Live mode in browser mode: 640x480 fake camera, blur ${blurMode}, ${result.seconds.toFixed(0)} s measured` +
      ` (load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`,
    line(header),
    ...rows.map(line)
  ].join('\n')
}

/**
 * Runs before any page script. Plain JavaScript in a string: it is evaluated in the page as is.
 * It only observes: draw calls and fetches go through unchanged.
 */
const LIVE_COUNTERS_SCRIPT = `(() => {
  const counters = { framesDrawn: 0, requests: 0, results: 0, engineMs: [], latencyMs: [], longTaskMs: [], masks: [] };
  window.__smilecamBenchCounters = counters;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) counters.longTaskMs.push(entry.duration);
  }).observe({ type: 'longtask' });
  let drawnThisFrame = false;
  let answeredGrabMs = null;
  const noteDraw = (context) => {
    const canvas = context.canvas;
    if (!canvas || !canvas.getAttribute || canvas.getAttribute('data-testid') !== 'live-canvas') return;
    drawnThisFrame = true;
    if (answeredGrabMs !== null) {
      counters.latencyMs.push(performance.now() - answeredGrabMs);
      answeredGrabMs = null;
    }
  };
  // WebGL draw calls or 2D drawImage, whichever compositor the live canvas uses.
  const drawCalls = [
    [WebGLRenderingContext.prototype, ['drawArrays', 'drawElements']],
    [WebGL2RenderingContext.prototype, ['drawArrays', 'drawElements']],
    [CanvasRenderingContext2D.prototype, ['drawImage', 'putImageData']]
  ];
  for (const [proto, names] of drawCalls) {
    for (const name of names) {
      const original = proto[name];
      proto[name] = function (...args) { noteDraw(this); return original.apply(this, args); };
    }
  }
  const countFrame = () => {
    if (drawnThisFrame) counters.framesDrawn++;
    drawnThisFrame = false;
    requestAnimationFrame(countFrame);
  };
  requestAnimationFrame(countFrame);
  const originalFetch = window.fetch;
  window.fetch = async function (input, init) {
    const response = await originalFetch.call(this, input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('/api/vision:detectForVideo')) {
      counters.requests++;
      const grabMs = Number(new URL(url, location.href).searchParams.get('timestampMs'));
      response.clone().json().then((body) => {
        if (!body || !body.ok || !body.result) return;
        counters.results++;
        counters.engineMs.push(body.result.timings.totalMs);
        answeredGrabMs = grabMs;
        const mask = body.result.personMask;
        if (window.__smilecamKeepMasks && mask && mask.data && counters.masks.length < 400) counters.masks.push(mask.width + 'x' + mask.height + ':' + mask.data.$bytes);
      }, () => undefined);
    }
    return response;
  };
})();`

/**
 * CPU time (user + system, ms) of the engine host: the forked vision host process among this
 * process's descendants (browser mode runs the server in-process here). Linux /proc; null elsewhere.
 */
export async function engineHostCpuMs(root = process.pid): Promise<number | null> {
  const { readdir, readFile } = await import('node:fs/promises')
  let entries: string[]
  try {
    entries = (await readdir('/proc')).filter((name) => /^\d+$/.test(name))
  } catch {
    return null
  }
  const parents = new Map<number, number>()
  const stats = new Map<number, string[]>()
  const commands = new Map<number, string>()
  await Promise.all(
    entries.map(async (name) => {
      const pid = Number(name)
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null)
      if (!stat) return
      // Fields after the parenthesised command name: state, ppid, ... utime (14th), stime (15th).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      parents.set(pid, Number(fields[1]))
      stats.set(pid, fields)
      commands.set(pid, (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' '))
    })
  )
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true
    return false
  }
  const TICKS_PER_SECOND = 100
  for (const [pid, command] of commands) {
    if (!/engine\/host\.(ts|js)/.test(command) || !descends(pid)) continue
    const fields = stats.get(pid)!
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
  }
  return null
}

interface BenchGlobals {
  __smilecamBenchCounters?: LiveCounters
  performance: { now(): number }
}

async function sample(page: Page): Promise<CountersSample> {
  return page.evaluate(() => {
    const { __smilecamBenchCounters: counters, performance } = globalThis as unknown as BenchGlobals
    if (!counters) throw new Error('the benchmark counters were not installed')
    return { atMs: performance.now(), counters: JSON.parse(JSON.stringify(counters)) as LiveCounters }
  })
}

export interface LiveBenchOptions {
  seconds?: number
  /** The camera clip (default: the moving 'neutral' clip). */
  clipPath?: string
  /** Keep the engine's person masks (for the flicker measure). */
  keepMasks?: boolean
  /** Settings on top of the bench's own (e.g. overlays off). */
  live?: Record<string, unknown>
  /** Default 'person' (the mode video calls use); 'off' and 'face' for comparison. */
  blurMode?: 'person' | 'face' | 'off'
  warmupSeconds?: number
  log?: (line: string) => void
}

export async function benchLive(options: LiveBenchOptions = {}): Promise<LiveBenchResult | null> {
  const log = options.log ?? console.log
  const seconds = options.seconds ?? 20
  const warmupSeconds = options.warmupSeconds ?? 4
  const blurMode = options.blurMode ?? 'person'
  const skip = e2eSkipReason()
  if (skip) {
    log(`live bench ${skip}`)
    return null
  }
  const clipPath = options.clipPath ?? (await buildClip('neutral')).path
  const app = await startApp({
    settings: {
      live: { blurMode, showHud: true, ...options.live },
      // Captures (flash, encoding, saving) are not part of the steady-state figures.
      capture: { autoCapture: false }
    }
  })
  try {
    const opened = await openPage({
      camera: { kind: 'clip', clipPath },
      url: app.url,
      initScript: options.keepMasks ? `window.__smilecamKeepMasks = true;\n${LIVE_COUNTERS_SCRIPT}` : LIVE_COUNTERS_SCRIPT
    })
    try {
      const page = opened.page
      // A function, not a string: the app's CSP forbids string evaluation.
      await page.waitForFunction(
        () => ((globalThis as unknown as BenchGlobals).__smilecamBenchCounters?.results ?? 0) > 0,
        undefined,
        { timeout: 60_000 }
      )
      await page.waitForTimeout(warmupSeconds * 1000)
      const start = await sample(page)
      const cpuStart = await engineHostCpuMs()
      await page.waitForTimeout(seconds * 1000)
      const end = await sample(page)
      const cpuEnd = await engineHostCpuMs()
      const hud = await page.getByTestId('hud-fps').getAttribute('data-fps').catch(() => null)
      opened.errors.assertClean()
      const result = summarizeWindow(start, end, hud === null ? null : Number(hud))
      const answered = end.counters.results - start.counters.results
      if (cpuStart !== null && cpuEnd !== null && answered > 0) result.engineCpuMsPerFrame = (cpuEnd - cpuStart) / answered
      log(formatLiveBench(result, LIVE_BENCH_TARGETS, blurMode))
      return result
    } finally {
      await opened.close()
    }
  } finally {
    await app.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const flag = (name: string): string | undefined => {
    const index = process.argv.indexOf(name)
    return index > 0 ? process.argv[index + 1] : undefined
  }
  const seconds = flag('--seconds') === undefined ? undefined : Number(flag('--seconds'))
  const blurMode = flag('--blur') as LiveBenchOptions['blurMode']
  if (blurMode !== undefined && !['person', 'face', 'off'].includes(blurMode)) {
    console.error('usage: npx tsx bench/live.ts [--seconds N] [--blur person|face|off]')
    process.exit(2)
  }
  benchLive({ seconds, blurMode }).catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
}
