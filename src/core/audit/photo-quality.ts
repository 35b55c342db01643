/**
 * More of what makes a good profile photo, measured from the 68 points and the face's pixels:
 * eyes open (EAR), head tilt (roll), face lighting (exposure, contrast, side light), sharpness
 * (is the face in focus) and where the face sits in the circle. Measurements are pure functions;
 * each check turns one into a pass and advice against thresholds measured on the dev headshots
 * (bench/eval-photo-checks.ts, which prints the distributions these were read from).
 */
import type { EyesOpenCheck, HeadTiltCheck, LightingCheck, PhotoQualityChecks, PositionCheck, SharpnessCheck } from '../../shared/audit'
import { boundingBox, circleCrop, eyeAspectRatio, faceOutline, rollDegrees } from '../../shared/face-geometry'
import type { Point, RgbaImage } from '../../shared/vision'
import { fillPolygon } from './render'

// ---------------------------------------------------------------- measurements

export interface FaceLighting {
  /** Mean luma of the face, 0..255. */
  exposure: number
  /** Standard deviation of the face luma, 0..~128. */
  contrast: number
  /** |mean luma of the image-left half − right half| / mean luma, 0..2: light from one side. */
  sideLight: number
}

/** Rec. 601 luma of a pixel. */
function luma(data: ArrayLike<number>, i: number): number {
  return 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]
}

/** The face's pixels: inside the face outline (jaw + estimated forehead), split by the nose line. */
export function measureLighting(image: RgbaImage, p: readonly Point[]): FaceLighting {
  const { width, height, data } = image
  const mask = fillPolygon(faceOutline(p), width, height)
  // Points 27 (nose bridge top) and 8 (chin) define the face's vertical midline.
  const [ax, ay] = p[27]
  const [bx, by] = p[8]
  const all = { n: 0, sum: 0, sumSq: 0 }
  const sides = { left: { n: 0, sum: 0 }, right: { n: 0, sum: 0 } }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = y * width + x
      if (mask[k] === 0) continue
      const v = luma(data, k * 4)
      all.n++
      all.sum += v
      all.sumSq += v * v
      // Sign of the cross product: which side of the midline the pixel is on.
      const side = (bx - ax) * (y + 0.5 - ay) - (by - ay) * (x + 0.5 - ax) > 0 ? sides.left : sides.right
      side.n++
      side.sum += v
    }
  }
  if (all.n === 0) return { exposure: 0, contrast: 0, sideLight: 0 }
  const exposure = all.sum / all.n
  const contrast = Math.sqrt(Math.max(0, all.sumSq / all.n - exposure * exposure))
  const { left, right } = sides
  const sideLight = left.n > 0 && right.n > 0 && exposure > 0 ? Math.abs(left.sum / left.n - right.sum / right.n) / exposure : 0
  return { exposure, contrast, sideLight }
}

/** Faces are resampled to this width before the sharpness measure, so it does not depend on resolution. */
export const SHARPNESS_FACE_WIDTH = 128

/**
 * Sharpness: variance of the 4-neighbour Laplacian of the face's luma (eyes to mouth box),
 * resampled (box filter) to SHARPNESS_FACE_WIDTH wide. Focused faces have strong fine edges.
 */
