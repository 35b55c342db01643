/**
 * LinkedIn profile URL parsing and host rules (pure).
 *
 * Production accepts only LinkedIn hosts. Tests pass extra origins (e.g. the fixture server's
 * `http://127.0.0.1:PORT`) explicitly through `allowedOrigins`; nothing here reads the environment.
 */
import { SmilecamError } from '../../shared/errors'

export interface ProfileUrl {
  /** Canonical profile URL: `https://www.linkedin.com/in/<slug>` (or the allowed test origin). */
  url: string
  /** The decoded profile slug, e.g. `jane-doe-123`. */
  slug: string
}

/** Extra origins (scheme://host:port) treated like LinkedIn. Tests only. */
export type AllowedOrigins = readonly string[] | undefined

export const PROFILE_URL_EXAMPLE = 'https://www.linkedin.com/in/your-name'

const PROFILE_URL_HINT = `A LinkedIn profile URL looks like ${PROFILE_URL_EXAMPLE} (copy it from your profile page).`

/** linkedin.com, www.linkedin.com and country/language subdomains such as uk., de., fr-fr. (LinkedIn's own forms). */
const LINKEDIN_HOST = /^(?:[a-z]{2,3}(?:-[a-z]{2})?\.)?linkedin\.com$/

/** Profile slugs: letters (any script), digits, hyphens and underscores, 3..100 characters. */
const SLUG = /^[\p{L}\p{M}\p{N}_-]{3,100}$/u

/** Paths LinkedIn uses for its sign-in, sign-up and authwall pages. */
const SIGN_IN_PATH = /^\/(?:authwall|login|signup|uas\/(?:login|authenticate)|checkpoint|reg\/join)(?:[/?#]|$)/i

export function isLinkedInHost(hostname: string): boolean {
  return LINKEDIN_HOST.test(hostname.toLowerCase())
}

/** The origin of `url` normalised the way `URL.origin` writes it, or null when `url` is not a URL. */
function originOf(url: string): string | null {
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}

export function isAllowedTestOrigin(url: URL, allowedOrigins: AllowedOrigins): boolean {
  if (!allowedOrigins || allowedOrigins.length === 0) return false
  return allowedOrigins.some((origin) => originOf(origin) === url.origin)
}

/** True for LinkedIn itself (and an explicitly allowed test origin): the only places a cookie may go. */
export function isLinkedInUrl(url: URL, allowedOrigins?: AllowedOrigins): boolean {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false
  return isLinkedInHost(url.hostname) || isAllowedTestOrigin(url, allowedOrigins)
}

/**
 * Where the user's `li_at` cookie may be sent: LinkedIn over https only (never plain http, where
 * anyone on the network could read it, whatever a redirect or an og:image says), or an explicitly
 * allowed test origin.
 */
export function mayCarryLinkedInCookie(url: URL, allowedOrigins?: AllowedOrigins): boolean {
  return (url.protocol === 'https:' && isLinkedInHost(url.hostname)) || isAllowedTestOrigin(url, allowedOrigins)
}

/** Adds `https://` when the user pasted `www.linkedin.com/in/x` or `example.com/photo.jpg`. */
export function withScheme(input: string): string {
  const trimmed = input.trim()
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(trimmed)) return trimmed
  if (/^\/\//.test(trimmed)) return `https:${trimmed}`
  // host[:port]/path without a scheme
  if (/^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+(?::\d+)?(?:[/?#]|$)/u.test(trimmed)) return `https://${trimmed}`
  return trimmed
}

function parseUrl(input: string): URL | null {
  try {
    return new URL(withScheme(input))
  } catch {
    return null
  }
}

function invalidProfileUrl(what: string): SmilecamError {
  return new SmilecamError('INVALID_URL', `${what} ${PROFILE_URL_HINT}`)
}

/** Shortens user input for error messages (and never echoes a huge paste). */
function quote(input: string): string {
  const trimmed = input.trim()
  return `"${trimmed.length > 80 ? `${trimmed.slice(0, 77)}...` : trimmed}"`
}

/** Decodes a slug path segment; null when the percent-encoding is broken. */
function decodeSlug(segment: string): string | null {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

/**
 * Parses a profile URL such as `https://uk.linkedin.com/in/jane-doe/?trk=x#about` into its
 * canonical form `https://www.linkedin.com/in/jane-doe`. Throws INVALID_URL otherwise.
 */
export function parseProfileUrl(input: string, allowedOrigins?: AllowedOrigins): ProfileUrl {
  if (typeof input !== 'string' || input.trim() === '') {
    throw invalidProfileUrl('Paste a LinkedIn profile URL.')
  }
  const url = parseUrl(input)
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw invalidProfileUrl(`${quote(input)} is not a web address.`)
  }
  const testOrigin = isAllowedTestOrigin(url, allowedOrigins)
  if (!testOrigin && !isLinkedInHost(url.hostname)) {
    throw invalidProfileUrl(`${quote(input)} is not a LinkedIn address.`)
  }
  if (!testOrigin && url.port !== '') {
    throw invalidProfileUrl(`${quote(input)} is not a LinkedIn profile address.`)
  }
  const match = /^\/in\/([^/]+)\/?$/.exec(url.pathname)
  if (!match) {
    throw invalidProfileUrl(`${quote(input)} is a LinkedIn page but not a profile.`)
  }
  const slug = decodeSlug(match[1])
  if (slug === null || !SLUG.test(slug)) {
    throw invalidProfileUrl(`${quote(input)} does not contain a valid profile name.`)
  }
  const origin = testOrigin ? url.origin : 'https://www.linkedin.com'
  return { url: `${origin}/in/${encodeURIComponent(slug)}`, slug }
}

/** True when `url` is LinkedIn's sign-in, sign-up, checkpoint or authwall page. */
export function isSignInUrl(url: string, allowedOrigins?: AllowedOrigins): boolean {
  const parsed = parseUrl(url)
  if (!parsed || !isLinkedInUrl(parsed, allowedOrigins)) return false
  return SIGN_IN_PATH.test(parsed.pathname)
}

/** True when `url` is LinkedIn's "page not found" page (missing profiles redirect there). */
export function isNotFoundUrl(url: string, allowedOrigins?: AllowedOrigins): boolean {
  const parsed = parseUrl(url)
  if (!parsed || !isLinkedInUrl(parsed, allowedOrigins)) return false
  return /^\/404(?:[/?#]|$)/.test(parsed.pathname)
}

/** True when `url` is any member profile page (`/in/<slug>`), e.g. after LinkedIn renamed the slug. */
export function isProfilePageUrl(url: string, allowedOrigins?: AllowedOrigins): boolean {
  const parsed = parseUrl(url)
  if (!parsed || !isLinkedInUrl(parsed, allowedOrigins)) return false
  return /^\/in\/[^/]+\/?$/.test(parsed.pathname)
}

/** An http(s) URL for messages and report sources: no query string or fragment (signed URLs carry tokens there). */
export function displayUrl(url: string): string {
  const parsed = parseUrl(url)
  if (!parsed) return url
  return `${parsed.origin}${parsed.pathname}`
}
