/** The one-sentence verdict of an audit, from the checks' own pass/fail results. */
import type { FaceChecks } from './checks'

export function auditVerdict(faceCount: number, checks: FaceChecks | undefined): string {
  if (!checks) {
    return 'No face found — use a photo where your face is clearly visible, facing the camera and well lit.'
  }
  const problems: string[] = []
  if (!checks.faceSize.faceLargeEnough) problems.push(`the face is small (${Math.round(checks.faceSize.faceAreaRatio * 100)}% of the circle)`)
  if (!checks.faceSize.faceInsideCircle) problems.push('part of the face falls outside the circle')
  if (!checks.faceSize.resolutionOk) problems.push('the resolution is low')
  if (!checks.sentiment.smiling) problems.push('no smile')
  if (!checks.teeth.teethVisible) problems.push('no teeth showing')
  const several = faceCount > 1 ? ` ${faceCount} faces found; the largest was audited; a profile photo should show only you.` : ''
  if (problems.length === 0) return `Looks good: big enough in the circle, smiling with teeth showing.${several}`
  return `To improve: ${problems.join(', ')}.${several}`
}
