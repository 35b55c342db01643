/**
 * The one drawing of an audit's annotations (circular crop with the outside dimmed, face box,
 * face outline, 68 landmarks) as SVG, with one palette: the annotated still (sharp composites
 * it, core/audit/render.ts) and the Audit tab (inline over the photo) both use it.
 */
import type { Circle } from './face-geometry'
import type { FeatureBox } from './feature-boxes'
import type { Box, Point } from './vision'

export const ANNOTATION_COLORS = {
  crop: '#00e5ff',
  box: '#ffd400',
  outline: '#39ff14',
  landmark: '#ff2d55',
  feature: '#ff9f1c'
} as const

export interface Annotations {
  circle: Circle
  faceOutline?: readonly Point[]
  box?: Box
  landmarks?: readonly Point[]
  /** Eyes, nose and mouth boxed and labelled. */
  featureBoxes?: readonly FeatureBox[]
}

/** SVG of labelled feature boxes; `unit` scales lines and text with the photo. */
export function featureBoxesSvg(boxes: readonly FeatureBox[], unit: number): string {
  const color = ANNOTATION_COLORS.feature
  return boxes
    .map(({ label, box: b }) => {
      // Labels shrink with small faces so neighbouring features' labels do not pile up.
      const size = Math.min(11 * unit, Math.max(6, b.width / 4))
      return (
        `<g data-testid="audit-feature-box" data-label="${label}"><rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${b.width.toFixed(1)}" height="${b.height.toFixed(1)}" fill="none" stroke="${color}" stroke-width="${1.5 * unit}"/>` +
        `<text x="${b.x.toFixed(1)}" y="${(b.y - 3 * unit).toFixed(1)}" font-family="sans-serif" font-size="${size}" font-weight="600" fill="${color}" stroke="#000" stroke-width="${0.4 * unit}" paint-order="stroke">${label}</text></g>`
      )
    })
    .join('')
}

function svgPoints(points: readonly Point[]): string {
  return points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')
}

/** SVG overlay for the annotated image; sizes scale with the photo so lines stay visible. */
export function annotationSvg(width: number, height: number, annotations: Annotations): string {
  const unit = Math.max(1, Math.min(width, height) / 400)
  const { cx, cy, r } = annotations.circle
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    // Dim what the circular crop cuts away.
    `<path class="dim" fill="black" fill-opacity="0.35" fill-rule="evenodd" d="M0 0H${width}V${height}H0Z M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0Z"/>`,
    `<circle class="crop" cx="${cx}" cy="${cy}" r="${r - unit}" fill="none" stroke="${ANNOTATION_COLORS.crop}" stroke-width="${2 * unit}" stroke-dasharray="${8 * unit} ${5 * unit}"/>`
  ]
  if (annotations.box) {
    const b = annotations.box
    parts.push(
      `<rect class="box" x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="none" stroke="${ANNOTATION_COLORS.box}" stroke-width="${1.5 * unit}"/>`
    )
  }
  if (annotations.faceOutline && annotations.faceOutline.length >= 3) {
    parts.push(
      `<polygon class="outline" points="${svgPoints(annotations.faceOutline)}" fill="${ANNOTATION_COLORS.outline}" fill-opacity="0.12" stroke="${ANNOTATION_COLORS.outline}" stroke-width="${1.5 * unit}"/>`
    )
  }
  for (const [x, y] of annotations.landmarks ?? []) {
    parts.push(`<circle class="landmark" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${1.6 * unit}" fill="${ANNOTATION_COLORS.landmark}"/>`)
  }
  if (annotations.featureBoxes) parts.push(featureBoxesSvg(annotations.featureBoxes, unit))
  parts.push('</svg>')
  return parts.join('')
}
