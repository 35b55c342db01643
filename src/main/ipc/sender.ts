/**
 * Who may call the main process: only our own renderer page. Pure, so the
 * rule is tested without Electron.
 */
import { RENDERER_PAGE_URL } from '../renderer-protocol'

export interface RendererLocation {
  /** The electron-vite dev server URL (development only). */
  devServerUrl?: string
}

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/**
 * True when `url` (a frame URL) is our renderer: same origin as the dev
 * server in development, or exactly app://smilecam/index.html (any query or
 * hash) in production.
 */
export function isTrustedRendererUrl(url: string | undefined | null, location: RendererLocation): boolean {
  if (!url) return false
  const parsed = parse(url)
  if (!parsed) return false
  if (location.devServerUrl) {
    const dev = parse(location.devServerUrl)
    return dev !== null && (dev.protocol === 'http:' || dev.protocol === 'https:') && parsed.origin === dev.origin
  }
  const page = new URL(RENDERER_PAGE_URL)
  return parsed.protocol === page.protocol && parsed.host === page.host && parsed.pathname === page.pathname
}
