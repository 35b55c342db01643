/** Pure naming rules for capture files. */

export const CAPTURE_PREFIX = 'smilecam'
export const MAX_CAPTURE_NAME_LENGTH = 128
const CAPTURE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._ -]*\.(jpe?g|png)$/i

export type CaptureMimeType = 'image/jpeg' | 'image/png'

export function extensionFor(mimeType: CaptureMimeType): 'jpg' | 'png' {
  return mimeType === 'image/png' ? 'png' : 'jpg'
}

export function mimeTypeForName(name: string): CaptureMimeType {
  return /\.png$/i.test(name) ? 'image/png' : 'image/jpeg'
}

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}

/** `smilecam-2026-11-21_10-15-30` in local time (what the user sees on their clock). */
export function captureBaseName(date: Date): string {
  const day = `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`
  const time = `${pad2(date.getHours())}-${pad2(date.getMinutes())}-${pad2(date.getSeconds())}`
  return `${CAPTURE_PREFIX}-${day}_${time}`
}

/** attempt 0 -> `base.jpg`, 1 -> `base-1.jpg`, 2 -> `base-2.jpg` … */
export function captureFileName(baseName: string, extension: string, attempt: number): string {
  return attempt === 0 ? `${baseName}.${extension}` : `${baseName}-${attempt}.${extension}`
}

/**
 * A plain file name inside the captures folder: no separators, no `..`, no
 * hidden files, an image extension. Anything else could reach outside the folder.
 */
export function isValidCaptureName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name.length <= MAX_CAPTURE_NAME_LENGTH &&
    CAPTURE_NAME_PATTERN.test(name) &&
    !name.includes('..')
  )
}
