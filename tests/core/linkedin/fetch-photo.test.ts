/**
 * The headless flow end to end against the LinkedIn fixture server: every error case, the cookie
 * rules, the streaming size cap, and the audit entry point.
 */
import { failure } from './expect-failure'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AuditProgress } from '../../../src/shared/audit'
import { SmilecamError } from '../../../src/shared/errors'
import {
  classifyAuditUrl,
  fetchImageUrl,
  fetchPhotoForAudit,
  fetchProfilePhoto,
  normalizeLinkedInCookie,
  profileStatusError,
  type LinkedInPhotoFetcher,
  type ProfilePhotoOptions
} from '../../../src/core/linkedin/fetch-photo'
import {
  FIXTURE_COOKIE_VALUE,
  startLinkedInFixtureServer,
  type LinkedInFixtureServer
} from '../../fixtures/linkedin/server'

/** Generous for requests that should succeed (the machine is shared); short where a timeout is the point. */
const TIMEOUT_MS = 5_000
const SHORT_TIMEOUT_MS = 400
const MAX_BYTES = 1024 * 1024
const HUGE_BYTES = 64 * 1024 * 1024
const SECRET = 'SECRET-li-at-VALUE-do-not-leak-7f3a'

let server: LinkedInFixtureServer

beforeAll(async () => {
  server = await startLinkedInFixtureServer({ slowMs: 5_000, hugeBytes: HUGE_BYTES })
})
afterAll(async () => {
  await server.close()
})
afterEach(() => {
  vi.restoreAllMocks()
})

function options(extra: Partial<ProfilePhotoOptions> = {}): ProfilePhotoOptions {
  return { allowedOrigins: [server.origin], privateOriginsForTests: server.privateOrigins, timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES, ...extra }
}

