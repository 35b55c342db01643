/** Draws face overlays (boxes, 68 landmarks, emotion labels) on a 2D canvas over the live view. */
import { featureBoxes } from '../../../shared/feature-boxes'
import type { FaceResult, Point } from '../../../shared/vision'

export interface OverlayOptions {
  boxes: boolean
  landmarks: boolean
  emotion: boolean
  /** Eyes, nose and mouth boxed and labelled. */
  featureBoxes?: boolean
  /** The view is mirrored: x is flipped here, so text stays readable (the canvas itself is not flipped). */
  mirror: boolean
}

/** Maps engine coordinates (analysis frame) to overlay pixels. */
export function overlayTransform(
  source: { width: number; height: number },
  target: { width: number; height: number },
  mirror: boolean
): (point: Point) => Point {
  const sx = target.width / source.width
  const sy = target.height / source.height
  return ([x, y]) => [mirror ? target.width - x * sx : x * sx, y * sy]
}

/** "happy 87%" for a face, or null when the expression stage did not run. */
export function emotionCaption(face: Pick<FaceResult, 'emotion'>): string | null {
  if (!face.emotion) return null
  return `${face.emotion.label} ${Math.round(face.emotion.scores[face.emotion.label] * 100)}%`
}

const MAIN_COLOR = '#38bdf8'
const FEATURE_COLOR = '#ff9f1c'

function paintFeatureBoxes(context: CanvasRenderingContext2D, face: FaceResult, map: (point: Point) => Point, scale: number): void {
  context.strokeStyle = FEATURE_COLOR
  context.fillStyle = FEATURE_COLOR
  context.lineWidth = 1.5 * scale
  context.font = `600 ${Math.round(11 * scale)}px system-ui, sans-serif`
  context.textBaseline = 'bottom'
  for (const { label, box } of featureBoxes(face.landmarks68)) {
    const [x0, y0] = map([box.x, box.y])
    const [x1, y1] = map([box.x + box.width, box.y + box.height])
    const left = Math.min(x0, x1)
    const top = Math.min(y0, y1)
    context.strokeRect(left, top, Math.abs(x1 - x0), Math.abs(y1 - y0))
    context.fillText(label, left, top - scale)
  }
}
const OTHER_COLOR = '#a78bfa'

export function paintOverlay(
  context: CanvasRenderingContext2D,
  faces: readonly FaceResult[],
  source: { width: number; height: number },
  options: OverlayOptions
): void {
  const { width, height } = context.canvas
  context.clearRect(0, 0, width, height)
  if (source.width === 0 || source.height === 0) return
  const map = overlayTransform(source, { width, height }, options.mirror)
  const scale = Math.max(1, width / 640)
  faces.forEach((face, index) => {
    const color = index === 0 ? MAIN_COLOR : OTHER_COLOR
    const [x0, y0] = map([face.box.x, face.box.y])
    const [x1, y1] = map([face.box.x + face.box.width, face.box.y + face.box.height])
    const left = Math.min(x0, x1)
    const top = Math.min(y0, y1)
    if (options.boxes) {
      context.strokeStyle = color
      context.lineWidth = 2 * scale
      context.strokeRect(left, top, Math.abs(x1 - x0), Math.abs(y1 - y0))
    }
    if (options.landmarks) {
      context.fillStyle = color
      for (const point of face.landmarks68) {
        const [x, y] = map(point)
        context.fillRect(x - scale, y - scale, 2 * scale, 2 * scale)
      }
    }
    if (options.featureBoxes) paintFeatureBoxes(context, face, map, scale)
    const caption = options.emotion ? emotionCaption(face) : null
    if (caption) {
      context.font = `600 ${Math.round(13 * scale)}px system-ui, sans-serif`
      const textWidth = context.measureText(caption).width
      const padding = 4 * scale
      const boxHeight = 18 * scale
      const labelTop = Math.max(0, top - boxHeight - 2 * scale)
      context.fillStyle = 'rgba(15, 23, 42, 0.75)'
      context.fillRect(left, labelTop, textWidth + 2 * padding, boxHeight)
      context.fillStyle = '#f8fafc'
      context.textBaseline = 'middle'
      context.fillText(caption, left + padding, labelTop + boxHeight / 2)
    }
  })
}

/** Sizes the overlay canvas to the view and paints the faces of one result with the live settings. */
export function paintOverlayCanvas(
  canvas: HTMLCanvasElement,
  size: { width: number; height: number },
  result: { width: number; height: number; faces: readonly FaceResult[] },
  live: { showBoxes: boolean; showLandmarks: boolean; showEmotion: boolean; showFeatureBoxes?: boolean; mirror: boolean }
): void {
  if (canvas.width !== size.width || canvas.height !== size.height) {
    canvas.width = size.width
    canvas.height = size.height
  }
  const context = canvas.getContext('2d')
  if (!context) return
  paintOverlay(context, result.faces, result, {
    boxes: live.showBoxes,
    landmarks: live.showLandmarks,
    emotion: live.showEmotion,
    featureBoxes: live.showFeatureBoxes,
    mirror: live.mirror
  })
}
