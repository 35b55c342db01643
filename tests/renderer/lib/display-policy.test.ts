import { describe, expect, it } from 'vitest'
import { createDisplayPolicy, displayModeFor } from '../../../src/renderer/src/lib/display-policy'

describe('displayModeFor', () => {
  it('blur off is live; blur on is aligned until the engine falls below 95% of the camera rate', () => {
    expect(displayModeFor({ blurActive: false, engineFps: 30, cameraFps: 30 })).toBe('live')
    expect(displayModeFor({ blurActive: true, engineFps: null, cameraFps: 30 })).toBe('aligned')
    expect(displayModeFor({ blurActive: true, engineFps: 28.5, cameraFps: 30 })).toBe('aligned')
    expect(displayModeFor({ blurActive: true, engineFps: 28, cameraFps: 30 })).toBe('live')
    expect(displayModeFor({ blurActive: true, engineFps: 0, cameraFps: 0 })).toBe('aligned')
  })
})

describe('display policy', () => {
  it('aligned: frames go into the slot not on screen, and each result is drawn once from its slot', () => {
    const policy = createDisplayPolicy()
    expect(policy.slotForSend('aligned')).toBe(1)
    expect(policy.nextDraw('aligned')).toEqual({ kind: 'none' }) // nothing until the result
    policy.resultArrived(1, 'aligned', true)
    expect(policy.nextDraw('aligned')).toEqual({ kind: 'aligned', slot: 1 })
    expect(policy.nextDraw('aligned')).toEqual({ kind: 'none' })
    expect(policy.slotForSend('aligned')).toBe(0)
    policy.resultArrived(0, 'aligned', true)
    expect(policy.nextDraw('aligned')).toEqual({ kind: 'aligned', slot: 0 })
  })

  it('live: no slot is kept, every camera frame is drawn once, the background re-blurred once per new mask', () => {
    const policy = createDisplayPolicy()
    expect(policy.slotForSend('live')).toBeNull()
    expect(policy.nextDraw('live')).toEqual({ kind: 'none' })
    policy.cameraFrame()
    expect(policy.nextDraw('live')).toEqual({ kind: 'live', slot: 0, refreshBackground: false })
    expect(policy.nextDraw('live')).toEqual({ kind: 'none' })
    policy.resultArrived(null, 'live', true)
    policy.cameraFrame()
    expect(policy.nextDraw('live')).toEqual({ kind: 'live', slot: 0, refreshBackground: true })
    policy.cameraFrame()
    expect(policy.nextDraw('live')).toEqual({ kind: 'live', slot: 0, refreshBackground: false })
  })

  it('falling back from aligned to live keeps drawing through the slot last shown', () => {
    const policy = createDisplayPolicy()
    policy.resultArrived(1, 'aligned', true)
    policy.nextDraw('aligned')
    policy.cameraFrame()
    expect(policy.nextDraw('live')).toEqual({ kind: 'live', slot: 1, refreshBackground: true })
    // A result for a kept frame that arrives in live mode does not switch the slot.
    policy.resultArrived(0, 'live', false)
    policy.cameraFrame()
    expect(policy.nextDraw('live')).toEqual({ kind: 'live', slot: 1, refreshBackground: false })
  })

  it('a new mask source discards the kept frame waiting for display', () => {
    const policy = createDisplayPolicy()
    policy.resultArrived(1, 'aligned', true)
    policy.discardPending()
    expect(policy.nextDraw('aligned')).toEqual({ kind: 'none' })
  })
})
