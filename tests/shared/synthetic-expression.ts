/** Hand-built 68 points of expressions for the genuine-smile tests: the synthetic face with its eyes and mouth moved. */
import type { Point } from '../../src/shared/vision'
import { syntheticLandmarks } from '../core/audit/synthetic-face'

export interface Expression {
  /** Mouth-corner distance relative to neutral (1 = unchanged). */
  mouthWidth?: number
  /** Upper-lid height relative to neutral. */
  upperLid?: number
  /** Lower-lid drop below the eye-corner line relative to neutral (smaller = cheeks pushing the lid up). */
  lowerLid?: number
  mouthGap?: number
}

/** The synthetic face with its eyes and mouth moved: upright, eye corners at y = -0.25 (unit face). */
export function expressionLandmarks({ mouthWidth = 1, upperLid = 1, lowerLid = 1, mouthGap = 0 }: Expression, cx = 200, cy = 200, scale = 100): Point[] {
  const p = syntheticLandmarks({ cx, cy, scale, mouthGap })
  const cornerY = cy - 0.25 * scale
  for (const i of [37, 38, 43, 44]) p[i] = [p[i][0], cornerY + (p[i][1] - cornerY) * upperLid]
  for (const i of [40, 41, 46, 47]) p[i] = [p[i][0], cornerY + (p[i][1] - cornerY) * lowerLid]
  const mouthCentre = (p[48][0] + p[54][0]) / 2
  for (let i = 48; i < 68; i++) p[i] = [mouthCentre + (p[i][0] - mouthCentre) * mouthWidth, p[i][1]]
  return p
}
