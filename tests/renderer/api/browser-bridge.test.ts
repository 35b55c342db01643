import { describe, expect, it } from 'vitest'
import { createBrowserBridge, type EventSourceLike } from '../../../src/renderer/src/api/browser-bridge'
import { SmilecamError } from '../../../src/shared/errors'
import { encodeBinaryWire } from '../../../src/shared/wire'

interface Recorded {
  url: string
  init: RequestInit
}

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

function bridgeWith(respond: (request: Recorded) => Response | Promise<Response>) {
  const requests: Recorded[] = []
  const sources: FakeEventSource[] = []
  const api = createBrowserBridge({
    baseUrl: 'http://127.0.0.1:5000',
    token: 'secret',
    fetch: (async (url: string, init: RequestInit) => {
      const request = { url, init }
      requests.push(request)
      return respond(request)
    }) as typeof fetch,
    createEventSource: (url) => {
      const source = new FakeEventSource(url)
      sources.push(source)
      return source
    }
  })
  return { api, requests, sources }
}

class FakeEventSource implements EventSourceLike {
  listeners = new Map<string, ((event: { data: string }) => void)[]>()
  closed = false
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: { data: string }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }
  emit(type: string, data: string): void {
    for (const listener of this.listeners.get(type) ?? []) listener({ data })
  }
  close(): void {
    this.closed = true
  }
}

