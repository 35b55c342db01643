import { describe, expect, it } from 'vitest'
import {
  blockReasonFor,
  calibrateNeutralMar,
  countCrossings,
  createSmileTrigger,
  DEFAULT_SMILE_TRIGGER_CONFIG,
  effectiveMarThreshold,
  rearmMarThreshold,
  smileTriggerConfigFromSettings,
  type SmileFaceSample,
  type SmileFrame,
  type SmileTriggerConfig,
  type SmileTriggerUpdate
} from '../../../src/renderer/src/lib/smile-trigger'

const FRAME_MS = 33

const neutral: SmileFaceSample = { mar: 0.02, smile: 0.05, ear: 0.28, boxAreaFraction: 0.08, motion: 0.004 }
const smiling: SmileFaceSample = { mar: 0.16, smile: 0.92, ear: 0.24, boxAreaFraction: 0.08, motion: 0.004 }

/** Frames every 33 ms from `startMs`, one per face produced by `faceAt(i)`. */
function frames(startMs: number, count: number, faceAt: (index: number) => SmileFaceSample | null): SmileFrame[] {
  return Array.from({ length: count }, (_, index) => ({ tMs: startMs + index * FRAME_MS, face: faceAt(index) }))
}

function run(config: Partial<SmileTriggerConfig>, sequence: SmileFrame[]): SmileTriggerUpdate[] {
  const trigger = createSmileTrigger(config)
  return sequence.map((frame) => trigger.update(frame))
}

const firedAt = (updates: SmileTriggerUpdate[]): number[] =>
  updates.flatMap((update, index) => (update.fired ? [index] : []))