describe('fetchProfilePhoto against the fixture server', () => {
  it('downloads the largest photo of a profile and reports each step', async () => {
    const steps: AuditProgress[] = []
    const photo = await fetchProfilePhoto(`${server.origin}/in/with-photo/?trk=share#top`, options({ onProgress: (p) => steps.push(p) }))
    expect(photo.mimeType).toBe('image/jpeg')
    expect(Buffer.from(photo.bytes).equals(Buffer.from(server.photo800))).toBe(true)
    const metadata = await sharp(photo.bytes).metadata()
    expect([metadata.width, metadata.height]).toEqual([800, 800])
    expect(photo.photoUrl).toBe(`${server.mediaOrigin}/media/photo-800.jpg?e=2147483647&v=beta&t=fixture-signature_AbC123`)
    expect(photo.profileUrl).toBe(`${server.origin}/in/with-photo`)
    expect(steps.map((step) => step.step)).toEqual(['fetch', 'download'])
    expect(steps[0].fraction).toBeLessThan(steps[1].fraction)
  })

  it('follows a redirect of the photo URL', async () => {
    const photo = await fetchProfilePhoto(`${server.origin}/in/photo-redirect`, options())
    expect(photo.photoUrl).toBe(`${server.mediaOrigin}/media/photo-800.jpg`)
    expect(photo.bytes.length).toBe(server.photo800.length)
  })

  it.each([
    ['no-photo', 'NO_PROFILE_PHOTO', /no profile photo/],
    ['unknown-layout', 'NO_PROFILE_PHOTO', /could not find a profile photo/],
    ['authwall', 'SIGN_IN_REQUIRED', /sign in.*Smilecam app.*audit the file/],
    ['sign-in-page', 'SIGN_IN_REQUIRED', /sign in/],
    ['members-only', 'SIGN_IN_REQUIRED', /SMILECAM_LI_AT or with --cookie-file/],
    ['blocked', 'BLOCKED', /status 999.*sign in to LinkedIn there, or save your profile photo and audit the file/],
    ['missing', 'PROFILE_NOT_FOUND', /no profile at http:\/\/127\.0\.0\.1:\d+\/in\/missing/],
    ['renamed', 'PROFILE_NOT_FOUND', /no profile at/],
    ['redirect-loop', 'REDIRECT_LOOP', /kept redirecting/],
    ['not-image', 'RESPONSE_NOT_IMAGE', /text\/html/],
    ['fake-image', 'RESPONSE_NOT_IMAGE', /not a JPEG, PNG/],
    ['huge-photo', 'RESPONSE_TOO_LARGE', /larger than 1\.0 MB/],
    ['huge-declared', 'RESPONSE_TOO_LARGE', /larger than 1\.0 MB/]
  ])('/in/%s fails with %s', async (slug, code, message) => {
    const error = await failure(fetchProfilePhoto(`${server.origin}/in/${slug}`, options()))
    expect(error.code).toBe(code)
    expect(error.message).toMatch(message)
  })

  it('times out on a profile page slower than timeoutMs, and on a stalled photo body', async () => {
    for (const slug of ['slow', 'slow-photo']) {
      const started = performance.now()
      const error = await failure(fetchProfilePhoto(`${server.origin}/in/${slug}`, options({ timeoutMs: SHORT_TIMEOUT_MS })))
      expect(error.code).toBe('TIMEOUT')
      expect(error.message).toMatch(/took longer than 0\.4 s/)
      expect(performance.now() - started).toBeLessThan(3_000)
    }
  })

  it('stops reading a huge image early instead of buffering it', async () => {
    const before = server.hugeBytesSent()
    await failure(fetchProfilePhoto(`${server.origin}/in/huge-photo`, options()))
    await new Promise((resolve) => setTimeout(resolve, 200))
    const sent = server.hugeBytesSent() - before
    expect(sent).toBeGreaterThan(MAX_BYTES)
    expect(sent).toBeLessThan(HUGE_BYTES / 4)
  })

  it('counts redirects: gives up after maxRedirects', async () => {
    const requestsBefore = server.requests.length
    const error = await failure(fetchProfilePhoto(`${server.origin}/in/redirect-loop`, options({ maxRedirects: 3 })))
    expect(error.code).toBe('REDIRECT_LOOP')
    expect(server.requests.length - requestsBefore).toBe(4)
  })

  it('cancels on the caller signal', async () => {
    const controller = new AbortController()
    const pending = fetchProfilePhoto(`${server.origin}/in/slow`, options({ timeoutMs: 10_000, signal: controller.signal }))
    setTimeout(() => controller.abort(), 50)
    expect((await failure(pending)).code).toBe('CANCELLED')
  })

  it('maps a refused connection to NETWORK_ERROR', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const error = await failure(fetchProfilePhoto(`${origin}/in/with-photo`, { allowedOrigins: [origin], privateOriginsForTests: [origin], timeoutMs: 2_000 }))
    expect(error.code).toBe('NETWORK_ERROR')
    expect(error.message).toContain('connection was refused')
  })

  it('maps DNS, reset and certificate failures from the fetch implementation', async () => {
    const failWith = (code: string) => async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(`getaddrinfo ${code} ${SECRET}`), { code }) })
    }
    const cases: Array<[string, string, RegExp]> = [
      ['ENOTFOUND', 'NETWORK_ERROR', /could not be resolved/],
      ['ECONNRESET', 'NETWORK_ERROR', /closed unexpectedly/],
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'NETWORK_ERROR', /certificate/],
      ['UND_ERR_CONNECT_TIMEOUT', 'TIMEOUT', /took longer/]
    ]
    for (const [cause, code, message] of cases) {
      const error = await failure(fetchProfilePhoto('https://www.linkedin.com/in/jane-doe', { fetchImpl: failWith(cause) }))
      expect(error.code).toBe(code)
      expect(error.message).toMatch(message)
      expect(error.message).not.toContain(SECRET) // raw messages never pass through
    }
  })
})

