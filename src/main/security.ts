/**
 * Security policy of the app as pure functions: the CSP, which permission
 * requests are granted, where the window may navigate. Electron wiring lives
 * in index.ts/window.ts; the rules are tested here without Electron.
 */

/** The renderer's policy (also the <meta> in src/renderer/index.html). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:"
].join('; ')

/** As an HTTP header, with the directives a <meta> tag cannot carry. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`

export interface PermissionRequestInfo {
  /** The URL of the frame asking. */
  requestingUrl?: string
  /** For 'media' requests: what is asked for. */
  mediaTypes?: readonly string[]
  /** For 'media' checks: the single type being checked. */
  mediaType?: string
}

/**
 * The only permission Smilecam ever grants: the camera (media, video only,
 * no microphone) to our own renderer. Everything else is denied, explicitly.
 */
export function isPermissionGranted(
  permission: string,
  info: PermissionRequestInfo,
  isOurRenderer: (url: string | undefined) => boolean
): boolean {
  if (permission !== 'media') return false
  if (!isOurRenderer(info.requestingUrl)) return false
  const types = info.mediaTypes ?? (info.mediaType !== undefined ? [info.mediaType] : [])
  return types.length > 0 && types.every((type) => type === 'video')
}

/** In-window navigation is allowed only within our own renderer (e.g. a reload). */
export function isNavigationAllowed(url: string, isOurRenderer: (url: string | undefined) => boolean): boolean {
  return isOurRenderer(url)
}