describe('SmileTrigger', () => {
  it('fires once after a smile is held for holdMs, not before', () => {
    const sequence = [...frames(0, 15, () => neutral), ...frames(15 * FRAME_MS, 60, () => smiling)]
    const updates = run({}, sequence)
    const fired = firedAt(updates)
    expect(fired).toHaveLength(1)
    const heldMs = sequence[fired[0]].tMs - sequence[15].tMs
    expect(heldMs).toBeGreaterThanOrEqual(400)
    expect(heldMs).toBeLessThan(400 + 2 * FRAME_MS)
    expect(updates[fired[0] - 1].phase).toBe('holding')
    expect(updates[fired[0]].phase).toBe('cooldown')
  })

  it('does not fire for a smile shorter than the hold time', () => {
    const sequence = [...frames(0, 10, () => neutral), ...frames(330, 9, () => smiling), ...frames(630, 30, () => neutral)]
    expect(firedAt(run({}, sequence))).toEqual([])
  })

  it('fires on a smiling face from the first frame (a clip that starts smiling)', () => {
    expect(firedAt(run({}, frames(0, 40, () => smiling)))).toHaveLength(1)
  })

  it('needs the mouth to close (hysteresis) before firing again, even after the cooldown', () => {
    const updates = run({ cooldownMs: 500 }, frames(0, 150, () => smiling))
    expect(firedAt(updates)).toHaveLength(1)
    expect(updates.at(-1)?.phase).toBe('rearm')
  })

  it('MAR hovering between the re-arm level and the threshold does not re-arm', () => {
    const between = { ...smiling, mar: 0.075 } // below 0.09, above 0.063
    const sequence = [
      ...frames(0, 20, () => smiling),
      ...frames(20 * FRAME_MS, 20, () => between),
      ...frames(40 * FRAME_MS, 100, () => smiling)
    ]
    expect(firedAt(run({ cooldownMs: 300 }, sequence))).toHaveLength(1)
  })

  it('fires again after neutral -> smile once the cooldown has passed', () => {
    const cycle = (start: number): SmileFrame[] => [
      ...frames(start, 20, () => neutral),
      ...frames(start + 20 * FRAME_MS, 30, () => smiling)
    ]
    const sequence = [...cycle(0), ...cycle(50 * FRAME_MS)]
    expect(firedAt(run({ cooldownMs: 1000 }, sequence))).toHaveLength(2)
    // With a long cooldown the second smile falls inside it.
    expect(firedAt(run({ cooldownMs: 10_000 }, sequence))).toHaveLength(1)
  })

  it('tolerates one bad result inside the hold but restarts on a longer break', () => {
    const oneGlitch = frames(0, 30, (i) => (i === 6 ? { ...smiling, smile: 0.1 } : smiling))
    const fired = firedAt(run({}, oneGlitch))
    expect(fired).toHaveLength(1)
    expect(oneGlitch[fired[0]].tMs).toBeLessThan(400 + 2 * FRAME_MS)

    const longBreak = frames(0, 40, (i) => (i >= 6 && i < 14 ? { ...smiling, smile: 0.1 } : smiling))
    const later = firedAt(run({}, longBreak))
    expect(later).toHaveLength(1)
    expect(longBreak[later[0]].tMs).toBeGreaterThanOrEqual(14 * FRAME_MS + 400)
  })

  it('rejects a yawn: very wide mouth, low smile score and narrowing eyes', () => {
    const yawn = { ...neutral, mar: 0.6, smile: 0.1, ear: 0.12 }
    const updates = run({}, [...frames(0, 10, () => neutral), ...frames(330, 60, () => yawn)])
    expect(firedAt(updates)).toEqual([])
    expect(updates.at(-1)?.blockedBy).toBe('yawn')
  })

  it('a wide laughing smile (high MAR, high smile score, eyes open) still fires', () => {
    const laugh = { ...smiling, mar: 0.5, smile: 0.97, ear: 0.2 }
    expect(firedAt(run({}, frames(0, 30, () => laugh)))).toHaveLength(1)
  })

  it('rejects talking: MAR oscillating across the threshold even with smile-like scores', () => {
    // Syllables every ~100 ms: mouth open 2 frames, closed 1 frame.
    const talking = frames(0, 120, (i) => (i % 3 === 2 ? { ...smiling, mar: 0.03 } : { ...smiling, mar: 0.14, smile: 0.7 }))
    const updates = run({ dropoutToleranceMs: 40 }, talking)
    expect(firedAt(updates)).toEqual([])
    expect(updates.some((update) => update.blockedBy === 'talking')).toBe(true)
  })

  it('rejects a perfectly static face (poster, screen) but accepts small synthetic jitter', () => {
    const poster = { ...smiling, motion: 0 }
    const updates = run({}, frames(0, 150, () => poster))
    expect(firedAt(updates)).toEqual([])
    expect(updates.at(-1)?.blockedBy).toBe('static')

    // A still photo with ~1 px jitter on a 150 px face: motion around 0.003 of the diagonal.
    const jittered = frames(0, 40, (i) => ({ ...smiling, motion: i % 2 === 0 ? 0.003 : 0.002 }))
    expect(firedAt(run({}, jittered))).toHaveLength(1)
  })

  it('a face that moved once within the live window counts as live', () => {
    const sequence = frames(0, 60, (i) => ({ ...smiling, motion: i === 0 ? 0.01 : 0 }))
    expect(firedAt(run({}, sequence))).toHaveLength(1)
    // ...but not once that motion is older than liveWindowMs.
    const stale = frames(0, 150, (i) => (i < 5 ? { ...neutral, motion: 0.01 } : i < 100 ? { ...neutral, motion: 0 } : { ...smiling, motion: 0 }))
    expect(firedAt(run({}, stale))).toEqual([])
  })

  it('rejects closed eyes, small faces, moving faces and missing smile scores that are low', () => {
    for (const [face, reason] of [
      [{ ...smiling, ear: 0.08 }, 'eyes-closed'],
      [{ ...smiling, boxAreaFraction: 0.004 }, 'too-small'],
      [{ ...smiling, motion: 0.2 }, 'moving'],
      [{ ...smiling, smile: 0.2 }, 'no-smile'],
      [{ ...smiling, mar: 0.05 }, 'mouth-closed']
    ] as const) {
      const updates = run({}, frames(0, 40, () => face))
      expect(firedAt(updates), reason).toEqual([])
      expect(updates.at(-1)?.blockedBy).toBe(reason)
    }
  })

  it('without a smile score (expression stage off) MAR, eyes and steadiness decide', () => {
    expect(firedAt(run({}, frames(0, 30, () => ({ ...smiling, smile: undefined }))))).toHaveLength(1)
  })

  it('no face: nothing fires; a face absent for rearmAbsentMs re-arms', () => {
    expect(firedAt(run({}, frames(0, 30, () => null)))).toEqual([])
    const sequence = [
      ...frames(0, 20, () => smiling),
      ...frames(20 * FRAME_MS, 70, () => null),
      ...frames(90 * FRAME_MS, 30, () => smiling)
    ]
    expect(firedAt(run({ cooldownMs: 1000 }, sequence))).toHaveLength(2)
  })

  it('countdown: fires countdownMs after the hold, reporting the time left', () => {
    const sequence = frames(0, 150, () => smiling)
    const updates = run({ countdownMs: 3000 }, sequence)
    const fired = firedAt(updates)
    expect(fired).toHaveLength(1)
    expect(sequence[fired[0]].tMs).toBeGreaterThanOrEqual(3400)
    expect(sequence[fired[0]].tMs).toBeLessThan(3400 + 2 * FRAME_MS)
    const counting = updates.find((update) => update.phase === 'countdown')
    expect(counting?.countdownRemainingMs).toBeGreaterThan(2900)
  })

  it('countdown is cancelled when the face leaves', () => {
    const sequence = [...frames(0, 20, () => smiling), ...frames(20 * FRAME_MS, 100, () => null)]
    expect(firedAt(run({ countdownMs: 1000 }, sequence))).toEqual([])
  })

  it('reports hold progress from 0 to 1', () => {
    const updates = run({}, frames(0, 10, () => smiling))
    expect(updates[0].holdProgress).toBe(0)
    expect(updates[6].holdProgress).toBeCloseTo((6 * FRAME_MS) / 400, 5)
  })
})

