/** Encodes a full-resolution frame (video or the composited canvas) as JPEG bytes. */

export async function encodeJpeg(
  source: CanvasImageSource,
  width: number,
  height: number,
  quality = 0.92
): Promise<Uint8Array> {
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const context = canvas.getContext('2d')
  if (!context) throw new Error('Canvas 2D is not available')
  context.drawImage(source, 0, 0, width, height)
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality))
  if (!blob) throw new Error('The frame could not be encoded as JPEG')
  return new Uint8Array(await blob.arrayBuffer())
}
