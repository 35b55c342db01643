import { describe, expect, it } from 'vitest'
import { cpuPerFrame, formatLiveBench, mainThreadTasks, processKind, summarizeWindow, type CountersSample, type TraceEvent } from '../../bench/live'
import { bareCpuForDetectorShare, DETECTOR_OUTPUTS } from '../../bench/live-report'

const start: CountersSample = {
  atMs: 1000,
  counters: { framesDrawn: 10, requests: 5, results: 4, detected: 2, engineMs: [90, 95], modelsCpuMs: [50, 50], latencyMs: [400], longTaskMs: [300], masks: ['1x1:AA=='] }
}
const end: CountersSample = {
  atMs: 3000,
  counters: {
    framesDrawn: 70,
    requests: 30,
    results: 24,
    detected: 7,
    engineMs: [90, 95, 10, 12, 14, 30],
    modelsCpuMs: [50, 50, 4, 5, NaN, 6],
    latencyMs: [400, 40, 60, 80],
    longTaskMs: [300, 55, 70],
    masks: ['1x1:AA==', '1x1:/w==']
  }
}

describe('live benchmark figures', () => {
  it('counts only what happened inside the measured window', () => {
    const result = summarizeWindow(start, end, 29.5)
    expect(result.seconds).toBe(2)
    expect(result.displayedFps).toBe(30)
    expect(result.resultsPerSecond).toBe(10)
    expect(result.engineP50Ms).toBe(12) // from [10, 12, 14, 30], not the warm-up's 90 and 95
    expect(result.engineP90Ms).toBe(30)
    expect(result.latencyP50Ms).toBe(60)
    expect(result.longestTaskMs).toBe(70) // the 300 ms warm-up task is outside the window
    expect(result.longTasks).toBe(2)
    expect(result.masks).toEqual(['1x1:/w=='])
    expect(result.hudFps).toBe(29.5)
    expect(result.detectorShare).toBe(0.25) // 5 detector runs among the window's 20 answers
    expect(result.modelsCpuMsPerFrame).toBe(5) // the window's reported figures (4, 5, 6), not the warm-up's
  })

  it('says which targets were met', () => {
    const table = formatLiveBench(summarizeWindow(start, end))
    expect(table).toMatch(/displayed fps.*30\.0\s+>= 30\s+ok/)
    expect(table).toMatch(/engine p50 ms.*12\.0\s+<= 20\s+ok/)
    expect(table).toMatch(/long tasks > 50 ms \(PerformanceObserver\)\s+2/)
    expect(table).toMatch(/longest main-thread task ms \(trace\)\s+not traced\s+<= 16/)
    const traced = { ...summarizeWindow(start, end), trace: { seconds: 6, tasks: 400, longestMs: 21.5, p99Ms: 12, over16Ms: 3, longest: [{ ms: 21.5, inside: [{ name: 'FunctionCall step index.js', ms: 20 }] }] } }
    const tracedTable = formatLiveBench(traced)
    expect(tracedTable).toMatch(/longest main-thread task ms \(trace\)\s+21\.5\s+<= 16\s+MISSED/)
    expect(tracedTable).toMatch(/tasks > 16 ms \(of 400 in 6\.0 s\)\s+3/)
    expect(tracedTable).toContain('longest task 21.5 ms: FunctionCall step index.js 20.0')
  })

  it('reports no long task as 0 ms and a window without answers as NaN, not as a fake figure', () => {
    const quiet = summarizeWindow(start, { atMs: 2000, counters: { ...start.counters } })
    expect(quiet.longestTaskMs).toBe(0)
    expect(quiet.engineP50Ms).toBeNaN()
  })
})

