import { describe, expect, it } from 'vitest'
import type { FaceChecks } from '../../../src/core/audit/checks'
import { auditVerdict } from '../../../src/core/audit/verdict'

function checks(overrides: { large?: boolean; inside?: boolean; resolution?: boolean; smiling?: boolean; teeth?: boolean; ratio?: number; blurred?: boolean }): FaceChecks {
  const faceSize = {
    faceAreaRatio: overrides.ratio ?? 0.31,
    faceLargeEnough: overrides.large ?? true,
    faceInsideCircle: overrides.inside ?? true,
    resolutionOk: overrides.resolution ?? true
  }
  return {
    faceSize: { ...faceSize, pass: faceSize.faceLargeEnough && faceSize.faceInsideCircle && faceSize.resolutionOk },
    sentiment: { smiling: overrides.smiling ?? true, pass: overrides.smiling ?? true, emotion: 'happy' },
    teeth: { teethVisible: overrides.teeth ?? true, pass: overrides.teeth ?? true },
    blur: { pass: overrides.blurred ?? true }
  } as unknown as FaceChecks
}

describe('auditVerdict', () => {
  it('no face', () => {
    expect(auditVerdict(0, undefined)).toBe('No face found — use a photo where your face is clearly visible, facing the camera and well lit.')
  })

  it('all checks pass', () => {
    expect(auditVerdict(1, checks({}))).toBe('Looks good: big enough in the circle, smiling with teeth showing.')
  })

  it('lists each failed check in a fixed order, and warns about several faces', () => {
    expect(auditVerdict(3, checks({ large: false, ratio: 0.124, smiling: false, teeth: false }))).toBe(
      'To improve: the face is small (12% of the circle), no smile, no teeth showing. 3 faces found; the largest was audited; a profile photo should show only you.'
    )
    expect(auditVerdict(1, checks({ inside: false, resolution: false }))).toBe(
      'To improve: part of the face falls outside the circle, the resolution is low.'
    )
    expect(auditVerdict(1, checks({ blurred: false }))).toBe('To improve: the background is not blurred.')
  })
})
