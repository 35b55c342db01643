import { describe, expect, it } from 'vitest'
import { calibrationText, createNeutralCalibration } from '../../../src/renderer/src/lib/neutral-calibration'

const config = { countdownMs: 3000, samplingMs: 1000, maxMar: 0.09, maxSmile: 0.5 }

function run(samples: { mar: number; smile?: number }[]) {
  const calibration = createNeutralCalibration(config)
  calibration.start(0)
  return { calibration, feed: () => samples.forEach((s) => calibration.sample(s)) }
}

describe('neutral calibration', () => {
  it('counts down asking for a relaxed face, samples only afterwards, then yields the median MAR', () => {
    const { calibration, feed } = run([0.03, 0.05, 0.04, 0.02, 0.06].map((mar) => ({ mar, smile: 0.1 })))
    expect(calibration.tick(100)).toEqual({ phase: 'countdown', remainingMs: 2900 })
    expect(calibrationText(calibration.state)).toBe('Relax your face, lips closed… 3')
    calibration.sample({ mar: 0.3, smile: 0.9 }) // during the countdown: ignored
    expect(calibration.tick(3200)).toEqual({ phase: 'sampling', remainingMs: 800 })
    feed()
    expect(calibration.active).toBe(true)
    expect(calibration.tick(4000)).toEqual({ phase: 'done', baseline: 0.04 })
    expect(calibration.active).toBe(false)
    expect(calibrationText(calibration.state)).toBe('Calibrated: your relaxed mouth opening is 0.040.')
    // Later ticks keep the result; cancel clears it.
    expect(calibration.tick(9000).phase).toBe('done')
    calibration.cancel()
    expect(calibration.state).toEqual({ phase: 'idle' })
  })

  it('rejects a sample taken during a smile (the issue: 0.246 baseline above the 0.196 smile)', () => {
    const { calibration, feed } = run([0.24, 0.25, 0.246, 0.25, 0.24].map((mar) => ({ mar, smile: 0.95 })))
    calibration.tick(3000)
    feed()
    expect(calibration.tick(4000)).toEqual({ phase: 'rejected', reason: 'smiling', mar: 0.246 })
    expect(calibrationText(calibration.state)).toMatch(/looked like a smile/)
  })

  it('rejects an open mouth above the default threshold even without a smile score, and no face at all', () => {
    const open = run([0.1, 0.12, 0.11, 0.1, 0.12].map((mar) => ({ mar })))
    open.calibration.tick(3000)
    open.feed()
    expect(open.calibration.tick(4000)).toEqual({ phase: 'rejected', reason: 'mouth-open', mar: 0.11 })
    const empty = run([])
    empty.calibration.tick(3000)
    // Too few samples yet: a slow engine gets up to three sampling periods before "no face".
    expect(empty.calibration.tick(4000)).toEqual({ phase: 'sampling', remainingMs: 0 })
    empty.calibration.sample({ mar: 0.03 })
    expect(empty.calibration.tick(6000)).toEqual({ phase: 'rejected', reason: 'no-face', mar: null })
    expect(calibrationText(empty.calibration.state)).toMatch(/no face/)
  })
})
