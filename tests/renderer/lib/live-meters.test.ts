import { describe, expect, it } from 'vitest'
import { createLiveMeters } from '../../../src/renderer/src/lib/live-meters'

const TIMINGS = { detectMs: 4, landmarksMs: 3, expressionMs: 2, segmentMs: 5, totalMs: 15 }

describe('live meters', () => {
  it('rates over the last second; engine rate null before the first result', () => {
    const meters = createLiveMeters()
    for (let t = 0; t < 1000; t += 100) meters.cameraFrame(t)
    expect(meters.cameraFps(950)).toBe(10)
    expect(meters.engineFps(950)).toBeNull()
    meters.engineResult(900, 860, TIMINGS)
    expect(meters.engineFps(950)).toBe(1)
    expect(meters.engineFps(1900)).toBe(0)
  })

  it('smooths the round trip (20% of each new one) and hands the HUD a copy every refreshMs', () => {
    const meters = createLiveMeters(250)
    meters.frameSent(1, 384, 288)
    meters.engineResult(100, 60, TIMINGS) // 40 ms
    meters.engineResult(200, 110, TIMINGS) // 90 ms -> 40 + 0.2 * 50
    meters.setDisplayMode('live')
    const first = meters.hudUpdate(200, true)
    expect(first).toMatchObject({ roundTripMs: 50, sent: 1, analysisWidth: 384, analysisHeight: 288, displayMode: 'live', timings: TIMINGS })
    expect(meters.hudUpdate(449, true)).toBeNull()
    expect(meters.hudUpdate(450, true)).not.toBeNull()
  })

  it('display rate counts drawn frames, or engine results when nothing is composited', () => {
    const meters = createLiveMeters(0)
    for (const t of [10, 20, 30]) meters.displayed(t)
    meters.engineResult(40, 0, TIMINGS)
    expect(meters.hudUpdate(50, true)?.displayFps).toBe(3)
    expect(meters.hudUpdate(60, false)?.displayFps).toBe(1)
  })
})
