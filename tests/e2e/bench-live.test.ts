import { describe, expect, it } from 'vitest'
import { formatLiveBench, summarizeWindow, type CountersSample } from '../../bench/live'

const start: CountersSample = {
  atMs: 1000,
  counters: { framesDrawn: 10, requests: 5, results: 4, engineMs: [90, 95], latencyMs: [400], longTaskMs: [300], masks: ['1x1:AA=='] }
}
const end: CountersSample = {
  atMs: 3000,
  counters: {
    framesDrawn: 70,
    requests: 30,
    results: 24,
    engineMs: [90, 95, 10, 12, 14, 30],
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
  })

  it('says which targets were met', () => {
    const table = formatLiveBench(summarizeWindow(start, end))
    expect(table).toMatch(/displayed fps.*30\.0\s+>= 30\s+ok/)
    expect(table).toMatch(/engine p50 ms.*12\.0\s+<= 20\s+ok/)
    expect(table).toMatch(/longest main-thread task ms\s+70\s+<= 50\s+MISSED/)
  })

  it('reports no long task as 0 ms and a window without answers as NaN, not as a fake figure', () => {
    const quiet = summarizeWindow(start, { atMs: 2000, counters: { ...start.counters } })
    expect(quiet.longestTaskMs).toBe(0)
    expect(quiet.engineP50Ms).toBeNaN()
  })
})
