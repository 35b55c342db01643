import { describe, expect, it } from 'vitest'
import { SmilecamError } from '../../../src/shared/errors'
import {
  createDeadline,
  describeNonImageContentType,
  hostOf,
  networkErrorFromCodes,
  readBodyLimited,
  resolveFetchOptions
} from '../../../src/core/net/guarded-fetch'

describe('describeNonImageContentType', () => {
  it('lets images and unlabeled bodies through (the bytes decide) and names the rest', () => {
    expect(describeNonImageContentType('image/jpeg')).toBeNull()
    expect(describeNonImageContentType('IMAGE/WEBP; charset=binary')).toBeNull()
    expect(describeNonImageContentType(null)).toBeNull()
    expect(describeNonImageContentType('application/octet-stream')).toBeNull()
    expect(describeNonImageContentType('text/html; charset=utf-8')).toBe('the server sent text/html')
    expect(describeNonImageContentType('image/svg+xml')).toMatch(/SVG/)
  })
})

describe('readBodyLimited', () => {
  const tooLarge = () => new SmilecamError('RESPONSE_TOO_LARGE', 'too large')

  it('reads a body within the limit', async () => {
    const body = await readBodyLimited(new Response(new Uint8Array([1, 2, 3])), 3, tooLarge)
    expect([...body]).toEqual([1, 2, 3])
  })

  it('refuses a declared Content-Length over the limit without reading', async () => {
    let pulled = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        controller.enqueue(new Uint8Array(1024))
      }
    })
    const response = new Response(stream, { headers: { 'content-length': String(10 * 1024 * 1024) } })
    await expect(readBodyLimited(response, 1024, tooLarge)).rejects.toThrow('too large')
    expect(pulled).toBeLessThanOrEqual(1) // a stream may pre-pull one chunk, never the body
  })

  it('stops an endless stream just past the limit and cancels it', async () => {
    let pulled = 0
    let cancelled = false
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        controller.enqueue(new Uint8Array(1000))
      },
      cancel() {
        cancelled = true
      }
    })
    await expect(readBodyLimited(new Response(stream), 10_000, tooLarge)).rejects.toThrow('too large')
    expect(cancelled).toBe(true)
    expect(pulled).toBeLessThan(15)
  })
})

describe('deadline and error mapping', () => {
  it('tells a timeout from a cancel', async () => {
    const timed = createDeadline(10)
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect([timed.signal.aborted, timed.timedOut, timed.cancelled]).toEqual([true, true, false])
    timed.dispose()

    const outer = new AbortController()
    const cancelled = createDeadline(10_000, outer.signal)
    outer.abort()
    expect([cancelled.signal.aborted, cancelled.timedOut, cancelled.cancelled]).toEqual([true, false, true])
    cancelled.dispose()

    const already = createDeadline(10_000, AbortSignal.abort())
    expect(already.cancelled).toBe(true)
    already.dispose()
  })

  it('maps Chromium net errors (Electron) too', () => {
    const url = 'https://www.linkedin.com/in/x'
    expect(networkErrorFromCodes('net::ERR_TOO_MANY_REDIRECTS', url, 'x', 1000).code).toBe('REDIRECT_LOOP')
    expect(networkErrorFromCodes('ERR_TIMED_OUT', url, 'x', 1000).code).toBe('TIMEOUT')
    expect(networkErrorFromCodes('ERR_NAME_NOT_RESOLVED', url, 'x', 1000).message).toContain('www.linkedin.com')
    expect(networkErrorFromCodes('ERR_INTERNET_DISCONNECTED', url, 'x', 1000).message).toContain('offline')
  })

  it('names hosts only', () => {
    expect(hostOf('https://media.licdn.com/dms/image/x?t=signature')).toBe('media.licdn.com')
    expect(hostOf('not a url')).toBe('the server')
  })

  it('validates options', () => {
    expect(() => resolveFetchOptions({ timeoutMs: 0 })).toThrow(SmilecamError)
    expect(() => resolveFetchOptions({ maxBytes: Number.NaN })).toThrow(SmilecamError)
    expect(() => resolveFetchOptions({ maxRedirects: -1 })).toThrow(SmilecamError)
    expect(resolveFetchOptions({}).maxRedirects).toBe(8)
  })
})
