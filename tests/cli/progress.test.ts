import { describe, expect, it } from 'vitest'
import { formatDuration, progressBar, progressLine, rateAndEta } from '../../src/cli/progress'

describe('batch progress text', () => {
  it('formats durations and unknown ETAs', () => {
    expect(formatDuration(0)).toBe('0:00')
    expect(formatDuration(61_400)).toBe('1:01')
    expect(formatDuration(3_725_000)).toBe('1:02:05')
    expect(formatDuration(Number.NaN)).toBe('--:--')
  })

  it('computes rate and ETA from what is done so far', () => {
    expect(rateAndEta({ done: 10, total: 40, failed: 0, elapsedMs: 5000 })).toEqual({ perSecond: 2, etaMs: 15_000 })
    expect(Number.isNaN(rateAndEta({ done: 0, total: 40, failed: 0, elapsedMs: 5000 }).etaMs)).toBe(true)
  })

  it('draws a bar with count, rate, ETA and failures', () => {
    expect(progressBar({ done: 25, total: 100, failed: 2, elapsedMs: 10_000 }, 20)).toBe('[#####...............]  25/100  2.5/s  ETA 0:30  2 failed')
    expect(progressBar({ done: 3, total: 3, failed: 0, elapsedMs: 1000 }, 4)).toBe('[####] 3/3  3.0/s  ETA 0:00')
    expect(progressLine({ done: 4, total: 9, failed: 0, elapsedMs: 1 }, 'a.jpg', 'pass')).toBe('4/9 a.jpg: pass')
  })
})