describe('the li_at cookie', () => {
  it('opens a members-only profile, as li_at=VALUE or bare VALUE', async () => {
    for (const cookie of [`li_at=${FIXTURE_COOKIE_VALUE}`, ` ${FIXTURE_COOKIE_VALUE} `]) {
      const photo = await fetchProfilePhoto(`${server.origin}/in/members-only`, options({ cookie }))
      expect(photo.bytes.length).toBe(server.photo800.length)
    }
  })

  it('goes to LinkedIn only, never to the media host', async () => {
    const before = server.requests.length
    await fetchProfilePhoto(`${server.origin}/in/members-only`, options({ cookie: FIXTURE_COOKIE_VALUE }))
    const seen = server.requests.slice(before)
    expect(seen.find((request) => request.listener === 'page')?.cookie).toBe(`li_at=${FIXTURE_COOKIE_VALUE}`)
    const media = seen.filter((request) => request.listener === 'media')
    expect(media.length).toBeGreaterThan(0)
    expect(media.every((request) => request.cookie === undefined)).toBe(true)
  })

  it('is sent over https only: not on an http:// redirect hop or to an http:// og:image on LinkedIn', async () => {
    const sent: Array<{ url: string; cookie?: string }> = []
    const page = `<html><head><meta property="og:image" content="http://www.linkedin.com/dms/image/photo.jpg"></head></html>`
    const fetchImpl = async (url: string, init: RequestInit) => {
      const headers = new Headers(init.headers)
      sent.push({ url, ...(headers.get('cookie') ? { cookie: headers.get('cookie') as string } : {}) })
      if (url === 'https://www.linkedin.com/in/jane-doe') return new Response('', { status: 301, headers: { location: 'http://www.linkedin.com/in/jane-doe' } })
      if (url === 'http://www.linkedin.com/in/jane-doe') return new Response(page, { headers: { 'content-type': 'text/html' } })
      return new Response(server.photo800, { headers: { 'content-type': 'image/jpeg' } })
    }
    await fetchProfilePhoto('https://www.linkedin.com/in/jane-doe', { fetchImpl, cookie: SECRET })
    expect(sent.map((request) => request.url)).toEqual([
      'https://www.linkedin.com/in/jane-doe',
      'http://www.linkedin.com/in/jane-doe',
      'http://www.linkedin.com/dms/image/photo.jpg'
    ])
    expect(sent[0].cookie).toBe(`li_at=${SECRET}`)
    expect(sent.slice(1).every((request) => request.cookie === undefined)).toBe(true)
  })

  it('never appears in errors or logs', async () => {
    const logged: string[] = []
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')))
    }
    const slugs = ['no-photo', 'authwall', 'members-only', 'blocked', 'missing', 'redirect-loop', 'not-image', 'huge-photo', 'slow']
    for (const slug of slugs) {
      const error = await failure(fetchProfilePhoto(`${server.origin}/in/${slug}`, options({ cookie: `li_at=${SECRET}`, timeoutMs: SHORT_TIMEOUT_MS })))
      const everything = JSON.stringify({ ...error.toJSON(), stack: error.stack, string: String(error) })
      expect(everything).not.toContain(SECRET)
    }
    expect(logged.join('\n')).not.toContain(SECRET)
  })

  it('refuses values that could smuggle headers or cookies, without echoing them', () => {
    for (const bad of [`${SECRET}\r\nX-Evil: 1`, `${SECRET}; JSESSIONID=x`, 'li_at=', `"${SECRET}"`, `a b${SECRET}`]) {
      let error: unknown
      try {
        normalizeLinkedInCookie(bad)
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(SmilecamError)
      expect((error as SmilecamError).code).toBe('INVALID_INPUT')
      expect((error as SmilecamError).message).not.toContain(SECRET)
    }
    expect(normalizeLinkedInCookie('LI_AT=AQEDAR-x_y==')).toBe('li_at=AQEDAR-x_y==')
  })
})

describe('profileStatusError', () => {
  it('maps LinkedIn statuses', () => {
    const url = 'https://www.linkedin.com/in/jane-doe'
    expect(profileStatusError(200, url)).toBeNull()
    expect(profileStatusError(999, url)?.code).toBe('BLOCKED')
    expect(profileStatusError(429, url)?.code).toBe('BLOCKED')
    expect(profileStatusError(404, url)?.code).toBe('PROFILE_NOT_FOUND')
    expect(profileStatusError(410, url)?.code).toBe('PROFILE_NOT_FOUND')
    expect(profileStatusError(401, url)?.code).toBe('SIGN_IN_REQUIRED')
    expect(profileStatusError(503, url)?.code).toBe('NETWORK_ERROR')
  })
})

