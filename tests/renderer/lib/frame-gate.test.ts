import { describe, expect, it } from 'vitest'
import { createFrameGate, createRateMeter, smoothDuration } from '../../../src/renderer/src/lib/frame-gate'

describe('frame gate (latest frame wins)', () => {
  it('allows one request in flight, drops frames offered meanwhile, matches results by timestamp', () => {
    const gate = createFrameGate<string>()
    expect(gate.begin(10, 'a')).toBe(true)
    expect(gate.idle).toBe(false)
    expect(gate.begin(20, 'b')).toBe(false)
    expect(gate.begin(30, 'c')).toBe(false)
    expect(gate.dropped).toBe(2)
    expect(gate.finish(10)).toBe('a')
    expect(gate.idle).toBe(true)
    expect(gate.begin(40, 'd')).toBe(true)
    expect(gate.sent).toBe(2)
  })

  it('a result for another timestamp is not matched (stale) and frees the slot', () => {
    const gate = createFrameGate<string>()
    gate.begin(10, 'a')
    expect(gate.finish(9)).toBeNull()
    expect(gate.idle).toBe(true)
    expect(gate.finish(10)).toBeNull()
  })

  it('an engine that does not echo timestamps answers the only frame in flight', () => {
    const gate = createFrameGate<string>()
    gate.begin(10, 'a')
    expect(gate.finish(undefined)).toBe('a')
  })

  it('abort frees the slot', () => {
    const gate = createFrameGate<number>()
    gate.begin(1, 1)
    gate.abort()
    expect(gate.idle).toBe(true)
  })
})

describe('rate meter', () => {
  it('counts ticks in the last second and decays when they stop', () => {
    const meter = createRateMeter(1000)
    for (let t = 0; t < 2000; t += 40) meter.tick(t)
    expect(meter.rate(1999)).toBe(25)
    expect(meter.rate(2500)).toBe(12)
    expect(meter.rate(5000)).toBe(0)
  })

  it('smoothDuration starts at the first value and moves 20% toward new ones', () => {
    expect(smoothDuration(null, 30)).toBe(30)
    expect(smoothDuration(30, 40)).toBe(32)
  })
})
