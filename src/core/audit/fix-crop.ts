/**
 * "Fix my photo" crop planning, pure: the square crop of a photo that puts the face at a good
 * size in the circular crop profile sites show, with head room, and the size to write it at.
 * A photo that cannot be fixed (face cut off by the edge, too few pixels) is a typed error.
 */
import { FIX_DEFAULT_SIZE, FIX_MAX_SIZE, FIX_MIN_SIZE } from '../../shared/audit'
import { SmilecamError } from '../../shared/errors'
import { boundingBox, polygonArea } from '../../shared/face-geometry'
import type { Point } from '../../shared/vision'

/** Face outline area over circle area the crop aims for (the middle of the 35-45 % band). */
export const FIX_TARGET_RATIO = 0.4
/**
 * Face centre sits this fraction of the crop side below the crop centre: the outline's top is
 * an estimated hairline, and hair and head room go above it.
 */
export const FIX_HEAD_ROOM = 0.05
/** Outline points stay within this fraction of the radius inside the circle. */
export const FIX_CIRCLE_MARGIN = 0.04
/**
 * Upscaling beyond 2× shows as mush, so a crop with fewer than FIX_MIN_SIZE / 2 source pixels
 * is refused rather than blown up.
 */
export const FIX_MAX_UPSCALE = 2

export interface FixCrop {
  /** Square crop in source pixels (integers, inside the photo). */
  x: number
  y: number
  side: number
  /** Side of the written square. */
  outputSize: number
  /** outputSize > side: the fix had to enlarge the source pixels. */
  upscaled: boolean
  /** Face outline area / circle area in the cropped photo. */
  faceAreaRatio: number
  /** Plain-language notes on what was done differently from what was asked. */
  notes: string[]
}

export interface FixCropOptions {
  /** Output side in pixels, FIX_MIN_SIZE..FIX_MAX_SIZE (default FIX_DEFAULT_SIZE). */
  size?: number
  targetRatio?: number
}

export function validateFixSize(size: number): number {
  if (!Number.isInteger(size) || size < FIX_MIN_SIZE || size > FIX_MAX_SIZE) {
    throw new SmilecamError('INVALID_INPUT', `The fixed photo size must be a whole number of pixels from ${FIX_MIN_SIZE} to ${FIX_MAX_SIZE}.`)
  }
  return size
}

/** Largest distance of the points from (cx, cy). */
function reach(points: readonly Point[], cx: number, cy: number): number {
  let max = 0
  for (const [x, y] of points) max = Math.max(max, Math.hypot(x - cx, y - cy))
  return max
}

/**
 * Plans the crop for a face outline (jaw + estimated forehead, see faceOutline) on a
 * width×height photo.
 */
export function planFixCrop(outline: readonly Point[], width: number, height: number, options: FixCropOptions = {}): FixCrop {
  const size = validateFixSize(options.size ?? FIX_DEFAULT_SIZE)
  const targetRatio = options.targetRatio ?? FIX_TARGET_RATIO
  const area = polygonArea(outline)
  if (outline.length < 3 || area <= 0) throw new SmilecamError('NO_FACE', 'No face outline to crop around.')
  const box = boundingBox(outline)
  const faceX = box.x + box.width / 2
  const faceY = box.y + box.height / 2
  // The jaw (first 17 points) is measured, so a jaw past the edge means the photo cut the face.
  const tolerance = 0.02 * Math.max(box.width, box.height)
  const jawOut = outline.slice(0, 17).some(([x, y]) => x < -tolerance || y < -tolerance || x > width + tolerance || y > height + tolerance)
  if (jawOut) throw new SmilecamError('FACE_CUT_OFF', 'The face is cut off by the edge of the photo, so no crop can show all of it; use a photo with the whole face in it.')

  // Side at which the face fills targetRatio of the circle, then grown until every outline point
  // is inside the circle with a margin (a long face may need more room than its area says).
  let side = Math.sqrt((4 * area) / (Math.PI * targetRatio))
  for (let i = 0; i < 8; i++) {
    const needed = (2 * reach(outline, faceX, faceY - FIX_HEAD_ROOM * side)) / (1 - FIX_CIRCLE_MARGIN)
    if (needed <= side) break
    side = needed
  }
  const notes: string[] = []
  const shorter = Math.min(width, height)
  if (side > shorter) {
    side = shorter
    notes.push('The face is already large in this photo; the crop uses the full photo height or width.')
  }
  side = Math.floor(side)
  const x = Math.round(Math.min(Math.max(0, faceX - side / 2), width - side))
  const y = Math.round(Math.min(Math.max(0, faceY - FIX_HEAD_ROOM * side - side / 2), height - side))
  const r = side / 2
  if (reach(outline, x + r, y + r) > r) {
    throw new SmilecamError(
      'FACE_CUT_OFF',
      'The face is too close to the edge of the photo to sit inside the circle; use a photo with more room around the head.'
    )
  }

  let outputSize = size
  let upscaled = false
  if (side < size) {
    if (side * FIX_MAX_UPSCALE < FIX_MIN_SIZE) {
      throw new SmilecamError(
        'RESOLUTION_TOO_LOW',
        `The face area has only ${side}×${side} pixels; a fixed photo needs at least ${Math.ceil(FIX_MIN_SIZE / FIX_MAX_UPSCALE)} to make a ${FIX_MIN_SIZE}-pixel square. Use a sharper, larger photo.`
      )
    }
    if (side >= FIX_MIN_SIZE) {
      outputSize = side
      notes.push(`The face area has only ${side}×${side} pixels, so the photo is written at ${side} pixels rather than upscaled to ${size}.`)
    } else {
      outputSize = FIX_MIN_SIZE
      upscaled = true
      notes.push(`The face area has only ${side}×${side} pixels; it was upscaled to ${FIX_MIN_SIZE} pixels, the smallest size profile sites recommend, and will look soft.`)
    }
  }
  return { x, y, side, outputSize, upscaled, faceAreaRatio: area / (Math.PI * r * r), notes }
}
