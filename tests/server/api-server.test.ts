import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startApiServer, MAX_FRAME_BODY_BYTES, type RunningApiServer } from '../../src/server/api-server'
import type { EmitEvent } from '../../src/core/handlers'
import { SmilecamError } from '../../src/shared/errors'
import { IPC_CHANNELS, type IpcHandlers } from '../../src/shared/ipc'
import { decodeBinaryWire, decodeWire, encodeWire } from '../../src/shared/wire'
import type { VisionResult } from '../../src/shared/vision'

const TOKEN = 'a'.repeat(64)

function fakeHandlers(overrides: Partial<IpcHandlers>): IpcHandlers {
  const unused = () => {
    throw new Error('not used in this test')
  }
  return { ...(Object.fromEntries(IPC_CHANNELS.map((c) => [c, unused])) as unknown as IpcHandlers), ...overrides }
}

/** A raw request, for headers fetch will not let us set (Host) or paths it would normalise. */
function rawRequest(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('browser-mode API server', () => {
  let dir: string
  let server: RunningApiServer
  let emit: EmitEvent
  let handlers: IpcHandlers

  const maskResult: VisionResult = {
    width: 2,
    height: 2,
    faces: [],
    personMask: { width: 2, height: 1, data: new Uint8Array([0, 255]) },
    timings: { detectMs: 1, landmarksMs: 1, expressionMs: 0, segmentMs: 1, totalMs: 3 }
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smilecam-server-'))
    await mkdir(join(dir, 'web', 'assets'), { recursive: true })
    await writeFile(join(dir, 'web', 'index.html'), '<!doctype html><title>Smilecam</title>')
    await writeFile(join(dir, 'web', 'assets', 'app.js'), 'console.log(1)')
    await writeFile(join(dir, 'secret.txt'), 'do not serve')
    handlers = fakeHandlers({
      'captures:list': vi.fn(async () => []),
      'captures:delete': vi.fn(async () => undefined),
      'captures:read': vi.fn(async () => {
        throw new SmilecamError('FILE_NOT_FOUND', 'The capture a.jpg no longer exists.')
      }),
      'settings:get': vi.fn(async () => {
        throw new TypeError('disk on fire')
      }),
      'vision:detectForVideo': vi.fn(async (frame) => (frame.timestampMs === 13 ? null : maskResult)),
      'vcam:frame': vi.fn(async () => true),
      'audit:run': vi.fn(async (source) => ({ id: 'r1', source: source.kind }) as never)
    })
    server = await startApiServer({
      webRoot: join(dir, 'web'),
      token: TOKEN,
      logError: () => undefined,
      createHandlers: (e) => {
        emit = e
        return handlers
      }
    })
  })

  afterEach(async () => {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  })

  const post = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.origin}/api/${channel}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body)
    })

  it('listens on 127.0.0.1 only and prints the tokened URL', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`)
    await expect(startApiServer({ webRoot: null, host: '0.0.0.0', createHandlers: () => handlers })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(startApiServer({ webRoot: null, host: 'localhost', createHandlers: () => handlers })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('generates a random 32-byte token by default', async () => {
    const other = await startApiServer({ webRoot: null, createHandlers: () => handlers })
    try {
      expect(other.token).toMatch(/^[0-9a-f]{64}$/)
      expect(other.token).not.toBe(TOKEN)
    } finally {
      await other.close()
    }
  })

  it('refuses calls without the right token (403)', async () => {
    const none = await fetch(`${server.origin}/api/captures:list`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"args":[]}' })
    expect(none.status).toBe(403)
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const wrong = await post('captures:list', { args: [] }, { Authorization: `Bearer ${'b'.repeat(64)}` })
    expect(wrong.status).toBe(403)
    const queryOnly = await fetch(`${server.origin}/api/captures:list?token=${TOKEN}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"args":[]}' })
    expect(queryOnly.status).toBe(403)
    expect(handlers['captures:list']).not.toHaveBeenCalled()
    const ok = await post('captures:list', { args: [] })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ ok: true, result: [] })
  })

  it('refuses foreign Host headers (DNS rebinding) and cross-origin calls', async () => {
    const rebound = await rawRequest(server.port, '/', { Host: `evil.example:${server.port}` })
    expect(rebound.status).toBe(403)
    const crossOrigin = await post('captures:list', { args: [] }, { Origin: 'https://evil.example' })
    expect(crossOrigin.status).toBe(403)
    const sameOrigin = await post('captures:list', { args: [] }, { Origin: server.origin })
    expect(sameOrigin.status).toBe(200)
  })

  it('returns validation and handler errors as typed envelopes', async () => {
    const traversal = await post('captures:delete', { args: ['../../etc/passwd'] })
    expect(traversal.status).toBe(200)
    expect(await traversal.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(handlers['captures:delete']).not.toHaveBeenCalled()

    expect(await (await post('captures:read', { args: ['a.jpg'] })).json()).toEqual({
      ok: false,
      error: { code: 'FILE_NOT_FOUND', message: 'The capture a.jpg no longer exists.' }
    })
    expect(await (await post('settings:get', { args: [] })).json()).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'disk on fire' } })
    const badUrl = await post('audit:run', { args: [{ kind: 'url', url: 'file:///etc/passwd' }, {}] })
    expect(await badUrl.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    // A token holder cannot make the server read a file (or learn whether one exists).
    for (const path of ['/etc/passwd', '/no/such/file.jpg']) {
      const filePath = await post('audit:run', { args: [{ kind: 'file', path }, {}] })
      expect(await filePath.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/bytes of a photo or a URL/) } })
    }
    expect(handlers['audit:run']).not.toHaveBeenCalled()
  })

  it('decodes $bytes arguments', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 1, 2])
    const response = await post('audit:run', { args: encodeWire([{ kind: 'bytes', name: 'a.jpg', data: bytes }, {}]) })
    expect(await response.json()).toEqual({ ok: true, result: { id: 'r1', source: 'bytes' } })
    const [source] = vi.mocked(handlers['audit:run']).mock.calls[0]
    expect(source).toMatchObject({ kind: 'bytes', name: 'a.jpg' })
    expect([...(source as { data: Uint8Array }).data]).toEqual([...bytes])
  })

  it('answers malformed requests with 400/404/405/415', async () => {
    expect((await post('captures:list', '{"args":')).status).toBe(400)
    expect((await post('captures:list', { notArgs: [] })).status).toBe(400)
    expect((await post('captures:list', '{"args":[{"$bytes":"!!"}]}')).status).toBe(400)
    expect((await post('fs:readFile', { args: [] })).status).toBe(404)
    expect((await post('captures:list', 'args', { 'Content-Type': 'text/plain' })).status).toBe(415)
    const get = await fetch(`${server.origin}/api/captures:list`, { headers: { Authorization: `Bearer ${TOKEN}` } })
    expect(get.status).toBe(405)
  })

  it('takes raw RGBA frames on the fast path and returns the mask as $bytes', async () => {
    const frame = new Uint8Array(2 * 2 * 4).fill(7)
    const query = 'width=2&height=2&timestampMs=40&personMask=1&expression=0'
    const response = await fetch(`${server.origin}/api/vision:detectForVideo?${query}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/octet-stream' },
      body: frame
    })
    const body = (await response.json()) as { result: { personMask: { data: unknown } } }
    expect(body.result.personMask.data).toEqual({ $bytes: 'AP8=' })
    expect((decodeWire(body) as { result: VisionResult }).result.personMask?.data).toEqual(new Uint8Array([0, 255]))
    const [received] = vi.mocked(handlers['vision:detectForVideo']).mock.calls[0]
    expect(received).toMatchObject({ width: 2, height: 2, timestampMs: 40, personMask: true, expression: false })
    expect(received.data).toEqual(frame)
  })

  it('answers a frame in the binary wire when the client takes it (the mask as bytes, no base64)', async () => {
    const response = await fetch(`${server.origin}/api/vision:detectForVideo?width=2&height=2&timestampMs=41&personMask=1&expression=0`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/octet-stream', Accept: 'application/octet-stream' },
      body: new Uint8Array(16).fill(7)
    })
    expect(response.headers.get('content-type')).toBe('application/octet-stream')
    const body = decodeBinaryWire(new Uint8Array(await response.arrayBuffer())) as { ok: boolean; result: VisionResult }
    expect(body.ok).toBe(true)
    expect(body.result.personMask?.data).toEqual(new Uint8Array([0, 255]))
  })

  it('takes virtual-camera frames as raw RGBA too (no JSON, no base64), validated', async () => {
    const send = (query: string, body: Uint8Array) =>
      fetch(`${server.origin}/api/vcam:frame?${query}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/octet-stream' },
        body
      })
    const frame = new Uint8Array(2 * 2 * 4).fill(5)
    expect(await (await send('width=2&height=2', frame)).json()).toEqual({ ok: true, result: true })
    const [received] = vi.mocked(handlers['vcam:frame']).mock.calls[0]
    expect(received).toEqual({ width: 2, height: 2, data: frame })
    expect(await (await send('width=3&height=2', new Uint8Array(24))).json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await (await send('width=2&height=2', new Uint8Array(8))).json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(vi.mocked(handlers['vcam:frame']).mock.calls).toHaveLength(1)
  })

  it('returns null for a dropped frame and refuses inconsistent or oversized frames', async () => {
    const send = (query: string, body: Uint8Array) =>
      fetch(`${server.origin}/api/vision:detectForVideo?${query}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/octet-stream' },
        body
      })
    expect(await (await send('width=1&height=1&timestampMs=13&personMask=0&expression=0', new Uint8Array(4))).json()).toEqual({ ok: true, result: null })
    const short = await send('width=2&height=2&timestampMs=1&personMask=0&expression=0', new Uint8Array(15))
    expect(await short.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const noWidth = await send('height=2&timestampMs=1&personMask=0&expression=0', new Uint8Array(16))
    expect(await noWidth.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const badFlag = await send('width=1&height=1&timestampMs=1&personMask=yes&expression=0', new Uint8Array(4))
    expect(await badFlag.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const huge = await send('width=4096&height=4096&timestampMs=1&personMask=0&expression=0', new Uint8Array(MAX_FRAME_BODY_BYTES + 4))
    expect(huge.status).toBe(413)
  })

  it('delivers events over SSE to token holders only', async () => {
    expect((await fetch(`${server.origin}/api/events`)).status).toBe(403)
    const abort = new AbortController()
    const response = await fetch(`${server.origin}/api/events?token=${TOKEN}`, { signal: abort.signal })
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/)
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    let text = decoder.decode((await reader.read()).value)
    expect(text).toContain('retry:')
    emit('audit:progress', { step: 'detect', fraction: 0.3, message: 'Finding faces' })
    while (!/data: .*\n\n/.test(text)) text += decoder.decode((await reader.read()).value)
    expect(text).toContain('event: audit:progress\ndata: {"step":"detect","fraction":0.3,"message":"Finding faces"}\n\n')
    abort.abort()
  })

  it('serves the web renderer with the CSP header, never files outside it', async () => {
    const page = await fetch(`${server.origin}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await page.text()).toContain('<title>Smilecam</title>')
    const script = await fetch(`${server.origin}/assets/app.js`)
    expect(script.headers.get('content-type')).toMatch(/javascript/)
    const route = await fetch(`${server.origin}/audit`)
    expect(await route.text()).toContain('<title>Smilecam</title>')
    expect((await fetch(`${server.origin}/assets/missing.js`)).status).toBe(404)
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const response = await rawRequest(server.port, path, { Host: `127.0.0.1:${server.port}` })
      expect(response.body).not.toContain('do not serve')
    }
  })
})
