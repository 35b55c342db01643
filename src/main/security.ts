/**
 * Security policy of the app as pure functions: which permission requests are
 * granted, where the window may navigate (the CSP is in src/shared/csp.ts). Electron wiring lives
 * in index.ts/window.ts; the rules are tested here without Electron.
 */

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
