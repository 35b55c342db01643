/** Names of the files an audit saves. */
import { basename, extname } from 'node:path'

/** A file-name-safe base name for saved outputs: "photo.jpg" -> "photo", a URL -> its last path part. */
export function outputBaseName(source: string): string {
  let name = basename(source, extname(source))
  if (/^https?:\/\//i.test(source)) {
    try {
      const url = new URL(source)
      const parts = url.pathname.split('/').filter(Boolean)
      const last = parts[parts.length - 1]
      name = last ? basename(last, extname(last)) : url.hostname
    } catch {
      name = 'photo'
    }
  }
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80)
  return safe || 'photo'
}