describe('calibration and thresholds', () => {
  it('median of neutral samples; needs at least 5 finite samples', () => {
    expect(calibrateNeutralMar([0.02, 0.03, 0.5, 0.01, 0.04])).toBe(0.03)
    expect(calibrateNeutralMar([0.02, 0.04, 0.01, 0.03, 0.05, 0.06])).toBeCloseTo(0.035, 10)
    expect(calibrateNeutralMar([0.02, Number.NaN, 0.01, 0.03])).toBeNull()
  })

  it('a calibrated open-mouth neutral raises the threshold and the re-arm level', () => {
    const base = { ...DEFAULT_SMILE_TRIGGER_CONFIG }
    expect(effectiveMarThreshold(base)).toBe(0.09)
    expect(rearmMarThreshold(base)).toBeCloseTo(0.063, 10)
    const open = { ...base, neutralMar: 0.07 }
    expect(effectiveMarThreshold(open)).toBeCloseTo(0.12, 10)
    expect(rearmMarThreshold(open)).toBeCloseTo(0.095, 10)
    // A closed-mouth neutral keeps the configured threshold.
    expect(effectiveMarThreshold({ ...base, neutralMar: 0.01 })).toBe(0.09)
  })

  it('with calibration, a smile at MAR 0.1 no longer fires for an open-mouth neutral', () => {
    const modest = { ...smiling, mar: 0.1 }
    expect(firedAt(run({}, frames(0, 30, () => modest)))).toHaveLength(1)
    expect(firedAt(run({ neutralMar: 0.07 }, frames(0, 30, () => modest)))).toEqual([])
  })

  it('counts threshold crossings', () => {
    expect(countCrossings([0.1, 0.1, 0.05, 0.12, 0.01], 0.09)).toBe(3)
    expect(countCrossings([], 0.09)).toBe(0)
  })

  it('blockReasonFor: a yawn without a smile score is a yawn', () => {
    expect(blockReasonFor({ ...neutral, mar: 0.7, smile: undefined }, DEFAULT_SMILE_TRIGGER_CONFIG, 0.09)).toBe('yawn')
  })

  it('maps settings: preset picks the smile score, countdown 3 s', () => {
    const config = smileTriggerConfigFromSettings({ preset: 'big', marThreshold: 0.12, holdMs: 600, cooldownMs: 2000, countdown: true })
    expect(config).toMatchObject({ marThreshold: 0.12, minSmile: 0.7, holdMs: 600, cooldownMs: 2000, countdownMs: 3000 })
    expect(smileTriggerConfigFromSettings({ preset: 'slight', marThreshold: 0.06, holdMs: 400, cooldownMs: 0, countdown: false }).minSmile).toBe(0.4)
  })
})
