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
 *  - long tasks: PerformanceObserver('longtask'), which only sees tasks over 50 ms; the longest
 *    main-thread task is therefore taken from a Chromium performance trace of the page's renderer
 *    main thread (every task, with what ran inside the longest ones), recorded after the window.
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
  /** Answers for which the face detector ran (the rest were tracked by the mesh alone). */
  detected: number
  engineMs: number[]
  /** Per answer: the engine's own session.run CPU time (timings.modelsCpuMs; NaN when not reported). */
  modelsCpuMs: number[]
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

export const LIVE_BENCH_TARGETS: LiveBenchTargets = { minFps: 30, maxEngineP50Ms: 20, maxLongTaskMs: 16 }

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
  /** Share of the answered frames on which the face detector ran. */
  detectorShare: number
  /** Mean session.run CPU ms of the answered frames, measured by the engine itself (the bare model cost of exactly these frames). */
  modelsCpuMsPerFrame: number | null
  /** CPU ms per answered frame of each process kind (engine host, server, Chromium's processes), when /proc is there. */
  cpuMsPerFrameByProcess: Record<string, number> | null
  /** Main-thread tasks of the page's renderer from a performance trace (null when not traced). */
  trace: MainThreadTasks | null
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
  const since = <K extends 'engineMs' | 'modelsCpuMs' | 'latencyMs' | 'longTaskMs'>(key: K): number[] =>
    end.counters[key].slice(start.counters[key].length)
  const engine = since('engineMs')
  const latency = since('latencyMs')
  const tasks = since('longTaskMs')
  const models = since('modelsCpuMs').filter((ms) => Number.isFinite(ms))
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
    detectorShare: end.counters.results > start.counters.results ? (end.counters.detected - start.counters.detected) / (end.counters.results - start.counters.results) : 0,
    modelsCpuMsPerFrame: models.length > 0 ? models.reduce((a, b) => a + b, 0) / models.length : null,
    cpuMsPerFrameByProcess: null,
    trace: null,
    masks: end.counters.masks.slice(start.counters.masks.length)
  }
}

/** A Chromium trace event (the fields this bench reads). */
export interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  args?: { name?: string; data?: { frames?: { processId?: number; url?: string; parent?: string }[]; functionName?: string; url?: string } }
}

export interface MainThreadTasks {
  seconds: number
  tasks: number
  longestMs: number
  p99Ms: number
  over16Ms: number
  /** The longest tasks, each with the events directly inside it that took the most time. */
  longest: { ms: number; inside: { name: string; ms: number }[] }[]
}

/** What a trace event says it ran (a script's function and file, or the event's own name). */
function describeEvent(event: TraceEvent): string {
  const data = event.args?.data
  if (data?.functionName || data?.url) return `${event.name} ${data.functionName || '(anonymous)'} ${(data.url ?? '').split('/').pop()}`
  return event.name
}

/**
 * The page's renderer main-thread tasks in a Chromium trace: top-level 'RunTask' events on the
 * CrRendererMain thread of the process that renders the page's main frame. Pure.
 */
