/**
 * Output images of the audit: the background-blurred photo (person mask or face outline)
 * and the annotated photo (landmarks, circular crop, face outline, face box).
 *
 * Measured with bench/audit-render.ts on a 1600×1200 still (2 shared cores, load ~4): sharp's
 * Gaussian blur plus our composite 107 ms at sigma 24 vs opencv-wasm GaussianBlur 3.3 s (8-bit)
 * and 0.9 s (float, needed for the premultiplied blur), so blurs go through sharp. Polygon fill:
 * opencv-wasm fillPoly 0.2 ms (+136 ms to load its 9 MB wasm once), the scanline fill below
 * 1.4 ms; the mask is feathered afterwards so anti-aliasing buys nothing, and the fill stays
 * pure and testable (src/shared/polygon.ts), without the wasm module.
 */
import sharp from 'sharp'
import type { BlurMode, EncodedImage } from '../../shared/audit'
import { blurSigma } from '../../shared/blur'
import { fillPolygonInto } from '../../shared/polygon'
import { annotationSvg, featureBoxesSvg, type Annotations } from '../../shared/annotations'
import { placedArtworkSvg, type FilterPlacement } from '../../shared/face-filters'
import type { FeatureBox } from '../../shared/feature-boxes'
import type { PersonMask, Point, RgbaImage } from '../../shared/vision'

/** Mask edge feathering sigma, as a fraction of the shorter image side. */
const FEATHER_SIGMA_FRACTION = 0.005
/** sharp refuses sigmas below 0.3. */
const MIN_SHARP_SIGMA = 0.3
/**
 * Blurred background alpha (0..255) below which the background estimate is too thin to trust
 * (deep inside the person); the original pixel is used there instead.
 */
const MIN_BACKGROUND_SUPPORT = 4
export const JPEG_QUALITY = 90

export { blurSigma }

export function featherSigma(width: number, height: number): number {
  return Math.max(MIN_SHARP_SIGMA, FEATHER_SIGMA_FRACTION * Math.min(width, height))
}

/** The face outline as a width×height 0/255 mask (hard edges; polygonAlpha feathers it). */
export function fillPolygon(polygon: readonly Point[], width: number, height: number): Uint8Array {
  return fillPolygonInto(new Uint8Array(width * height), polygon, width, height, 255)
}