export function measureSharpness(image: RgbaImage, p: readonly Point[]): number {
  // Brows to the bottom of the lower lip, jaw side to side: detail lives there (not in hair or background).
  const box = boundingBox([...p.slice(17, 27), ...p.slice(1, 16), p[57]])
  const scale = SHARPNESS_FACE_WIDTH / Math.max(1, box.width)
  const w = SHARPNESS_FACE_WIDTH
  const h = Math.max(3, Math.round(box.height * scale))
  const small = new Float32Array(w * h)
  const step = 1 / scale
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      // Mean of the source pixels this output pixel covers (area average).
      const x0 = Math.max(0, Math.floor(box.x + i * step))
      const y0 = Math.max(0, Math.floor(box.y + j * step))
      const x1 = Math.min(image.width, Math.max(x0 + 1, Math.floor(box.x + (i + 1) * step)))
      const y1 = Math.min(image.height, Math.max(y0 + 1, Math.floor(box.y + (j + 1) * step)))
      let s = 0
      let c = 0
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++, c++) s += luma(image.data, (y * image.width + x) * 4)
      small[j * w + i] = c > 0 ? s / c : 0
    }
  }
  let n = 0
  let sum = 0
  let sumSq = 0
  for (let j = 1; j < h - 1; j++) {
    for (let i = 1; i < w - 1; i++) {
      const k = j * w + i
      const lap = small[k - 1] + small[k + 1] + small[k - w] + small[k + w] - 4 * small[k]
      n++
      sum += lap
      sumSq += lap * lap
    }
  }
  return n > 0 ? sumSq / n - (sum / n) ** 2 : 0
}

export interface FacePosition {
  /** Distance of the face centre from the circle centre, over the radius (0 = centred). */
  offCentre: number
  /** Space between the top of the circle and the top of the face outline, over the radius (< 0: cut). */
  headRoom: number
}

export function measurePosition(p: readonly Point[], width: number, height: number): FacePosition {
  const { cx, cy, r } = circleCrop(width, height)
  const box = boundingBox(faceOutline(p))
  const fx = box.x + box.width / 2
  const fy = box.y + box.height / 2
  return { offCentre: Math.hypot(fx - cx, fy - cy) / r, headRoom: (box.y - (cy - r)) / r }
}

// ---------------------------------------------------------------- thresholds

/**
 * Thresholds, read off the distributions `npm run eval -- photo-checks` prints for the 100 dev
 * headshots (../shared/data/headshots: professional profile photos, so the good ones should
 * pass), and checked against the same photos blurred and darkened (which should fail). Measured
 * 2026-12-01; figures in the comments are from that run. Round values just outside the range of
 * the good photos.
 */
export const PHOTO_CHECK_THRESHOLDS = {
  /**
   * Eyes open at or above this EAR. Headshots: min 0.23, p5 0.25, p50 0.28. The set has no
   * closed eyes, so the line sits with margin below its minimum.
   */
  minEar: 0.18,
  /** Head level within this many degrees of roll. Headshots |roll|: p50 2.5°, p95 10.2°, p99 13.9°, max 19.8°. */
  maxRollDegrees: 15,
  /** Face mean luma range. Headshots: min 70, p5 95, p95 177, max 206; darkened copies p50 43. */
  minExposure: 60,
  maxExposure: 220,
  /** Face luma standard deviation at or above this (flat, washed-out faces are below). Headshots: min 27.5, p5 31.8. */
  minContrast: 20,
  /**
   * Left/right brightness difference over the mean at most this: harsh light from one side.
   * Headshots: p50 0.18, p95 0.52 (studio side light is common), max 0.85.
   */
  maxSideLight: 0.6,
  /** Laplacian variance at 128-px face width at or above this. Headshots: min 50, p5 121, p50 435; blurred copies p50 15. */
  minSharpness: 40,
  /**
   * Face centre within this fraction of the radius from the circle centre. Headshots: p50 0.27,
   * p95 0.60 (portrait photos put the face high, which the centred circle crops badly).
   */
  maxOffCentre: 0.5,
  /** Top of the face outline at least this far (in radii) below the top of the circle. Headshots: p5 -0.18, p50 0.25. */
  minHeadRoom: 0
} as const

export type PhotoCheckThresholds = { -readonly [K in keyof typeof PHOTO_CHECK_THRESHOLDS]: number }

// ---------------------------------------------------------------- checks

function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

export function checkEyesOpen(p: readonly Point[], t: PhotoCheckThresholds = PHOTO_CHECK_THRESHOLDS): EyesOpenCheck {
  const ear = eyeAspectRatio(p)
  const pass = ear >= t.minEar
  return {
    pass,
    ear,
    advice: pass
      ? `Eyes open (eye opening ${ear.toFixed(2)}).`
      : `The eyes look closed or half closed (eye opening ${ear.toFixed(2)}; ${t.minEar} or more reads as open). Take another with your eyes open.`
  }
}

