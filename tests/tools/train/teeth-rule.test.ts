import { describe, expect, it } from 'vitest'
import { bestTeethCandidate, leaveOneOutAccuracy, teethAccuracy, teethGrid, type TeethSample } from '../../../tools/train/teeth-rule'

const parted = (mar: number, toothFraction: number, label: boolean): TeethSample => ({ label, face: { mar, innerMouth: { toothFraction, innerPixels: 100 } } })

describe('teeth rule selection', () => {
  const samples: TeethSample[] = [
    parted(0.15, 0.5, true),
    parted(0.1, 0.3, true),
    parted(0.06, 0.6, true), // slightly parted lips showing teeth
    parted(0.06, 0.05, false), // slightly parted, dark gap
    parted(0.02, 0, false),
    { label: true, face: null } // no face: always a miss
  ]

  it('counts no-face photos as misses', () => {
    const candidate = teethGrid()[0]
    expect(teethAccuracy([{ label: false, face: null }], candidate)).toBe(0)
  })

  it('picks a rule that gets every face right here, from the middle of the tied ones', () => {
    const chosen = bestTeethCandidate(samples, teethGrid())
    expect(teethAccuracy(samples, chosen)).toBeCloseTo(5 / 6, 12)
    const tied = teethGrid().filter((c) => teethAccuracy(samples, c) === 5 / 6)
    expect(chosen).toEqual(tied[Math.floor((tied.length - 1) / 2)])
  })

  it('leave-one-out scores each photo with the rule chosen on the others (hand-worked cases)', () => {
    // Both right under every candidate, so under whichever is chosen.
    expect(leaveOneOutAccuracy([parted(0.2, 0.5, true), parted(0.01, 0, false)], teethGrid())).toBe(1)
    // The same wide, lit mouth labelled both ways: every candidate says teeth, so only the "yes" is right.
    expect(leaveOneOutAccuracy([parted(0.2, 0.5, true), parted(0.2, 0.5, false)], teethGrid())).toBe(0.5)
    expect(leaveOneOutAccuracy([], teethGrid())).toBeNaN()
  })
})
