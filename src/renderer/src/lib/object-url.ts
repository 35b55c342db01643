/** Encoded image bytes -> object URL for <img>; the caller revokes it. */
import type { EncodedImage } from '../../../shared/audit'

export function encodedImageUrl(image: Pick<EncodedImage, 'data' | 'mimeType'>): string {
  return URL.createObjectURL(new Blob([image.data as Uint8Array<ArrayBuffer>], { type: image.mimeType }))
}
