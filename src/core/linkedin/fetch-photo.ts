/**
 * Headless LinkedIn flow (CLI, browser mode) and plain image-URL downloads for the audit.
 *
 * A profile is fetched with plain HTTPS (optionally with the user's own `li_at` cookie, sent to
 * LinkedIn hosts only), its photo URL extracted and downloaded at once. The cookie never appears in
 * errors, logs or reports.
 */
import type { AuditProgress } from '../../shared/audit'
import { SmilecamError } from '../../shared/errors'
import { analyzeProfilePage } from './extract'
import {
  createDeadline,
  discardBody,
  downloadImage,
  fetchFollowingRedirects,
  hostOf,
  mapFetchError,
  readBodyLimited,
  resolveFetchOptions,
  type GuardedFetchOptions,
  type ImageMimeType,
  type ResolvedFetchOptions
} from '../net/guarded-fetch'
import { linkedInErrors } from './messages'
import {
  PROFILE_URL_EXAMPLE,
  displayUrl,
  isLinkedInHost,
  isLinkedInUrl,
  isNotFoundUrl,
  isSignInUrl,
  mayCarryLinkedInCookie,
  parseProfileUrl,
  withScheme,
  type AllowedOrigins
} from './url'

export type ProgressListener = (progress: AuditProgress) => void

export interface ProfilePhotoOptions extends GuardedFetchOptions {
  /** The user's own LinkedIn session cookie: `li_at=VALUE` or just `VALUE`. */
  cookie?: string
  /** Largest profile page accepted (default 8 MB). */
  maxPageBytes?: number
  /** Test-only origins treated like LinkedIn (e.g. the fixture server). */
  allowedOrigins?: AllowedOrigins
  onProgress?: ProgressListener
}

export interface FetchedProfilePhoto {
  bytes: Uint8Array
  mimeType: ImageMimeType
  /** The signed photo URL (expires; never show it in reports or logs). */
  photoUrl: string
  /** Canonical profile URL, fit for reports. */
  profileUrl: string
}

/** Fetches a LinkedIn profile photo another way (the in-app sign-in window). */
export interface LinkedInPhotoFetcher {
  fetchProfilePhoto(
    profileUrl: string,
    options: { onProgress?: ProgressListener; signal?: AbortSignal }
  ): Promise<FetchedProfilePhoto>
}

export const DEFAULT_MAX_PAGE_BYTES = 8 * 1024 * 1024

/** How far through the whole audit each LinkedIn step is (the audit service continues from there). */
export const LINKEDIN_PROGRESS = {
  fetch: 0.02,
  'sign-in': 0.05,
  download: 0.1
} as const

export function progressStep(step: keyof typeof LINKEDIN_PROGRESS, message: string): AuditProgress {
  return { step, fraction: LINKEDIN_PROGRESS[step], message }
}

/** A browser-like user agent that still names the app; LinkedIn answers bare clients with 999 at once. */
const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Smilecam/0.1'

const PAGE_HEADERS = {
  'user-agent': USER_AGENT,
  accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
  'accept-language': 'en-US,en;q=0.8'
}

const IMAGE_HEADERS = {
  'user-agent': USER_AGENT,
  accept: 'image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8'
}

/**
 * Normalises the user's cookie option to `li_at=VALUE`. Throws INVALID_INPUT (without echoing the
 * value) when it could smuggle other headers or cookies.
 */