export function mainThreadTasks(events: readonly TraceEvent[], pageUrlPrefix: string, keep = 3): MainThreadTasks | null {
  const started = events.find((e) => e.name === 'TracingStartedInBrowser')
  const frame = started?.args?.data?.frames?.find((f) => !f.parent && (f.url ?? '').startsWith(pageUrlPrefix))
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
  // Without the page's frame in the trace's header, only a lone renderer is surely the page's.
  const main = frame ? mains.find((e) => e.pid === frame.processId) : mains.length === 1 ? mains[0] : undefined
  if (!main) return null
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && typeof e.dur === 'number')
  const tasks = onMain.filter((e) => e.name === 'RunTask').sort((a, b) => a.ts - b.ts)
  if (tasks.length === 0) return null
  // Nested RunTasks (a task run inside another) are part of their parent.
  const topLevel: TraceEvent[] = []
  for (const task of tasks) {
    const last = topLevel[topLevel.length - 1]
    if (!last || task.ts >= last.ts + (last.dur ?? 0)) topLevel.push(task)
  }
  const durations = topLevel.map((t) => (t.dur ?? 0) / 1000)
  const sorted = [...durations].sort((a, b) => a - b)
  const byLength = [...topLevel].sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0)).slice(0, keep)
  const longest = byLength.map((task) => {
    const end = task.ts + (task.dur ?? 0)
    const inside = onMain.filter((e) => e !== task && e.name !== 'RunTask' && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end)
    // Direct children only: events not inside another event of the task.
    const direct = inside.filter((e) => !inside.some((o) => o !== e && o.ts <= e.ts && o.ts + (o.dur ?? 0) >= e.ts + (e.dur ?? 0) && (o.dur ?? 0) > (e.dur ?? 0)))
    const merged = new Map<string, number>()
    for (const e of direct) merged.set(describeEvent(e), (merged.get(describeEvent(e)) ?? 0) + (e.dur ?? 0) / 1000)
    return { ms: (task.dur ?? 0) / 1000, inside: [...merged].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms).slice(0, 4) }
  })
  const span = (topLevel[topLevel.length - 1].ts + (topLevel[topLevel.length - 1].dur ?? 0) - topLevel[0].ts) / 1e6
  return {
    seconds: span,
    tasks: topLevel.length,
    longestMs: sorted[sorted.length - 1],
    p99Ms: percentile(sorted, 99),
    over16Ms: sorted.filter((d) => d > 16).length,
    longest
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
    ['engine detector runs (share of frames)', result.detectorShare.toFixed(2), '', ''],
    ['engine session.run CPU ms / frame (its own)', result.modelsCpuMsPerFrame === null ? '-' : result.modelsCpuMsPerFrame.toFixed(2), '', ''],
    ['engine host CPU ms / frame (/proc)', result.engineCpuMsPerFrame === null ? '-' : result.engineCpuMsPerFrame.toFixed(2), '', ''],
    ['long tasks > 50 ms (PerformanceObserver)', String(result.longTasks), '', ''],
    ['  longest of them ms', result.longestTaskMs.toFixed(0), '', ''],
    result.trace
      ? ['longest main-thread task ms (trace)', result.trace.longestMs.toFixed(1), `<= ${targets.maxLongTaskMs}`, verdict(result.trace.longestMs <= targets.maxLongTaskMs)]
      : ['longest main-thread task ms (trace)', 'not traced', `<= ${targets.maxLongTaskMs}`, ''],
    ...(result.trace
      ? ([
          ['  p99 main-thread task ms (trace)', result.trace.p99Ms.toFixed(1), '', ''],
          [`  tasks > 16 ms (of ${result.trace.tasks} in ${result.trace.seconds.toFixed(1)} s)`, String(result.trace.over16Ms), '', '']
        ] as [string, string, string, string][])
      : [])
  ]
  const header: [string, string, string, string] = ['measure', 'value', 'target', '']
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => row[c].length)))
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()
  return [
    `Live mode in browser mode: 640x480 fake camera, blur ${blurMode}, ${result.seconds.toFixed(0)} s measured` +
      ` (load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`,
    line(header),
    ...rows.map(line),
    ...(result.cpuMsPerFrameByProcess
      ? [`CPU ms per answered frame: ${Object.entries(result.cpuMsPerFrameByProcess).map(([kind, ms]) => `${kind} ${ms.toFixed(1)}`).join(', ')}`]
      : []),
    ...(result.trace?.longest ?? []).map((task) => `longest task ${task.ms.toFixed(1)} ms: ${task.inside.map((e) => `${e.name} ${e.ms.toFixed(1)}`).join('; ')}`)
  ].join('\n')
}

/**
 * Runs before any page script. Plain JavaScript in a string: it is evaluated in the page as is.
 * It only observes: draw calls and fetches go through unchanged.
 */
