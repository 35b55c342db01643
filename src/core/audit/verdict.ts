/** The one-sentence verdict of an audit, from the checks' own pass/fail results. */
import type { PhotoQualityChecks } from '../../shared/audit'
import type { FaceChecks } from './checks'

/** How each failed photo-quality check reads in the verdict. */
const QUALITY_PROBLEMS: Record<keyof PhotoQualityChecks, string> = {
  eyesOpen: 'the eyes look closed',
  headTilt: 'the head is tilted',
  lighting: 'the lighting on the face',
  sharpness: 'the face is not sharp',
  position: 'the face is not well placed in the circle'
}

export function auditVerdict(faceCount: number, checks: FaceChecks | undefined, quality?: PhotoQualityChecks): string {
  if (!checks) {
    return 'No face found — use a photo where your face is clearly visible, facing the camera and well lit.'
  }
  // Only the checks' own pass flags decide; the details say what to change.
  const problems: string[] = []
  const { faceSize, sentiment, teeth, blur } = checks
  if (!faceSize.pass) {
    if (!faceSize.faceLargeEnough) problems.push(`the face is small (${Math.round(faceSize.faceAreaRatio * 100)}% of the circle)`)
    if (!faceSize.faceInsideCircle) problems.push('part of the face falls outside the circle')
    if (!faceSize.resolutionOk) problems.push('the resolution is low')
  }
  if (!sentiment.pass) problems.push(sentiment.smiling ? `the expression reads ${sentiment.emotion}` : 'no smile')
  if (!teeth.pass) problems.push('no teeth showing')
  if (!blur.pass) problems.push('the background is not blurred')
  for (const name of Object.keys(QUALITY_PROBLEMS) as Array<keyof PhotoQualityChecks>) {
    if (quality && !quality[name].pass) problems.push(QUALITY_PROBLEMS[name])
  }
  const several = faceCount > 1 ? ` ${faceCount} faces found; the largest was audited; a profile photo should show only you.` : ''
  if (problems.length === 0) return `Looks good: big enough in the circle, smiling with teeth showing.${several}`
  return `To improve: ${problems.join(', ')}.${several}`
}
