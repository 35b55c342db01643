/**
 * The guarded HTTP plumbing shared by the LinkedIn profile flow and plain image-URL downloads:
 * counted manual redirects, one deadline per request, streamed bodies capped at `maxBytes`,
 * image checks by content-type and by magic bytes, and every failure mapped to a typed error.
 *
 * Nothing here logs, and no message includes headers, cookies or query strings.
 */
import { SmilecamError } from '../../shared/errors'
import { linkedInErrors } from '../linkedin/messages'
import { sniffImageType, type ImageMimeType } from '../../shared/image-type'
import { createPublicFetch, type FetchLike, type FetchResponse } from './public-fetch'

export type { FetchLike, FetchResponse } from './public-fetch'

export { sniffImageType, type ImageMimeType } from '../../shared/image-type'

export interface GuardedFetchOptions {
  /** Default: `createPublicFetch`, which connects to public internet addresses only. */
  fetchImpl?: FetchLike
  /** Test-only, for the default fetch: origins of local fixture servers it may connect to. */
  privateOriginsForTests?: readonly string[]
  /** Per request (page or image), including reading the body. */
  timeoutMs?: number
  /** Largest body accepted; reading stops as soon as it is exceeded. */
  maxBytes?: number
  maxRedirects?: number
  /** `follow` lets the fetch implementation follow redirects itself (Electron's network stack). */
  redirect?: 'manual' | 'follow'
  /** Cancels the request (-> CANCELLED). */
  signal?: AbortSignal
}

export const GUARDED_FETCH_DEFAULTS = {
  timeoutMs: 20_000,
  maxBytes: 20 * 1024 * 1024,
  maxRedirects: 8,
  redirect: 'manual'
} as const satisfies Required<Omit<GuardedFetchOptions, 'fetchImpl' | 'signal' | 'privateOriginsForTests'>>

export type ResolvedFetchOptions = Required<Omit<GuardedFetchOptions, 'signal' | 'privateOriginsForTests'>> & { signal?: AbortSignal }

export function resolveFetchOptions(options: GuardedFetchOptions): ResolvedFetchOptions {
  const resolved = {
    fetchImpl: options.fetchImpl ?? createPublicFetch({ privateOriginsForTests: options.privateOriginsForTests }),
    timeoutMs: options.timeoutMs ?? GUARDED_FETCH_DEFAULTS.timeoutMs,
    maxBytes: options.maxBytes ?? GUARDED_FETCH_DEFAULTS.maxBytes,
    maxRedirects: options.maxRedirects ?? GUARDED_FETCH_DEFAULTS.maxRedirects,
    redirect: options.redirect ?? GUARDED_FETCH_DEFAULTS.redirect,
    signal: options.signal
  }
  for (const key of ['timeoutMs', 'maxBytes'] as const) {
    if (!Number.isFinite(resolved[key]) || resolved[key] <= 0) {
      throw new SmilecamError('INVALID_INPUT', `${key} must be a positive number.`)
    }
  }
  if (!Number.isInteger(resolved.maxRedirects) || resolved.maxRedirects < 0) {
    throw new SmilecamError('INVALID_INPUT', 'maxRedirects must be a whole number >= 0.')
  }
  return resolved
}

/** Host name for messages (never the path or query of a signed URL). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'the server'
  }
}

/** A timer plus the caller's cancel signal, so an abort can be told apart as TIMEOUT or CANCELLED. */
export interface Deadline {
  signal: AbortSignal
  readonly timedOut: boolean
  readonly cancelled: boolean
  dispose(): void
}

export function createDeadline(timeoutMs: number, outer?: AbortSignal): Deadline {
  const controller = new AbortController()
  let timedOut = false
  let cancelled = false
  const onOuterAbort = () => {
    cancelled = true
    controller.abort()
  }
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, timeoutMs)
  if (outer?.aborted) onOuterAbort()
  else outer?.addEventListener('abort', onOuterAbort, { once: true })
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut
    },
    get cancelled() {
      return cancelled
    },
    dispose() {
      clearTimeout(timer)
      outer?.removeEventListener('abort', onOuterAbort)
    }
  }
}

/** Socket/DNS error codes (Node) and Chromium net errors (Electron) in words. */
const NETWORK_REASONS: Array<[RegExp, string]> = [
  [/ECONNREFUSED|CONNECTION_REFUSED/, 'the connection was refused'],
  [/ENOTFOUND|EAI_AGAIN|NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED/, 'the server name could not be resolved (are you offline?)'],
  [/ECONNRESET|EPIPE|UND_ERR_SOCKET|CONNECTION_RESET|CONNECTION_CLOSED|EMPTY_RESPONSE/, 'the connection was closed unexpectedly'],
  [/INTERNET_DISCONNECTED|ENETUNREACH|EHOSTUNREACH|ADDRESS_UNREACHABLE/, 'the network is unreachable (are you offline?)'],
  [/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/, 'its security certificate could not be verified']
]

function errorCodes(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { code, name, message } = current as { code?: unknown; name?: unknown; message?: unknown }
    for (const part of [code, name, message]) if (typeof part === 'string') parts.push(part)
    current = (current as { cause?: unknown }).cause
  }
  return parts.join(' ')
}

/**
 * Maps error codes (Node's `ECONNREFUSED`, undici's `UND_ERR_*`, Chromium's `net::ERR_*`) to a typed
 * error. Only known codes are matched; raw messages never reach the user, so nothing from the
 * request can leak into the message.
 */