/** Gaussian blur of a one-channel mask; big sigmas run on a downscaled copy (see downscaleFactor). */
async function blurGray(mask: Uint8Array, width: number, height: number, sigma: number): Promise<Uint8Array> {
  if (sigma < MIN_SHARP_SIGMA) return mask
  const factor = downscaleFactor(sigma, width, height)
  let data: Buffer
  if (factor === 1) {
    data = await sharp(mask, { raw: { width, height, channels: 1 } }).blur(sigma).extractChannel(0).raw().toBuffer()
  } else {
    const smallWidth = Math.max(1, Math.round(width / factor))
    const smallHeight = Math.max(1, Math.round(height / factor))
    const small = await sharp(mask, { raw: { width, height, channels: 1 } })
      .resize(smallWidth, smallHeight, { fit: 'fill' })
      .blur(Math.max(MIN_SHARP_SIGMA, sigma / factor))
      .extractChannel(0)
      .raw()
      .toBuffer()
    data = await sharp(small, { raw: { width: smallWidth, height: smallHeight, channels: 1 } })
      .resize(width, height, { fit: 'fill', kernel: 'linear' })
      .extractChannel(0)
      .raw()
      .toBuffer()
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

/**
 * Upscales the segmenter's low-res mask to the photo size (bilinear) and feathers the edge; on
 * big photos the feathering runs at a reduced size on the way up.
 */
export async function personAlpha(mask: PersonMask, width: number, height: number): Promise<Uint8Array> {
  const sigma = featherSigma(width, height)
  const factor = downscaleFactor(sigma, width, height)
  const midWidth = Math.max(1, Math.round(width / factor))
  const midHeight = Math.max(1, Math.round(height / factor))
  let data = await sharp(mask.data, { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .resize(midWidth, midHeight, { fit: 'fill', kernel: 'linear' })
    .blur(Math.max(MIN_SHARP_SIGMA, sigma / factor))
    .extractChannel(0)
    .raw()
    .toBuffer()
  if (factor > 1) {
    data = await sharp(data, { raw: { width: midWidth, height: midHeight, channels: 1 } })
      .resize(width, height, { fit: 'fill', kernel: 'linear' })
      .extractChannel(0)
      .raw()
      .toBuffer()
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

/** Face-only mask: the face outline polygon, feathered. */
export async function polygonAlpha(polygon: readonly Point[], width: number, height: number): Promise<Uint8Array> {
  return blurGray(fillPolygon(polygon, width, height), width, height, featherSigma(width, height))
}

/**
 * Blurs the background of `image` where `alpha` (0..255 per pixel, 255 = keep sharp) is low.
 * The blur is computed from background pixels only — blur(I·(1−m)) / blur(1−m) — so the
 * person's colours do not bleed into the background; sharp does exactly this when it blurs
 * an RGBA image, because it premultiplies by alpha before blurring and divides after.
 */
export async function blurBackground(image: RgbaImage, alpha: Uint8Array, sigma: number): Promise<RgbaImage> {
  const { width, height } = image
  const pixels = width * height
  if (alpha.length !== pixels) throw new RangeError(`mask has ${alpha.length} pixels, image ${pixels}`)
  const out = new Uint8Array(image.data)
  if (sigma < MIN_SHARP_SIGMA) return { width, height, data: out }

  const background = new Uint8Array(out)
  for (let p = 0; p < pixels; p++) background[p * 4 + 3] = 255 - alpha[p]
  const blurred = await premultipliedBlur(background, width, height, sigma)

  // out = person·keep + blurred background·(255 − keep), rounded, in integers.
  for (let p = 0; p < pixels; p++) {
    const keep = alpha[p]
    const i = p * 4
    if (keep === 255 || blurred[i + 3] < MIN_BACKGROUND_SUPPORT) continue
    const rest = 255 - keep
    out[i] = (out[i] * keep + blurred[i] * rest + 127) / 255
    out[i + 1] = (out[i + 1] * keep + blurred[i + 1] * rest + 127) / 255
    out[i + 2] = (out[i + 2] * keep + blurred[i + 2] * rest + 127) / 255
    out[i + 3] = 255
  }
  return { width, height, data: out }
}

/** Large blurs run on a smaller copy: the blurred result has no detail the smaller copy lacks. */
const BLUR_SIGMA_PER_DOWNSCALE = 4
const MIN_DOWNSCALED_SIDE = 32

/** How much a blur of `sigma` may shrink the image first (1 = not at all). */
function downscaleFactor(sigma: number, width: number, height: number): number {
  return Math.max(1, Math.min(Math.floor(sigma / BLUR_SIGMA_PER_DOWNSCALE), Math.floor(Math.min(width, height) / MIN_DOWNSCALED_SIDE)))
}

/**
 * Gaussian blur of an RGBA image whose alpha weights the colours (sharp premultiplies before
 * resizing and blurring and divides after). Big sigmas blur a downscaled copy with sigma / f and
 * scale back up, which looks the same and is several times faster on multi-megapixel photos.
 */
async function premultipliedBlur(rgba: Uint8Array, width: number, height: number, sigma: number): Promise<Uint8Array> {
  const factor = downscaleFactor(sigma, width, height)
  if (factor === 1) {
    return sharp(rgba, { raw: { width, height, channels: 4 } })
      .blur(sigma)
      .raw()
      .toBuffer()
  }
  const smallWidth = Math.max(1, Math.round(width / factor))
  const smallHeight = Math.max(1, Math.round(height / factor))
  const small = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .resize(smallWidth, smallHeight, { fit: 'fill' })
    .blur(Math.max(MIN_SHARP_SIGMA, sigma / factor))
    .raw()
    .toBuffer()
  return sharp(small, { raw: { width: smallWidth, height: smallHeight, channels: 4 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer()
}

export interface BlurInputs {
  mode: BlurMode
  strength: number
  /** Needed for mode 'person'. */
  personMask?: PersonMask
  /** Needed for mode 'face'. */
  faceOutline?: readonly Point[]
}

/**
 * The background-blurred photo. Mode 'person' keeps the segmented person sharp; 'face' keeps
 * only the face outline (jaw + estimated forehead) sharp. Without the needed mask (no person
 * found, no face), blurring everything would be wrong, so the image is returned unblurred.
 */
export async function blurPhoto(image: RgbaImage, inputs: BlurInputs): Promise<RgbaImage> {
  const { width, height } = image
  const sigma = blurSigma(inputs.strength, width, height)
  let alpha: Uint8Array | undefined
  if (inputs.mode === 'person' && inputs.personMask) alpha = await personAlpha(inputs.personMask, width, height)
  if (inputs.mode === 'face' && inputs.faceOutline) alpha = await polygonAlpha(inputs.faceOutline, width, height)
  if (!alpha) return { width, height, data: new Uint8Array(image.data) }
  return blurBackground(image, alpha, sigma)
}

export async function encodeJpeg(image: RgbaImage, quality = JPEG_QUALITY): Promise<EncodedImage> {
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .removeAlpha()
    .jpeg({ quality })
    .toBuffer()
  return { mimeType: 'image/jpeg', width: image.width, height: image.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
}

/** SVG overlay of placed face filters for a width×height image. */
export function filtersSvg(width: number, height: number, placements: readonly FilterPlacement[]): string {
  const parts = placements.map((p, i) => placedArtworkSvg(p, `f${i}`))
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`
}

/**
 * The photo with face filters (and optionally feature boxes) drawn on it, for
 * `smilecam analyze --filter`.
 */
export async function renderFiltered(
  image: RgbaImage,
  placements: readonly FilterPlacement[],
  boxes: readonly FeatureBox[] = [],
  quality = JPEG_QUALITY
): Promise<EncodedImage> {
  const { width, height } = image
  const unit = Math.max(1, Math.min(width, height) / 400)
  const svg = filtersSvg(width, height, placements).replace('</svg>', `${featureBoxesSvg(boxes, unit)}</svg>`)
  const data = await sharp(image.data, { raw: { width, height, channels: 4 } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .removeAlpha()
    .jpeg({ quality })
    .toBuffer()
  return { mimeType: 'image/jpeg', width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
}

/** The annotated image is for looking at: bigger photos are drawn at this longest side. */
export const ANNOTATED_MAX_SIDE = 2048

function scaleAnnotations(a: Annotations, scale: number): Annotations {
  const point = ([x, y]: Point): Point => [x * scale, y * scale]
  return {
    circle: { cx: a.circle.cx * scale, cy: a.circle.cy * scale, r: a.circle.r * scale },
    faceOutline: a.faceOutline?.map(point),
    box: a.box && { x: a.box.x * scale, y: a.box.y * scale, width: a.box.width * scale, height: a.box.height * scale },
    landmarks: a.landmarks?.map(point),
    featureBoxes: a.featureBoxes?.map(({ label, box: b }) => ({
      label,
      box: { x: b.x * scale, y: b.y * scale, width: b.width * scale, height: b.height * scale }
    }))
  }
}

/**
 * The annotated photo: circle crop (outside dimmed), face box, face outline, 68 landmarks.
 * Photos longer than `maxSide` are drawn scaled down (a 25 MP overlay costs seconds to raster).
 */
export async function renderAnnotated(
  image: RgbaImage,
  annotations: Annotations,
  { quality = JPEG_QUALITY, maxSide = ANNOTATED_MAX_SIDE }: { quality?: number; maxSide?: number } = {}
): Promise<EncodedImage> {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height))
  const width = Math.max(1, Math.round(image.width * scale))
  const height = Math.max(1, Math.round(image.height * scale))
  let base = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
  if (scale < 1) {
    // Resize in its own pipeline so the overlay is composited at the output size.
    const resized = await base.resize(width, height, { fit: 'fill' }).raw().toBuffer()
    base = sharp(resized, { raw: { width, height, channels: 4 } })
  }
  const overlay = Buffer.from(annotationSvg(width, height, scale < 1 ? scaleAnnotations(annotations, width / image.width) : annotations))
  const data = await base
    .composite([{ input: overlay, top: 0, left: 0 }])
    .removeAlpha()
    .jpeg({ quality })
    .toBuffer()
  return { mimeType: 'image/jpeg', width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
}