describe('main-thread tasks from a Chromium trace', () => {
  const page = 'http://127.0.0.1:4000'
  const meta = (pid: number, tid: number, name: string): TraceEvent => ({ name: 'thread_name', ph: 'M', pid, tid, ts: 0, args: { name } })
  const task = (pid: number, ts: number, durMs: number, name = 'RunTask'): TraceEvent => ({ name, ph: 'X', pid, tid: 1, ts, dur: durMs * 1000 })
  const events: TraceEvent[] = [
    { name: 'TracingStartedInBrowser', ph: 'I', pid: 1, tid: 1, ts: 0, args: { data: { frames: [{ processId: 7, url: `${page}/?token=x` }, { processId: 9, url: 'http://other/', parent: 'F1' }] } } },
    meta(7, 1, 'CrRendererMain'),
    meta(8, 1, 'CrRendererMain'), // another renderer (an extension, another tab): not the page
    task(7, 1_000, 4),
    task(7, 10_000, 30),
    { name: 'FunctionCall', ph: 'X', pid: 7, tid: 1, ts: 10_100, dur: 20_000, args: { data: { functionName: 'step', url: `${page}/assets/index.js` } } },
    { name: 'MinorGC', ph: 'X', pid: 7, tid: 1, ts: 12_000, dur: 5_000 }, // inside the FunctionCall: not a direct child
    { name: 'Paint', ph: 'X', pid: 7, tid: 1, ts: 31_000, dur: 6_000 },
    task(7, 30_500, 1), // a task nested in the 30 ms one is part of it
    task(7, 50_000, 17),
    task(8, 60_000, 90)
  ]

  it('takes every top-level task of the page renderer main thread, with what ran inside the longest', () => {
    const tasks = mainThreadTasks(events, page)!
    expect(tasks.tasks).toBe(3)
    expect(tasks.longestMs).toBe(30)
    expect(tasks.over16Ms).toBe(2)
    expect(tasks.seconds).toBeCloseTo(0.066, 6)
    expect(tasks.longest[0]).toEqual({ ms: 30, inside: [{ name: 'FunctionCall step index.js', ms: 20 }, { name: 'Paint', ms: 6 }] })
    expect(tasks.longest.map((t) => t.ms)).toEqual([30, 17, 4])
  })

  it('finds nothing when the page renderer is not in the trace', () => {
    expect(mainThreadTasks(events.filter((e) => e.pid !== 7 || e.ph !== 'M'), page)).toBeNull()
  })
})

describe('CPU per process and the bare model cost of a live run', () => {
  it('names the processes of a bench run by their command lines', () => {
    expect(processKind('node bench/index.ts --live', true)).toBe('server + bench')
    expect(processKind('/usr/bin/node --import tsx /repo/src/engine/host.ts', false)).toBe('engine host')
    expect(processKind('/usr/lib/chromium/chromium --type=renderer --enable-blink', false)).toBe('chromium renderer')
    expect(processKind('/usr/lib/chromium/chromium --type=gpu-process', false)).toBe('chromium gpu')
    expect(processKind('/usr/lib/chromium/chromium --headless --no-sandbox', false)).toBe('chromium browser + utility')
    expect(processKind('/usr/bin/ffmpeg -i -', false)).toBeNull()
  })

  it('divides each process kind\'s CPU over the window by the answered frames', () => {
    expect(cpuPerFrame({ 'engine host': 100, 'chromium gpu': 50 }, { 'engine host': 300, 'chromium gpu': 90, 'chromium renderer': 10 }, 40)).toEqual({ 'engine host': 5, 'chromium gpu': 1 })
  })

  it('counts the detector at the live run\'s share of frames and the other models on every frame', () => {
    const bare = {
      frames: 100,
      byModel: {
        [DETECTOR_OUTPUTS]: { runs: 10, wallMs: 25, cpuMs: 20 }, // 2 ms a run
        'landmarks,face_flag': { runs: 100, wallMs: 180, cpuMs: 170 },
        mask: { runs: 100, wallMs: 210, cpuMs: 200 }
      }
    }
    expect(bareCpuForDetectorShare(bare, 0.25)).toBeCloseTo(1.7 + 2 + 0.5, 10)
    expect(bareCpuForDetectorShare(bare, 0)).toBeCloseTo(3.7, 10)
  })
})
