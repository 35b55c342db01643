/**
 * Choosing the teeth rule's thresholds: a coarse grid, scored by leave-one-out cross-validation
 * on the labelled headshots (there is no teeth training set). Pure functions.
 */
import { teethVisible, type TeethRule } from '../../src/core/audit/checks'
import type { InnerMouthAppearance } from '../../src/shared/vision'

export interface TeethSample {
  label: boolean
  /** null when no face was found (always a miss). */
  face: null | { mar: number; innerMouth?: InnerMouthAppearance }
}

export interface TeethCandidate {
  marThreshold: number
  rule: TeethRule
}

/** The grid: lips-apart MAR, and the parted-lips MAR and tooth share; the wide-open guard is fixed. */
export function teethGrid(): TeethCandidate[] {
  const out: TeethCandidate[] = []
  for (const marThreshold of [0.07, 0.08, 0.09, 0.11])
    for (const partedMar of [0.03, 0.05])
      for (const partedToothFraction of [0.2, 0.3, 0.45]) out.push({ marThreshold, rule: { partedMar, partedToothFraction, wideOpenMar: 0.25, wideOpenMinToothFraction: 0.05 } })
  return out
}

export function teethAccuracy(samples: readonly TeethSample[], candidate: TeethCandidate): number {
  let correct = 0
  for (const s of samples) if (s.face && teethVisible(s.face.mar, s.face.innerMouth, candidate.marThreshold, candidate.rule) === s.label) correct++
  return samples.length > 0 ? correct / samples.length : NaN
}

/**
 * The best candidate on `samples`; ties go to the candidate nearest the middle of the tied
 * ones in grid order (the optimum is flat, so the centre of the plateau rather than its edge).
 */
export function bestTeethCandidate(samples: readonly TeethSample[], grid: readonly TeethCandidate[]): TeethCandidate {
  const scores = grid.map((c) => teethAccuracy(samples, c))
  const best = Math.max(...scores)
  const tied = grid.filter((_, i) => scores[i] === best)
  return tied[Math.floor((tied.length - 1) / 2)]
}

/** Leave-one-out accuracy of choosing the candidate on the other samples. */
export function leaveOneOutAccuracy(samples: readonly TeethSample[], grid: readonly TeethCandidate[]): number {
  let correct = 0
  samples.forEach((held, i) => {
    const chosen = bestTeethCandidate(
      samples.filter((_, j) => j !== i),
      grid
    )
    correct += teethAccuracy([held], chosen)
  })
  return samples.length > 0 ? correct / samples.length : NaN
}
