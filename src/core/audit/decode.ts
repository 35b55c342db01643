/**
 * Decodes a photo (file, drop or download) into an upright sRGB RGBA image for the audit.
 * Everything a user may hand us is treated as hostile: the header is read first and checked
 * against the pixel limit before any pixel is decoded, and every sharp failure becomes a
 * typed SmilecamError.
 */
import type { Stats } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import sharp, { type Metadata } from 'sharp'
import { SmilecamError } from '../../shared/errors'
import type { RgbaImage } from '../../shared/vision'

export interface DecodeLimits {
  /** Largest width × height accepted (checked from the header, before decoding). */
  maxPixels: number
  /** Largest encoded size accepted, in bytes. */
  maxBytes: number
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxPixels: 40e6,
  maxBytes: 50 * 1024 * 1024
}

/** Raster formats we let sharp decode. SVG/PDF and friends are refused: they are programs, not photos. */
export const SUPPORTED_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif'] as const
export type SupportedFormat = (typeof SUPPORTED_FORMATS)[number]

export interface DecodedImage {
  /** Upright (EXIF orientation applied) sRGB RGBA, 8 bits per channel. */
  image: RgbaImage
  width: number
  height: number
  format: SupportedFormat
  /** Frames in the file; animated images are audited on their first frame. */
  frames: number
}

function isSupportedFormat(format: string | undefined): format is SupportedFormat {
  return (SUPPORTED_FORMATS as readonly string[]).includes(format ?? '')
}

function megapixels(pixels: number): string {
  return `${(pixels / 1e6).toFixed(pixels < 10e6 ? 1 : 0)} megapixels`
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/**
 * Decodes `bytes` (named `name` in messages). Animated GIF/WebP/PNG yield their first frame;
 * grayscale, CMYK and 16-bit inputs come out as 8-bit sRGB RGBA.
 */
export async function decodeImage(
  bytes: Uint8Array,
  name: string,
  limits: Partial<DecodeLimits> = {}
): Promise<DecodedImage> {
  const { maxPixels, maxBytes } = { ...DEFAULT_DECODE_LIMITS, ...limits }
  if (bytes.byteLength === 0) {
    throw new SmilecamError('EMPTY_FILE', `"${name}" is empty (0 bytes); choose a photo file.`)
  }
  if (bytes.byteLength > maxBytes) {
    throw new SmilecamError(
      'IMAGE_TOO_LARGE',
      `"${name}" is ${megabytes(bytes.byteLength)}; photos up to ${megabytes(maxBytes)} can be audited.`
    )
  }
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

  let metadata: Metadata
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata()
  } catch {
    throw new SmilecamError('NOT_AN_IMAGE', `"${name}" is not an image file Smilecam can read (JPEG, PNG, WebP, AVIF, TIFF, GIF).`)
  }
  if (!isSupportedFormat(metadata.format)) {
    throw new SmilecamError(
      'UNSUPPORTED_IMAGE',
      `"${name}" is a ${String(metadata.format).toUpperCase()} file; use a JPEG, PNG, WebP, GIF, TIFF or AVIF photo.`
    )
  }
  if (metadata.format === 'heif' && metadata.compression !== 'av1') {
    throw new SmilecamError('UNSUPPORTED_IMAGE', `"${name}" is a HEIC photo, which cannot be decoded here; export it as JPEG first.`)
  }
  const width = metadata.width ?? 0
  const height = metadata.pageHeight ?? metadata.height ?? 0
  if (width <= 0 || height <= 0) {
    throw new SmilecamError('CORRUPT_IMAGE', `"${name}" has no valid image size in its header.`)
  }
  if (width * height > maxPixels) {
    throw new SmilecamError(
      'IMAGE_TOO_LARGE',
      `"${name}" is ${width}×${height} (${megapixels(width * height)}); the limit is ${megapixels(maxPixels)}. Resize it and try again.`
    )
  }

  try {
    const { data, info } = await sharp(input, {
      limitInputPixels: maxPixels,
      // Truncated or broken data fails instead of auditing a half-grey photo.
      failOn: 'truncated',
      pages: 1,
      page: 0
    })
      .autoOrient()
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 4) {
      throw new SmilecamError('UNSUPPORTED_IMAGE', `"${name}" has ${info.channels} channels after conversion; expected RGBA.`)
    }
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    return {
      image: { width: info.width, height: info.height, data: pixels },
      width: info.width,
      height: info.height,
      format: metadata.format,
      frames: metadata.pages ?? 1
    }
  } catch (error) {
    if (error instanceof SmilecamError) throw error
    const detail = error instanceof Error ? error.message : String(error)
    if (/pixel limit/i.test(detail)) {
      throw new SmilecamError('IMAGE_TOO_LARGE', `"${name}" is larger than ${megapixels(maxPixels)}; resize it and try again.`)
    }
    throw new SmilecamError('CORRUPT_IMAGE', `"${name}" is damaged or incomplete and cannot be decoded (${detail}).`)
  }
}

/** Reads and decodes a photo from disk. */
export async function decodeFile(path: string, limits: Partial<DecodeLimits> = {}): Promise<DecodedImage> {
  const maxBytes = limits.maxBytes ?? DEFAULT_DECODE_LIMITS.maxBytes
  const name = basename(path)
  const bytes = await readPhotoFile(path, maxBytes)
  return decodeImage(bytes, name, limits)
}

/** What a path that is not a regular file is, in words (reading a FIFO or a device would hang or never end). */
export function notAFileKind(info: Stats): string {
  if (info.isDirectory()) return 'a folder'
  if (info.isFIFO()) return 'a named pipe (FIFO)'
  if (info.isSocket()) return 'a socket'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device'
  return 'not a regular file'
}

/** Reads a file, refusing missing paths, folders and files above `maxBytes` before reading them. */
export async function readPhotoFile(path: string, maxBytes: number = DEFAULT_DECODE_LIMITS.maxBytes): Promise<Uint8Array> {
  const name = basename(path)
  let size: number
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new SmilecamError('NOT_AN_IMAGE', `"${path}" is ${notAFileKind(info)}, not a photo file.`)
    size = info.size
  } catch (error) {
    if (error instanceof SmilecamError) throw error
    throw new SmilecamError('FILE_NOT_FOUND', `No file at "${path}".`)
  }
  if (size > maxBytes) {
    throw new SmilecamError('IMAGE_TOO_LARGE', `"${name}" is ${megabytes(size)}; photos up to ${megabytes(maxBytes)} can be audited.`)
  }
  try {
    return new Uint8Array(await readFile(path))
  } catch {
    throw new SmilecamError('FILE_NOT_FOUND', `"${path}" could not be read.`)
  }
}