export function normalizeLinkedInCookie(raw: string): string {
  const value = raw.trim().replace(/^li_at=/i, '')
  if (value === '' || !/^[\x21-\x7e]+$/.test(value) || /[;,"\\=]/.test(value.replace(/=+$/, ''))) {
    throw linkedInErrors.badCookie()
  }
  return `li_at=${value}`
}

/** Headers for one request: the cookie only ever goes to LinkedIn over https (or the explicit test origin). */
function headersWithCookie(
  base: Record<string, string>,
  cookie: string | undefined,
  allowedOrigins: AllowedOrigins
): (url: string) => Record<string, string> {
  return (url) => {
    if (cookie !== undefined && mayCarryLinkedInCookie(new URL(url), allowedOrigins)) return { ...base, cookie }
    return { ...base }
  }
}

/** Status of the profile page response -> typed error (null = fine). */
export function profileStatusError(status: number, profileUrl: string): SmilecamError | null {
  if (status >= 200 && status <= 299) return null
  if (status === 999 || status === 429 || status === 403) return linkedInErrors.blocked(status)
  if (status === 404 || status === 410) return linkedInErrors.profileNotFound(profileUrl)
  if (status === 401) return linkedInErrors.signInRequired()
  return linkedInErrors.httpStatus(hostOf(profileUrl), status)
}

async function fetchProfilePage(
  profileUrl: string,
  options: ResolvedFetchOptions,
  maxPageBytes: number,
  headersFor: (url: string) => Record<string, string>,
  allowedOrigins: AllowedOrigins
): Promise<{ html: string; url: string }> {
  const deadline = createDeadline(options.timeoutMs, options.signal)
  try {
    const { response, url } = await fetchFollowingRedirects(profileUrl, options, deadline.signal, {
      headersFor,
      beforeRequest: (next, hop) => {
        if (hop === 0) return
        if (isSignInUrl(next, allowedOrigins)) throw linkedInErrors.signInRequired()
        if (isNotFoundUrl(next, allowedOrigins)) throw linkedInErrors.profileNotFound(profileUrl)
      }
    })
    const statusError = profileStatusError(response.status, profileUrl)
    if (statusError) {
      await discardBody(response)
      throw statusError
    }
    const bytes = await readBodyLimited(response, maxPageBytes, () => linkedInErrors.pageTooLarge(hostOf(url), maxPageBytes))
    return { html: new TextDecoder().decode(bytes), url }
  } catch (error) {
    throw mapFetchError(error, deadline, profileUrl, 'Loading the LinkedIn profile', options.timeoutMs)
  } finally {
    deadline.dispose()
  }
}

/**
 * Headless: loads the profile page, finds the photo and downloads it.
 * Errors: INVALID_URL, INVALID_INPUT (cookie), PROFILE_NOT_FOUND, SIGN_IN_REQUIRED, BLOCKED,
 * NO_PROFILE_PHOTO, REDIRECT_LOOP, TIMEOUT, CANCELLED, NETWORK_ERROR, RESPONSE_NOT_IMAGE, RESPONSE_TOO_LARGE.
 */
export async function fetchProfilePhoto(profileUrl: string, options: ProfilePhotoOptions = {}): Promise<FetchedProfilePhoto> {
  const profile = parseProfileUrl(profileUrl, options.allowedOrigins)
  const cookie = options.cookie === undefined || options.cookie === '' ? undefined : normalizeLinkedInCookie(options.cookie)
  const resolved = resolveFetchOptions(options)
  const maxPageBytes = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES

  options.onProgress?.(progressStep('fetch', `Opening the LinkedIn profile ${profile.slug}…`))
  const page = await fetchProfilePage(
    profile.url,
    resolved,
    maxPageBytes,
    headersWithCookie(PAGE_HEADERS, cookie, options.allowedOrigins),
    options.allowedOrigins
  )
  const analysis = analyzeProfilePage(page.html, page.url, options.allowedOrigins)
  if (analysis.kind === 'sign-in') throw linkedInErrors.signInRequired()
  if (analysis.kind === 'no-photo') throw linkedInErrors.noProfilePhoto()
  if (analysis.kind === 'unknown') throw linkedInErrors.photoNotFoundOnPage()

  options.onProgress?.(progressStep('download', 'Downloading the profile photo…'))
  const image = await downloadImage(
    analysis.photoUrl,
    resolved,
    headersWithCookie(IMAGE_HEADERS, cookie, options.allowedOrigins)
  )
  return { bytes: image.bytes, mimeType: image.mimeType, photoUrl: image.url, profileUrl: profile.url }
}

export interface FetchedImage {
  bytes: Uint8Array
  mimeType: ImageMimeType
  /** The URL without query string or fragment, fit for reports. */
  name: string
}

/** Parses a plain http(s) image address (scheme optional); INVALID_URL otherwise. */
export function parseImageUrl(input: string): URL {
  let url: URL | null = null
  try {
    url = new URL(withScheme(input))
  } catch {
    url = null
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new SmilecamError(
      'INVALID_URL',
      `Paste a LinkedIn profile URL (like ${PROFILE_URL_EXAMPLE}) or a web address of an image (https://…).`
    )
  }
  return url
}

/** Downloads a plain image URL with the same guards as the profile photo. No cookie is ever sent. */
export async function fetchImageUrl(
  url: string,
  options: GuardedFetchOptions & { onProgress?: ProgressListener } = {}
): Promise<FetchedImage> {
  const parsed = parseImageUrl(url)
  const resolved = resolveFetchOptions(options)
  options.onProgress?.(progressStep('download', `Downloading the image from ${parsed.host}…`))
  const image = await downloadImage(parsed.href, resolved, () => ({ ...IMAGE_HEADERS }))
  return { bytes: image.bytes, mimeType: image.mimeType, name: displayUrl(parsed.href) }
}

export type AuditUrlKind = { kind: 'profile'; url: string } | { kind: 'image'; url: string }

/**
 * What an audit URL is: a LinkedIn profile, another LinkedIn page (refused with the profile hint),
 * or any other http(s) address (an image).
 */
export function classifyAuditUrl(input: string, allowedOrigins?: AllowedOrigins): AuditUrlKind {
  const url = parseImageUrl(input)
  const testOrigin = isLinkedInUrl(url, allowedOrigins) && !isLinkedInHost(url.hostname)
  if (isLinkedInHost(url.hostname) || (testOrigin && url.pathname.startsWith('/in/'))) {
    return { kind: 'profile', url: parseProfileUrl(input, allowedOrigins).url }
  }
  return { kind: 'image', url: url.href }
}

export interface PhotoForAuditOptions extends ProfilePhotoOptions {
  /** The in-app sign-in window; when given it handles LinkedIn profiles instead of the headless flow. */
  inApp?: LinkedInPhotoFetcher
}

export interface PhotoForAudit {
  bytes: Uint8Array
  mimeType: ImageMimeType
  /** For the report's `source`: the canonical profile URL or the image URL without its query. */
  name: string
}

/**
 * The audit service's entry point for `{ kind: 'url' }` sources: LinkedIn profile -> profile flow
 * (in-app fetcher if given, else headless), other http(s) URL -> plain image download, else INVALID_URL.
 */
export async function fetchPhotoForAudit(url: string, options: PhotoForAuditOptions = {}): Promise<PhotoForAudit> {
  const target = classifyAuditUrl(url, options.allowedOrigins)
  if (target.kind === 'image') {
    const image = await fetchImageUrl(target.url, options)
    return { bytes: image.bytes, mimeType: image.mimeType, name: image.name }
  }
  const photo = options.inApp
    ? await options.inApp.fetchProfilePhoto(target.url, { onProgress: options.onProgress, signal: options.signal })
    : await fetchProfilePhoto(target.url, options)
  return { bytes: photo.bytes, mimeType: photo.mimeType, name: photo.profileUrl }
}