export function checkHeadTilt(p: readonly Point[], t: PhotoCheckThresholds = PHOTO_CHECK_THRESHOLDS): HeadTiltCheck {
  const roll = rollDegrees(p)
  const pass = Math.abs(roll) <= t.maxRollDegrees
  // Image y points down, so a positive roll lowers the right-hand eye in the photo.
  const side = roll > 0 ? 'right' : 'left'
  return {
    pass,
    rollDegrees: roll,
    advice: pass
      ? `Head level (tilted ${Math.abs(roll).toFixed(0)}°).`
      : `The head is tilted ${Math.abs(roll).toFixed(0)}° towards the ${side} of the photo; keep it within ${t.maxRollDegrees}° of level, or straighten the photo.`
  }
}

export function checkLighting(image: RgbaImage, p: readonly Point[], t: PhotoCheckThresholds = PHOTO_CHECK_THRESHOLDS): LightingCheck {
  const { exposure, contrast, sideLight } = measureLighting(image, p)
  const problems: string[] = []
  if (exposure < t.minExposure) problems.push('the face is underexposed (too dark); face a window or add light')
  if (exposure > t.maxExposure) problems.push('the face is overexposed (washed out); move out of direct light')
  if (contrast < t.minContrast) problems.push('the face looks flat; softer, directional light gives it shape')
  if (sideLight > t.maxSideLight) problems.push('harsh light from one side leaves half the face in shadow; turn towards the light')
  const pass = problems.length === 0
  return {
    pass,
    exposure: round(exposure, 1),
    contrast: round(contrast, 1),
    sideLight: round(sideLight, 3),
    advice: pass ? `Face well lit (brightness ${Math.round(exposure)}/255, no harsh side light).` : `${problems.join('; ')}.`.replace(/^./, (c) => c.toUpperCase())
  }
}

export function checkSharpness(image: RgbaImage, p: readonly Point[], t: PhotoCheckThresholds = PHOTO_CHECK_THRESHOLDS): SharpnessCheck {
  const sharpness = measureSharpness(image, p)
  const pass = sharpness >= t.minSharpness
  return {
    pass,
    sharpness: round(sharpness, 1),
    advice: pass
      ? `The face is in focus (detail ${Math.round(sharpness)}).`
      : `The face looks soft or out of focus (detail ${Math.round(sharpness)}; ${t.minSharpness} or more is sharp). Hold the camera steady and focus on the eyes.`
  }
}

export function checkPosition(p: readonly Point[], width: number, height: number, t: PhotoCheckThresholds = PHOTO_CHECK_THRESHOLDS): PositionCheck {
  const { offCentre, headRoom } = measurePosition(p, width, height)
  const problems: string[] = []
  if (offCentre > t.maxOffCentre) problems.push(`the face sits ${Math.round(offCentre * 100)}% of the radius away from the centre of the circle; centre it`)
  if (headRoom < t.minHeadRoom) problems.push('the top of the head is cut off by the circle; leave room above it')
  const pass = problems.length === 0
  return {
    pass,
    offCentre: round(offCentre, 3),
    headRoom: round(headRoom, 3),
    advice: pass ? 'The face sits well in the circle, with room above the head.' : `${problems.join('; ')}.`.replace(/^./, (c) => c.toUpperCase())
  }
}

/** The five extra checks of a face on a photo. */
export function photoQualityChecks(image: RgbaImage, p: readonly Point[]): PhotoQualityChecks {
  return {
    eyesOpen: checkEyesOpen(p),
    headTilt: checkHeadTilt(p),
    lighting: checkLighting(image, p),
    sharpness: checkSharpness(image, p),
    position: checkPosition(p, image.width, image.height)
  }
}
