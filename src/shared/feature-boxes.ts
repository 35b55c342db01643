/** Feature boxes: the eyes, the nose and the mouth of a face boxed from its 68 iBUG points. */
import { boundingBox } from './face-geometry'
import type { Box, Point } from './vision'

export const FEATURE_NAMES = ['left eye', 'right eye', 'nose', 'mouth'] as const
export type FeatureName = (typeof FEATURE_NAMES)[number]

export interface FeatureBox {
  label: FeatureName
  box: Box
}

/** iBUG 68 index ranges (inclusive) of each feature; left and right as seen in the image. */
const FEATURE_POINTS: Record<FeatureName, [number, number]> = {
  'left eye': [36, 41],
  'right eye': [42, 47],
  nose: [27, 35],
  mouth: [48, 67]
}

/**
 * Padding around each feature, as a fraction of the eye distance: an eye contour is a thin
 * sliver, so it gets more room than the mouth.
 */
const PADDING: Record<FeatureName, number> = { 'left eye': 0.12, 'right eye': 0.12, nose: 0.06, mouth: 0.08 }

export function featureBoxes(p: readonly Point[]): FeatureBox[] {
  if (p.length < 68) return []
  const eyeDistance = Math.hypot(p[45][0] - p[36][0], p[45][1] - p[36][1])
  return FEATURE_NAMES.map((label) => {
    const [first, last] = FEATURE_POINTS[label]
    const b = boundingBox(p.slice(first, last + 1))
    const pad = PADDING[label] * eyeDistance
    return { label, box: { x: b.x - pad, y: b.y - pad, width: b.width + 2 * pad, height: b.height + 2 * pad } }
  })
}