export function networkErrorFromCodes(codes: string, url: string, what: string, timeoutMs: number): SmilecamError {
  if (/UND_ERR_CONNECT_TIMEOUT|ETIMEDOUT|TIMED_OUT/.test(codes)) return linkedInErrors.timeout(what, timeoutMs)
  if (/TOO_MANY_REDIRECTS|redirect count exceeded/i.test(codes)) return linkedInErrors.redirectLoop(hostOf(url), 20)
  const reason = NETWORK_REASONS.find(([pattern]) => pattern.test(codes))?.[1] ?? 'the request failed'
  return linkedInErrors.network(hostOf(url), reason)
}

/** Maps anything a fetch threw to a typed error (deadline aborts become TIMEOUT or CANCELLED). */
export function mapFetchError(error: unknown, deadline: Deadline, url: string, what: string, timeoutMs: number): SmilecamError {
  if (error instanceof SmilecamError) return error
  if (deadline.timedOut) return linkedInErrors.timeout(what, timeoutMs)
  if (deadline.cancelled) return linkedInErrors.cancelled()
  return networkErrorFromCodes(errorCodes(error), url, what, timeoutMs)
}

/** Drops a body we will not read, so the connection is released. */
export async function discardBody(response: FetchResponse): Promise<void> {
  try {
    await response.body?.cancel()
  } catch {
    // already closed
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

export interface RedirectHooks {
  /** Request headers for each hop (cookies only where they belong). */
  headersFor?: (url: string) => Record<string, string>
  /** Called with every URL before it is requested (the start URL and each redirect target); may throw. */
  beforeRequest?: (url: string, hop: number) => void
}

/** Fetches `url`, following at most `maxRedirects` redirects by hand (REDIRECT_LOOP beyond). */
export async function fetchFollowingRedirects(
  url: string,
  options: ResolvedFetchOptions,
  signal: AbortSignal,
  hooks: RedirectHooks = {}
): Promise<{ response: FetchResponse; url: string }> {
  let current = url
  for (let hop = 0; ; hop++) {
    hooks.beforeRequest?.(current, hop)
    const response = await options.fetchImpl(current, {
      redirect: options.redirect,
      signal,
      headers: hooks.headersFor?.(current) ?? {}
    })
    if (options.redirect === 'follow') {
      const finalUrl = response.url || current
      if (finalUrl !== current) hooks.beforeRequest?.(finalUrl, hop + 1)
      return { response, url: finalUrl }
    }
    const location = response.headers.get('location')
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return { response, url: current }
    await discardBody(response)
    if (hop >= options.maxRedirects) throw linkedInErrors.redirectLoop(hostOf(url), hop + 1)
    let next: URL
    try {
      next = new URL(location, current)
    } catch {
      throw linkedInErrors.network(hostOf(current), 'it redirected to an invalid address')
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:') {
      throw linkedInErrors.network(hostOf(current), 'it redirected to a non-web address')
    }
    current = next.href
  }
}

/**
 * Reads a body, stopping (and cancelling the stream) as soon as it exceeds `maxBytes`, so a huge
 * response is never buffered. A declared Content-Length over the limit is refused before reading.
 */
export async function readBodyLimited(response: FetchResponse, maxBytes: number, tooLarge: () => SmilecamError): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await discardBody(response)
    throw tooLarge()
  }
  if (!response.body) return new Uint8Array(0)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/** Content types a photo download may carry: any raster image/*, or none/octet-stream (then the bytes decide). */
export function describeNonImageContentType(contentType: string | null): string | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase()
  if (type === '' || type === 'application/octet-stream' || type === 'binary/octet-stream') return null
  if (type === 'image/svg+xml') return 'it is an SVG drawing, not a photo'
  if (type.startsWith('image/')) return null
  return `the server sent ${type}`
}

export interface DownloadedImage {
  bytes: Uint8Array
  mimeType: ImageMimeType
  /** Where the bytes came from after redirects (may be a signed URL: do not show or log it). */
  url: string
}

/**
 * Downloads one image with every guard: status, content-type, size cap (streamed), magic bytes.
 * `headersFor` decides per hop which headers go out.
 */
export async function downloadImage(
  url: string,
  options: ResolvedFetchOptions,
  headersFor?: (url: string) => Record<string, string>
): Promise<DownloadedImage> {
  const deadline = createDeadline(options.timeoutMs, options.signal)
  let current = url
  try {
    const fetched = await fetchFollowingRedirects(url, options, deadline.signal, {
      headersFor,
      beforeRequest: (next) => {
        current = next
      }
    })
    const { response } = fetched
    current = fetched.url
    const host = hostOf(current)
    if (response.status < 200 || response.status > 299) {
      await discardBody(response)
      if (response.status === 404 || response.status === 410) {
        throw linkedInErrors.network(host, `there is no image at that address (HTTP ${response.status})`)
      }
      throw linkedInErrors.httpStatus(host, response.status)
    }
    const contentTypeProblem = describeNonImageContentType(response.headers.get('content-type'))
    if (contentTypeProblem) {
      await discardBody(response)
      throw linkedInErrors.notImage(host, contentTypeProblem)
    }
    const bytes = await readBodyLimited(response, options.maxBytes, () => linkedInErrors.tooLarge(host, options.maxBytes))
    const mimeType = sniffImageType(bytes)
    if (!mimeType) {
      throw linkedInErrors.notImage(host, bytes.length === 0 ? 'the response was empty' : 'its content is not a JPEG, PNG, WebP, GIF, TIFF or AVIF image')
    }
    return { bytes, mimeType, url: current }
  } catch (error) {
    throw mapFetchError(error, deadline, current, `Downloading the image from ${hostOf(current)}`, options.timeoutMs)
  } finally {
    deadline.dispose()
  }
}
