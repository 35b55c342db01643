/** Sample photos shipped by an npm package (@vladmandic/face-api demo), decoded with sharp for tests. */
import sharp, { type Sharp } from 'sharp'
import type { RgbaImage } from '../../../src/shared/vision'

export const SAMPLE_IMAGES = [1, 2, 3, 4, 5, 6].map((i) => `node_modules/@vladmandic/face-api/demo/sample${i}.jpg`)

/** Decodes to RGBA; with only a width the aspect ratio is kept, with both the image is stretched. */
export async function loadRgba(path: string, width?: number, height?: number, transform?: (s: Sharp) => Sharp): Promise<RgbaImage> {
  let pipeline = sharp(path)
  if (width) pipeline = pipeline.resize(width, height, { fit: height ? 'fill' : 'cover' })
  if (transform) pipeline = transform(pipeline)
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
}
