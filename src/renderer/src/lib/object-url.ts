/** Encoded image bytes -> object URL for <img>; the caller revokes it. */
import type { EncodedImage } from '../../../shared/audit'

export function encodedImageUrl(image: { data: Uint8Array; mimeType: EncodedImage['mimeType'] | string }): string {
  return URL.createObjectURL(new Blob([image.data as Uint8Array<ArrayBuffer>], { type: image.mimeType }))
}
