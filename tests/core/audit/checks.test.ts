import { describe, expect, it } from 'vitest'
import {
  auditFace,
  checkBlur,
  checkFaceSize,
  checkSentiment,
  checkTeeth,
  faceVerdicts,
  isSmiling,
  personCoverage,
  pickMainFace,
  teethVisible
} from '../../../src/core/audit/checks'
import { DEFAULT_AUDIT_OPTIONS } from '../../../src/shared/audit'
import { faceOutline, polygonArea } from '../../../src/shared/face-geometry'
import type { Point } from '../../../src/shared/vision'
import { syntheticFace } from './synthetic-face'

function square(cx: number, cy: number, side: number): Point[] {
  const h = side / 2
  return [
    [cx - h, cy - h],
    [cx + h, cy - h],
    [cx + h, cy + h],
    [cx - h, cy + h]
  ]
}

describe('checkFaceSize', () => {
  it('reports the area ratio against the circle of radius min(w,h)/2 (hand-computed)', () => {
    // 200×100 photo: circle r = 50, area 2500π = 7853.98. A 40×40 square: 1600 / 7853.98 = 0.2037.
    const check = checkFaceSize(square(100, 50, 40), 200, 100, 0.25)
    expect(check.faceAreaRatio).toBeCloseTo(1600 / (Math.PI * 2500), 6)
    expect(check.faceLargeEnough).toBe(false)
    expect(check.faceInsideCircle).toBe(true)
    expect(check.resolutionOk).toBe(false)
    expect(check.advice).toContain('Face fills 20% of the circle; crop tighter to reach 25%.')
    expect(check.advice).toContain('200×100')
  })

  it('passes a big centred face on a 400×400+ photo, and flags a face leaving the circle', () => {
    // 600×400: r = 200, circle area 40000π = 125663.7; 200×200 square = 40000 -> 0.318.
    const big = checkFaceSize(square(300, 200, 200), 600, 400, 0.25)
    expect(big.faceAreaRatio).toBeCloseTo(40000 / (Math.PI * 40000), 6)
    expect(big).toMatchObject({ faceLargeEnough: true, faceInsideCircle: true, resolutionOk: true })
    expect(big.advice).toBe('Face fills 32% of the circle (25% needed).')

    // Same square moved to the left edge: corners leave the circle.
    const offCentre = checkFaceSize(square(110, 200, 200), 600, 400, 0.25)
    expect(offCentre.faceInsideCircle).toBe(false)
    expect(offCentre.advice).toMatch(/outside the circular crop/)
  })

  it('uses the configured threshold', () => {
    expect(checkFaceSize(square(100, 50, 40), 200, 100, 0.2).faceLargeEnough).toBe(true)
  })
})

describe('smiling decision', () => {
  it('is the learned smile probability at the 0.5 threshold (or a given one)', () => {
    expect(isSmiling(0.5)).toBe(true)
    expect(isSmiling(0.49)).toBe(false)
    expect(isSmiling(0.6, 0.7)).toBe(false)
  })
})

describe('checkSentiment', () => {
  it('labels a happy smiling face positive', () => {
    const face = syntheticFace({ cx: 100, cy: 100, scale: 50 }, { label: 'happy', score: 0.9 })
    const check = checkSentiment(face)
    expect(check).toMatchObject({ emotion: 'happy', sentiment: 'positive', smiling: true })
    expect(check.smile).toBeCloseTo(0.9)
    expect(check.advice).toMatch(/smiling/)
  })

  it('reads a sad face as negative, not smiling, with advice; surprise counts as neutral', () => {
    const sad = checkSentiment(syntheticFace({ cx: 100, cy: 100, scale: 50 }, { label: 'sad', score: 0.8 }))
    expect(sad).toMatchObject({ emotion: 'sad', sentiment: 'negative', smiling: false })
    expect(sad.advice).toMatch(/smile/)
    const surprised = checkSentiment(syntheticFace({ cx: 100, cy: 100, scale: 50 }, { label: 'surprise', score: 0.8 }))
    expect(surprised.sentiment).toBe('neutral')
  })

  it('falls back to neutral when the expression stage did not run', () => {
    const check = checkSentiment(syntheticFace({ cx: 100, cy: 100, scale: 50 }))
    expect(check).toMatchObject({ emotion: 'neutral', sentiment: 'neutral', smile: 0, smiling: false })
  })
})

