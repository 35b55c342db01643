/**
 * Pure geometry on the iBUG 68-point layout (0-based): jaw 0-16, brows 17-26,
 * nose 27-35, eyes 36-47, outer lips 48-59, inner lips 60-67.
 */
import type { Box, Point } from './vision'

export interface Circle {
  cx: number
  cy: number
  r: number
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1])
}

/**
 * Mouth aspect ratio: (|P61-P67| + |P62-P66| + |P63-P65|) / (3 * |P48-P54|).
 * Near 0 with lips closed; teeth usually show above ~0.09.
 */
export function mouthAspectRatio(p: readonly Point[]): number {
  const width = distance(p[48], p[54])
  if (width === 0) return 0
  return (distance(p[61], p[67]) + distance(p[62], p[66]) + distance(p[63], p[65])) / (3 * width)
}

/** Eye aspect ratio of one eye given its six points in iBUG order (corner, top, top, corner, bottom, bottom). */
function singleEyeAspectRatio(p: readonly Point[], first: number): number {
  const [p1, p2, p3, p4, p5, p6] = [0, 1, 2, 3, 4, 5].map((i) => p[first + i])
  const width = distance(p1, p4)
  if (width === 0) return 0
  return (distance(p2, p6) + distance(p3, p5)) / (2 * width)
}

/** Mean eye aspect ratio of both eyes; open eyes are around 0.25-0.35, closed below ~0.15. */
export function eyeAspectRatio(p: readonly Point[]): number {
  return (singleEyeAspectRatio(p, 36) + singleEyeAspectRatio(p, 42)) / 2
}

/** Head roll in degrees from the line through the outer eye corners (0 = level). */
export function rollDegrees(p: readonly Point[]): number {
  const [a, b] = [p[36], p[45]]
  return (Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI
}

/**
 * How far above the brows the hairline sits, as a fraction of the brow-to-chin height.
 * A face divides into thirds (hairline-brow, brow-nose base, nose base-chin), so the
 * forehead is half of brow-to-chin.
 */
const FOREHEAD_FRACTION = 0.5
const FOREHEAD_ARC_POINTS = 10

/**
 * Closed face outline: the jaw line 0..16 followed by an estimated forehead arc
 * from the right temple back to the left one. The forehead is not in the 68
 * points, so it is extrapolated above the brows along the face's "up" direction.
 */
export function faceOutline(p: readonly Point[]): Point[] {
  const jaw = p.slice(0, 17).map((q): Point => [q[0], q[1]])
  const browMid: Point = meanPoint(p.slice(17, 27))
  const chin = p[8]
  // "Up" is the direction from the chin to the brows, so tilted heads get a tilted forehead.
  const up: Point = [browMid[0] - chin[0], browMid[1] - chin[1]]
  const lift = FOREHEAD_FRACTION
  const left = p[16]
  const right = p[0]
  const centre: Point = [(left[0] + right[0]) / 2, (left[1] + right[1]) / 2]
  const halfWidth: Point = [(left[0] - right[0]) / 2, (left[1] - right[1]) / 2]
  // Top of the forehead arc: above the brow middle by `lift` of the face height.
  const top: Point = [browMid[0] + up[0] * lift, browMid[1] + up[1] * lift]
  const toTop: Point = [top[0] - centre[0], top[1] - centre[1]]
  const arc: Point[] = []
  // Half ellipse from jaw point 16 over the top back to jaw point 0 (exclusive ends).
  for (let i = 1; i < FOREHEAD_ARC_POINTS; i++) {
    const t = (Math.PI * i) / FOREHEAD_ARC_POINTS
    arc.push([
      centre[0] + halfWidth[0] * Math.cos(t) + toTop[0] * Math.sin(t),
      centre[1] + halfWidth[1] * Math.cos(t) + toTop[1] * Math.sin(t)
    ])
  }
  return [...jaw, ...arc]
}

/** Area of a simple polygon (shoelace formula), always positive. */
export function polygonArea(poly: readonly Point[]): number {
  let twiceArea = 0
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i]
    const [x2, y2] = poly[(i + 1) % poly.length]
    twiceArea += x1 * y2 - x2 * y1
  }
  return Math.abs(twiceArea) / 2
}

/** The circular crop profile sites show: centred, radius min(w, h) / 2. */
export function circleCrop(width: number, height: number): Circle {
  return { cx: width / 2, cy: height / 2, r: Math.min(width, height) / 2 }
}

/** Face outline area divided by the area of the circular crop. */
export function faceAreaRatio(outline: readonly Point[], width: number, height: number): number {
  const { r } = circleCrop(width, height)
  return r > 0 ? polygonArea(outline) / (Math.PI * r * r) : 0
}

export function pointsInsideCircle(points: readonly Point[], circle: Circle): boolean {
  return points.every((q) => Math.hypot(q[0] - circle.cx, q[1] - circle.cy) <= circle.r)
}

/** Axis-aligned bounding box of points (extra coordinates such as z are ignored). */
export function boundingBox(points: ReadonlyArray<readonly number[]>): Box {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const [x, y] of points) {
    minX = Math.min(minX, x)
    minY = Math.min(minY, y)
    maxX = Math.max(maxX, x)
    maxY = Math.max(maxY, y)
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY }
}

/** The centroid of some points (e.g. an eye's six landmarks). */
export function meanPoint(points: readonly Point[]): Point {
  let x = 0
  let y = 0
  for (const q of points) {
    x += q[0]
    y += q[1]
  }
  return [x / points.length, y / points.length]
}