describe('fetchImageUrl', () => {
  it('downloads a plain image URL and names it without its query string', async () => {
    const image = await fetchImageUrl(`${server.mediaOrigin}/media/photo-800.jpg?token=abc`, { timeoutMs: TIMEOUT_MS, privateOriginsForTests: server.privateOrigins })
    expect(image.mimeType).toBe('image/jpeg')
    expect(image.bytes.length).toBe(server.photo800.length)
    expect(image.name).toBe(`${server.mediaOrigin}/media/photo-800.jpg`)
  })

  it.each([
    ['/media/not-image.jpg', 'RESPONSE_NOT_IMAGE'],
    ['/media/fake.jpg', 'RESPONSE_NOT_IMAGE'],
    ['/media/huge.jpg', 'RESPONSE_TOO_LARGE'],
    ['/media/slow.jpg', 'TIMEOUT'],
    ['/media/nothing-here.jpg', 'NETWORK_ERROR']
  ])('%s fails with %s', async (path, code) => {
    const timeoutMs = code === 'TIMEOUT' ? SHORT_TIMEOUT_MS : TIMEOUT_MS
    const error = await failure(fetchImageUrl(`${server.mediaOrigin}${path}`, { timeoutMs, maxBytes: MAX_BYTES, privateOriginsForTests: server.privateOrigins }))
    expect(error.code).toBe(code)
  })

  it('refuses what is not an http(s) address', async () => {
    for (const input of ['ftp://example.com/a.jpg', 'file:///etc/passwd', 'data:image/png;base64,AAAA', 'not a url']) {
      expect((await failure(fetchImageUrl(input))).code).toBe('INVALID_URL')
    }
  })
})

describe('fetchPhotoForAudit', () => {
  it('routes URLs: profile, other LinkedIn page, image, garbage', () => {
    expect(classifyAuditUrl('uk.linkedin.com/in/jane-doe/')).toEqual({ kind: 'profile', url: 'https://www.linkedin.com/in/jane-doe' })
    expect(classifyAuditUrl('https://media.licdn.com/dms/image/x/photo.jpg')).toEqual({
      kind: 'image',
      url: 'https://media.licdn.com/dms/image/x/photo.jpg'
    })
    expect(classifyAuditUrl('http://127.0.0.1:4000/in/x-y', ['http://127.0.0.1:4000']).kind).toBe('profile')
    expect(classifyAuditUrl('http://127.0.0.1:4000/media/a.jpg', ['http://127.0.0.1:4000']).kind).toBe('image')
    expect(() => classifyAuditUrl('https://www.linkedin.com/company/acme')).toThrow(/linkedin\.com\/in\/your-name/)
    expect(() => classifyAuditUrl('mailto:jane@example.com')).toThrow(SmilecamError)
  })

  it('audits a fixture profile headlessly, named by its profile URL', async () => {
    const photo = await fetchPhotoForAudit(`${server.origin}/in/with-photo`, options())
    expect(photo.name).toBe(`${server.origin}/in/with-photo`)
    expect(photo.bytes.length).toBe(server.photo800.length)
  })

  it('downloads a plain image URL, never sending the cookie', async () => {
    const before = server.requests.length
    const photo = await fetchPhotoForAudit(`${server.mediaOrigin}/media/photo-100.jpg`, options({ cookie: SECRET }))
    expect((await sharp(photo.bytes).metadata()).width).toBe(100)
    expect(server.requests.slice(before).every((request) => request.cookie === undefined)).toBe(true)
  })

  it('hands LinkedIn profiles to the in-app fetcher when there is one', async () => {
    const calls: string[] = []
    const inApp: LinkedInPhotoFetcher = {
      async fetchProfilePhoto(profileUrl, { onProgress }) {
        calls.push(profileUrl)
        onProgress?.({ step: 'sign-in', fraction: 0.05, message: 'Sign in' })
        return { bytes: server.photo800, mimeType: 'image/jpeg', photoUrl: 'https://media.licdn.com/x?t=signed', profileUrl }
      }
    }
    const steps: string[] = []
    const photo = await fetchPhotoForAudit('https://www.linkedin.com/in/jane-doe?trk=x', {
      inApp,
      onProgress: (progress) => steps.push(progress.step)
    })
    expect(calls).toEqual(['https://www.linkedin.com/in/jane-doe'])
    expect(steps).toEqual(['sign-in'])
    expect(photo.name).toBe('https://www.linkedin.com/in/jane-doe')
    expect(photo.name).not.toContain('signed')
  })
})