describe('teeth', () => {
  const teethLike = { toothFraction: 0.6, innerPixels: 200 }
  const dark = { toothFraction: 0, innerPixels: 200 }

  it('without the inner-mouth appearance (video) decides by MAR at the threshold', () => {
    expect(teethVisible(0.09, undefined, 0.09)).toBe(true)
    expect(teethVisible(0.089, undefined, 0.09)).toBe(false)
  })

  it('counts slightly parted lips only when the gap looks like teeth', () => {
    expect(teethVisible(0.05, teethLike, 0.08)).toBe(true)
    expect(teethVisible(0.05, { toothFraction: 0.1, innerPixels: 200 }, 0.08)).toBe(false)
    expect(teethVisible(0.01, { toothFraction: 0.9, innerPixels: 200 }, 0.08)).toBe(false)
  })

  it('does not count a wide-open dark mouth (yawn, "O") as teeth, but keeps a lit open smile', () => {
    expect(teethVisible(0.4, dark, 0.08)).toBe(false)
    expect(teethVisible(0.4, teethLike, 0.08)).toBe(true)
    expect(teethVisible(0.12, dark, 0.08)).toBe(true)
  })

  it('checkTeeth carries its own pass, the MAR and advice, and honours a custom threshold', () => {
    // Inner-lip gap 0.06 over a 0.6-wide mouth: MAR = 3 * 0.06 / (3 * 0.6) = 0.1.
    const face = syntheticFace({ cx: 100, cy: 100, scale: 50, mouthGap: 0.06 })
    expect(face.mar).toBeCloseTo(0.1, 6)
    const visible = checkTeeth(face, 0.09)
    expect(visible).toMatchObject({ pass: true, teethVisible: true, mar: face.mar })
    expect(visible.advice).toMatch(/Teeth visible/)
    const strict = checkTeeth(face, 0.2)
    expect(strict).toMatchObject({ pass: false, teethVisible: false })
    expect(strict.advice).toMatch(/No teeth visible/)
  })
})

describe('checkBlur and auditFace', () => {
  it('explains a missing mask and an active blur', () => {
    expect(checkBlur('person', 0.5, false).advice).toMatch(/No person outline/)
    expect(checkBlur('person', 0.5, true)).toMatchObject({ mode: 'person', strength: 0.5 })
    expect(checkBlur('face', 0, true).advice).toMatch(/Blur is off/)
  })

  it('fails blur when nothing was blurred: no mask or strength 0', () => {
    expect(checkBlur('person', 0.5, true).pass).toBe(true)
    expect(checkBlur('person', 0.5, false).pass).toBe(false)
    expect(checkBlur('face', 0, true).pass).toBe(false)
  })

  it('computes all four checks for one face', () => {
    const face = syntheticFace({ cx: 200, cy: 200, scale: 120, mouthGap: 0.08 }, { label: 'happy', score: 0.95 })
    const checks = auditFace(face, faceOutline(face.landmarks68), 400, 400, DEFAULT_AUDIT_OPTIONS, true)
    expect(checks.faceSize.faceLargeEnough).toBe(true)
    expect(checks.sentiment.smiling).toBe(true)
    expect(checks.teeth.teethVisible).toBe(true)
    expect(checks.blur.mode).toBe('person')
    expect([checks.faceSize.pass, checks.sentiment.pass, checks.teeth.pass, checks.blur.pass]).toEqual([true, true, true, true])
  })
})

describe('faceVerdicts', () => {
  it('gives the compact per-face decisions for analyze --json (hand-computed face area)', () => {
    const face = syntheticFace({ cx: 200, cy: 200, scale: 100, mouthGap: 0.06 }, { label: 'happy', score: 0.9 })
    const verdicts = faceVerdicts(face, 400, 400)
    const expectedRatio = polygonArea(faceOutline(face.landmarks68)) / (Math.PI * 200 * 200)
    expect(verdicts.faceAreaRatio).toBeCloseTo(expectedRatio, 9)
    expect(verdicts).toMatchObject({ smiling: true, sentiment: 'positive', teethVisible: true, faceLargeEnough: expectedRatio >= 0.25 })
    expect(verdicts.emotion.label).toBe('happy')
    expect(verdicts.smile).toBeCloseTo(0.9)
    expect(faceVerdicts(face, 400, 400, { minFaceAreaRatio: 0.01, marThreshold: 0.5 })).toMatchObject({ faceLargeEnough: true, teethVisible: false })
  })
})

describe('pickMainFace', () => {
  // 300×100 photo; the person mask (3×1) covers only the right third.
  const mask = { width: 3, height: 1, data: new Uint8Array([0, 0, 255]) }
  const offPerson = syntheticFace({ cx: 50, cy: 40, scale: 40 })
  const onPerson = syntheticFace({ cx: 250, cy: 40, scale: 20 })

  it('measures how much of the eyes and nose lie on the person', () => {
    expect(personCoverage(onPerson, mask, 300, 100)).toBe(1)
    expect(personCoverage(offPerson, mask, 300, 100)).toBe(0)
  })

  it('audits the largest face on the person, not a bigger detection off it', () => {
    expect(pickMainFace([offPerson, onPerson], mask, 300, 100)).toBe(onPerson)
  })

  it('prefers a sure face over a bigger unsure detection (back of a head, hands)', () => {
    const unsureBig = { ...syntheticFace({ cx: 250, cy: 50, scale: 40 }), score: 0.5 }
    expect(pickMainFace([unsureBig, onPerson], mask, 300, 100)).toBe(onPerson)
    const unsureSmall = { ...onPerson, score: 0.4 }
    expect(pickMainFace([unsureBig, unsureSmall], mask, 300, 100)).toBe(unsureBig)
  })

  it('falls back to every detection without a mask or when the mask covers no face', () => {
    expect(pickMainFace([onPerson, offPerson], undefined, 300, 100)).toBe(offPerson)
    const empty = { width: 3, height: 1, data: new Uint8Array(3) }
    expect(pickMainFace([onPerson, offPerson], empty, 300, 100)).toBe(offPerson)
    expect(pickMainFace([], mask, 300, 100)).toBeUndefined()
  })
})