describe('browser bridge', () => {
  it('POSTs /api/<channel> with the bearer token and $bytes-encoded args; decodes $bytes results', async () => {
    const { api, requests } = bridgeWith(() =>
      jsonResponse({ ok: true, result: { name: 'a.jpg', createdMs: 1, width: 2, height: 3 } })
    )
    const info = await api.captures.save({ data: Uint8Array.of(1, 2, 3), mimeType: 'image/jpeg' })
    expect(info.name).toBe('a.jpg')
    const [request] = requests
    expect(request.url).toBe('http://127.0.0.1:5000/api/captures:save')
    expect(request.init.method).toBe('POST')
    expect((request.init.headers as Record<string, string>).Authorization).toBe('Bearer secret')
    expect(JSON.parse(String(request.init.body))).toEqual({ args: [{ data: { $bytes: 'AQID' }, mimeType: 'image/jpeg' }] })

    const read = bridgeWith(() => jsonResponse({ ok: true, result: { mimeType: 'image/png', width: 1, height: 1, data: { $bytes: 'AQID' } } }))
    const image = await read.api.captures.read('a.jpg')
    expect(image.data).toBeInstanceOf(Uint8Array)
    expect([...image.data]).toEqual([1, 2, 3])
    expect(JSON.parse(String(read.requests[0].init.body))).toEqual({ args: ['a.jpg'] })
  })

  it('rebuilds server errors as SmilecamError with code and message', async () => {
    const { api } = bridgeWith(() => jsonResponse({ ok: false, error: { code: 'NO_FACE', message: 'No face found.' } }, 400))
    const error = await api.audit.run({ kind: 'url', url: 'https://x/y.jpg' }, {}).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SmilecamError)
    expect(error).toMatchObject({ code: 'NO_FACE', message: 'No face found.' })
  })

  it('403 without a JSON body is FORBIDDEN; a failed fetch is NETWORK_ERROR; junk is INTERNAL', async () => {
    const forbidden = bridgeWith(() => new Response('nope', { status: 403 }))
    await expect(forbidden.api.settings.get()).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const down = bridgeWith(() => Promise.reject(new TypeError('Failed to fetch')))
    await expect(down.api.settings.get()).rejects.toMatchObject({ code: 'NETWORK_ERROR' })
    const junk = bridgeWith(() => jsonResponse({ hello: 1 }, 500))
    await expect(junk.api.settings.get()).rejects.toMatchObject({ code: 'INTERNAL' })
  })

  it('sends video frames as raw bytes with the small fields in the query', async () => {
    const { api, requests } = bridgeWith(() =>
      jsonResponse({
        ok: true,
        result: {
          width: 2,
          height: 1,
          faces: [],
          timestampMs: 77,
          personMask: { width: 2, height: 1, data: { $bytes: 'AP8=' } },
          timings: { detectMs: 1, landmarksMs: 0, expressionMs: 0, segmentMs: 1, totalMs: 2 }
        }
      })
    )
    const data = new Uint8Array(8).fill(9)
    const result = await api.vision.detectForVideo({ width: 2, height: 1, data, timestampMs: 77, personMask: true, expression: false })
    const url = new URL(requests[0].url)
    expect(url.pathname).toBe('/api/vision:detectForVideo')
    expect(Object.fromEntries(url.searchParams)).toEqual({ width: '2', height: '1', timestampMs: '77', personMask: '1', expression: '0' })
    const body = requests[0].init.body
    expect(body).toBeInstanceOf(Blob)
    expect([...new Uint8Array(await (body as Blob).arrayBuffer())]).toEqual([...data])
    expect((requests[0].init.headers as Record<string, string>)['Content-Type']).toBe('application/octet-stream')
    expect([...(result?.personMask?.data ?? [])]).toEqual([0, 255])
  })

  it('asks for the binary wire for frames and reads it: the mask bytes as they came', async () => {
    const answer = { ok: true, result: { width: 2, height: 1, faces: [], timestampMs: 5, personMask: { width: 2, height: 1, data: new Uint8Array([0, 255]) }, timings: { detectMs: 0, landmarksMs: 0, expressionMs: 0, segmentMs: 1, totalMs: 1 } } }
    const { api, requests } = bridgeWith(() => new Response(encodeBinaryWire(answer), { headers: { 'Content-Type': 'application/octet-stream' } }))
    const result = await api.vision.detectForVideo({ width: 2, height: 1, data: new Uint8Array(8), timestampMs: 5, personMask: true, expression: false })
    expect((requests[0].init.headers as Record<string, string>).Accept).toBe('application/octet-stream')
    expect(result).toEqual(answer.result)
  })

  it('a binary answer that carries an error rejects with it; an unreadable one is INTERNAL', async () => {
    const failing = bridgeWith(() => new Response(encodeBinaryWire({ ok: false, error: { code: 'ENGINE_FAILED', message: 'host died' } }), { headers: { 'Content-Type': 'application/octet-stream' } }))
    const frame = { width: 1, height: 1, data: new Uint8Array(4), timestampMs: 1, personMask: false, expression: false }
    await expect(failing.api.vision.detectForVideo(frame)).rejects.toMatchObject({ code: 'ENGINE_FAILED', message: 'host died' })
    const broken = bridgeWith(() => new Response(new Uint8Array([9, 0, 0, 0, 1]), { headers: { 'Content-Type': 'application/octet-stream' } }))
    await expect(broken.api.vision.detectForVideo(frame)).rejects.toMatchObject({ code: 'INTERNAL' })
  })

  it('sends virtual-camera frames as raw bytes with the size in the query', async () => {
    const { api, requests } = bridgeWith(() => jsonResponse({ ok: true, result: true }))
    const data = new Uint8Array(16).fill(3)
    expect(await api.vcam.frame({ width: 2, height: 2, data })).toBe(true)
    const url = new URL(requests[0].url)
    expect(url.pathname).toBe('/api/vcam:frame')
    expect(Object.fromEntries(url.searchParams)).toEqual({ width: '2', height: '2' })
    expect([...new Uint8Array(await (requests[0].init.body as Blob).arrayBuffer())]).toEqual([...data])
  })

  it('a dropped frame resolves null', async () => {
    const { api } = bridgeWith(() => jsonResponse({ ok: true, result: null }))
    expect(await api.vision.detectForVideo({ width: 1, height: 1, data: new Uint8Array(4), timestampMs: 1, personMask: false, expression: false })).toBeNull()
  })

  it('progress events: one EventSource with ?token=, decoded payloads, closed after the last unsubscribe', () => {
    const { api, sources } = bridgeWith(() => jsonResponse({ ok: true }))
    const seen: number[] = []
    const stopA = api.audit.onProgress((progress) => seen.push(progress.fraction))
    const stopB = api.audit.onProgress((progress) => seen.push(progress.fraction * 10))
    expect(sources).toHaveLength(1)
    expect(sources[0].url).toBe('http://127.0.0.1:5000/api/events?token=secret')
    sources[0].emit('audit:progress', JSON.stringify({ step: 'detect', fraction: 0.5, message: 'Finding faces' }))
    sources[0].emit('audit:progress', '{not json')
    expect(seen).toEqual([0.5, 5])
    stopA()
    expect(sources[0].closed).toBe(false)
    stopB()
    expect(sources[0].closed).toBe(true)
    api.audit.onProgress(() => undefined)
    expect(sources).toHaveLength(2)
  })
})