const LIVE_COUNTERS_SCRIPT = `(() => {
  const counters = { framesDrawn: 0, requests: 0, results: 0, detected: 0, engineMs: [], modelsCpuMs: [], latencyMs: [], longTaskMs: [], masks: [] };
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
      // The answer in the binary wire (src/shared/wire.ts: header length, JSON header, byte tail) or JSON.
      const binary = (response.headers.get('content-type') || '').startsWith('application/octet-stream');
      const read = binary
        ? response.clone().arrayBuffer().then((buffer) => {
            const length = new DataView(buffer).getUint32(0, true);
            return { body: JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, length))), tail: new Uint8Array(buffer, 4 + length) };
          })
        : response.clone().json().then((body) => ({ body, tail: null }));
      read.then(({ body, tail }) => {
        if (!body || !body.ok || !body.result) return;
        counters.results++;
        if (body.result.timings.detectMs > 0) counters.detected++;
        counters.engineMs.push(body.result.timings.totalMs);
        counters.modelsCpuMs.push(typeof body.result.timings.modelsCpuMs === 'number' ? body.result.timings.modelsCpuMs : NaN);
        answeredGrabMs = grabMs;
        const mask = body.result.personMask;
        if (window.__smilecamKeepMasks && mask && mask.data && counters.masks.length < 400) {
          let base64 = mask.data.$bytes;
          if (tail && mask.data.$tail) {
            const bytes = tail.subarray(mask.data.$tail[0], mask.data.$tail[0] + mask.data.$tail[1]);
            let text = '';
            for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
            base64 = btoa(text);
          }
          counters.masks.push(mask.width + 'x' + mask.height + ':' + base64);
        }
      }, () => undefined);
    }
    return response;
  };
})();`

/** What a process of the bench is, from its command line (null: not one of ours). */
export function processKind(command: string, isRoot: boolean): string | null {
  if (isRoot) return 'server + bench'
  if (/engine\/host\.(ts|js|mjs)/.test(command)) return 'engine host'
  if (!/chrom/i.test(command)) return null
  const type = /--type=([a-z-]+)/.exec(command)?.[1]
  if (type === 'renderer') return 'chromium renderer'
  if (type === 'gpu-process') return 'chromium gpu'
  return 'chromium browser + utility'
}

/**
 * CPU time (user + system, ms) per process kind (processKind) of this process and its
 * descendants (browser mode runs the server in-process here; the engine host and Chromium are
 * children). Linux /proc; null elsewhere.
 */
export async function processCpuMs(root = process.pid): Promise<Record<string, number> | null> {
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
  const byKind: Record<string, number> = {}
  for (const [pid, command] of commands) {
    if (pid !== root && !descends(pid)) continue
    const kind = processKind(command, pid === root)
    if (!kind) continue
    const fields = stats.get(pid)!
    byKind[kind] = (byKind[kind] ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
  }
  return byKind
}

/** CPU time (ms) of the engine host, or null when it is not found. */
export async function engineHostCpuMs(root = process.pid): Promise<number | null> {
  return (await processCpuMs(root))?.['engine host'] ?? null
}

/** CPU per answered frame of each process kind between two samples (kinds present in both). */
export function cpuPerFrame(start: Record<string, number>, end: Record<string, number>, frames: number): Record<string, number> {
  const out: Record<string, number> = {}
  for (const kind of Object.keys(end)) if (kind in start && frames > 0) out[kind] = (end[kind] - start[kind]) / frames
  return out
}

/** Enough for every main-thread task and the script, paint and GC events inside them. */
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing']

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
  /** After the window, record a Chromium performance trace this long for the main-thread tasks (0: none). */
  traceSeconds?: number
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
      const cpuStart = await processCpuMs()
      await page.waitForTimeout(seconds * 1000)
      const end = await sample(page)
      const cpuEnd = await processCpuMs()
      const hud = await page.getByTestId('hud-fps').getAttribute('data-fps').catch(() => null)
      const result = summarizeWindow(start, end, hud === null ? null : Number(hud))
      const answered = end.counters.results - start.counters.results
      if (cpuStart && cpuEnd) {
        result.cpuMsPerFrameByProcess = cpuPerFrame(cpuStart, cpuEnd, answered)
        result.engineCpuMsPerFrame = result.cpuMsPerFrameByProcess['engine host'] ?? null
      }
      const traceSeconds = options.traceSeconds ?? 0
      if (traceSeconds > 0) {
        // After the window, so the tracing's own cost does not touch the figures above.
        await opened.browser.startTracing(page, { categories: TRACE_CATEGORIES })
        await page.waitForTimeout(traceSeconds * 1000)
        const trace = JSON.parse((await opened.browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] }
        result.trace = mainThreadTasks(trace.traceEvents, new URL(app.url).origin)
      }
      opened.errors.assertClean()
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
