/**
 * "Fix my photo": the planned square crop (fix-crop.ts) of the photo with its background blurred
 * as the audit has it set, resized and encoded, then audited again to confirm the face size.
 */
import sharp from 'sharp'
import type { BlurMode, EncodedImage, FaceSizeCheck } from '../../shared/audit'
import { DEFAULT_AUDIT_OPTIONS } from '../../shared/audit'
import { SmilecamError } from '../../shared/errors'
import { faceOutline } from '../../shared/face-geometry'
import type { FaceResult, PersonMask, RgbaImage } from '../../shared/vision'
import { checkFaceSize } from './checks'
import { planFixCrop, type FixCrop } from './fix-crop'
import { blurBackground, blurSigma, JPEG_QUALITY, personAlpha, polygonAlpha } from './render'

export interface FixInputs {
  image: RgbaImage
  /** The audited face. */
  face: FaceResult
  personMask?: PersonMask
  blurMode: BlurMode
  blurStrength: number
  /** Output side (default FIX_DEFAULT_SIZE). */
  size?: number
}

export interface FixedPhoto {
  image: EncodedImage
  crop: FixCrop
}

function cropChannels(data: Uint8Array | Uint8ClampedArray, width: number, channels: number, x: number, y: number, side: number): Uint8Array {
  const out = new Uint8Array(side * side * channels)
  for (let row = 0; row < side; row++) {
    const from = ((y + row) * width + x) * channels
    out.set(data.subarray(from, from + side * channels), row * side * channels)
  }
  return out
}

/**
 * Crops, blurs and resizes. The mask is made at full size and cropped with the photo, and the
 * blur sigma is relative to the crop, so the fixed photo looks blurred as the setting says.
 */
export async function fixPhoto(inputs: FixInputs): Promise<FixedPhoto> {
  const { image, face } = inputs
  const outline = faceOutline(face.landmarks68)
  const crop = planFixCrop(outline, image.width, image.height, { size: inputs.size })
  const { x, y, side } = crop
  let pixels: Uint8Array | Uint8ClampedArray = cropChannels(image.data, image.width, 4, x, y, side)
  let alpha: Uint8Array | undefined
  if (inputs.blurMode === 'person' && inputs.personMask) alpha = await personAlpha(inputs.personMask, image.width, image.height)
  if (inputs.blurMode === 'face') alpha = await polygonAlpha(outline, image.width, image.height)
  if (alpha && inputs.blurStrength > 0) {
    const blurred = await blurBackground(
      { width: side, height: side, data: pixels },
      cropChannels(alpha, image.width, 1, x, y, side),
      blurSigma(inputs.blurStrength, side, side)
    )
    pixels = blurred.data
  }
  const data = await sharp(pixels, { raw: { width: side, height: side, channels: 4 } })
    .resize(crop.outputSize, crop.outputSize, { fit: 'fill', kernel: 'lanczos3' })
    .removeAlpha()
    .jpeg({ quality: JPEG_QUALITY })
    .toBuffer()
  return {
    crop,
    image: { mimeType: 'image/jpeg', width: crop.outputSize, height: crop.outputSize, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
  }
}

/** Decodes a fixed photo (JPEG) to RGBA for its own audit. */
async function decodeFixed(image: EncodedImage): Promise<RgbaImage> {
  const { data, info } = await sharp(image.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
}

/**
 * The fixed photo's own face-size check, from a fresh detection on the written pixels (not
 * from the planned crop), so a fix is only called good when the audit agrees.
 */
export async function auditFixedPhoto(
  detectFace: (image: RgbaImage) => Promise<FaceResult | undefined>,
  image: EncodedImage,
  minFaceAreaRatio: number = DEFAULT_AUDIT_OPTIONS.minFaceAreaRatio
): Promise<FaceSizeCheck> {
  const rgba = await decodeFixed(image)
  const face = await detectFace(rgba)
  if (!face) throw new SmilecamError('NO_FACE', 'The fixed photo was checked again and no face was found in it.')
  return checkFaceSize(faceOutline(face.landmarks68), rgba.width, rgba.height, minFaceAreaRatio)
}
