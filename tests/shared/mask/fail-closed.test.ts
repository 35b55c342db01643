import { describe, expect, it } from 'vitest'
import { createFailClosedGate } from '../../../src/shared/mask/fail-closed'

describe('fail-closed gate', () => {
  it('never lets a raw frame out while blur is on: no mask yet means fully blurred', () => {
    const gate = createFailClosedGate<string>(true)
    expect(gate.decide(0)).toEqual({ kind: 'full-blur', reason: 'no-mask' })
  })

  it('uses the newest mask, and keeps using it while the engine lags', () => {
    const gate = createFailClosedGate<string>(true, { maxMaskAgeMs: 500 })
    gate.maskArrived('m1', 100)
    expect(gate.decide(100)).toEqual({ kind: 'mask', mask: 'm1', ageMs: 0 })
    expect(gate.decide(400)).toEqual({ kind: 'mask', mask: 'm1', ageMs: 300 })
    gate.maskArrived('m2', 450)
    // A late answer for an older frame does not replace a newer mask.
    gate.maskArrived('m0', 50)
    expect(gate.decide(500)).toEqual({ kind: 'mask', mask: 'm2', ageMs: 50 })
  })

  it('blurs everything once the mask is too old to cover a moving person', () => {
    const gate = createFailClosedGate<string>(true, { maxMaskAgeMs: 500 })
    gate.maskArrived('m1', 0)
    expect(gate.decide(501)).toEqual({ kind: 'full-blur', reason: 'mask-expired' })
  })

  it('blurs everything while the engine is down, and recovers with its next mask', () => {
    const gate = createFailClosedGate<string>(true)
    gate.maskArrived('m1', 0)
    gate.engineFailed()
    expect(gate.decide(10)).toEqual({ kind: 'full-blur', reason: 'engine-down' })
    gate.maskArrived('m2', 20)
    expect(gate.decide(30)).toEqual({ kind: 'mask', mask: 'm2', ageMs: 10 })
  })

  it('passes raw frames only with blur off, and starts over when blur is turned back on', () => {
    const gate = createFailClosedGate<string>(false)
    expect(gate.decide(0)).toEqual({ kind: 'raw' })
    gate.maskArrived('old', 0)
    gate.setBlur(true)
    expect(gate.decide(1)).toEqual({ kind: 'full-blur', reason: 'no-mask' })
    gate.maskArrived('m', 2)
    gate.reset()
    expect(gate.decide(3)).toEqual({ kind: 'full-blur', reason: 'no-mask' })
  })
})
