import { describe, expect, it } from 'vitest'
import { createNeutralCalibration } from '../../../src/renderer/src/lib/neutral-calibration'

describe('neutral calibration', () => {
  it('collects MAR for durationMs and yields the median', () => {
    const calibration = createNeutralCalibration(2000)
    calibration.sample(0.5) // before start: ignored
    calibration.start(1000)
    expect(calibration.active).toBe(true)
    for (const mar of [0.03, 0.05, 0.04, 0.02, 0.06]) calibration.sample(mar)
    expect(calibration.tick(2999)).toBeNull()
    expect(calibration.tick(3000)).toEqual({ baseline: 0.04 })
    expect(calibration.active).toBe(false)
    expect(calibration.tick(4000)).toBeNull()
  })

  it('too few samples: baseline null (calibration failed)', () => {
    const calibration = createNeutralCalibration(100)
    calibration.start(0)
    calibration.sample(0.04)
    expect(calibration.tick(100)).toEqual({ baseline: null })
  })
})
