/**
 * The browser-mode server under hostile or clumsy clients, over raw sockets: a streamed body past
 * the limit gets a readable 413 (not a reset), slow headers time out, sockets are capped, and a
 * client that hangs up mid-upload is not logged as a failure.
 */
import { connect, type Socket } from 'node:net'
import { request } from 'node:http'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startApiServer, type RunningApiServer, type ServerLimits } from '../../src/server/api-server'
import { IPC_CHANNELS, type IpcHandlers } from '../../src/shared/ipc'

const TOKEN = 'b'.repeat(64)

function handlersWith(overrides: Partial<IpcHandlers>): IpcHandlers {
  const unused = () => {
    throw new Error('not used in this test')
  }
  return { ...(Object.fromEntries(IPC_CHANNELS.map((c) => [c, unused])) as unknown as IpcHandlers), ...overrides }
}

let server: RunningApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(limits: Partial<ServerLimits>, logError = vi.fn()) {
  const list = vi.fn(async () => [])
  server = await startApiServer({ webRoot: null, token: TOKEN, createHandlers: () => handlersWith({ 'captures:list': list }), logError, limits })
  return { server, list, logError }
}

function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Resolves with what the server sent once it closes the socket (or after `ms`, with `timedOut`). */
function untilClosed(socket: Socket, ms: number): Promise<{ data: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    let data = ''
    socket.on('data', (chunk) => (data += chunk.toString('latin1')))
    socket.on('error', () => undefined)
    const timer = setTimeout(() => resolve({ data, timedOut: true }), ms)
    socket.once('close', () => {
      clearTimeout(timer)
      resolve({ data, timedOut: false })
    })
  })
}

describe('request limits', () => {
  it('answers a streamed body over the limit with 413 and Connection: close, never calling the handler', async () => {
    const { server, list } = await start({ jsonBodyBytes: 64 * 1024 })
    const response = await new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/captures:list',
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } // chunked: no length to refuse up front
        },
        (res) => {
          let body = ''
          res.on('data', (chunk) => (body += chunk))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }))
        }
      )
      req.on('error', reject)
      const chunk = Buffer.alloc(16 * 1024, 0x20)
      let sent = 0
      const pump = () => {
        while (sent < 4 * 1024 * 1024 && !req.destroyed) {
          sent += chunk.length
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        req.end()
      }
      req.on('response', () => (sent = Number.POSITIVE_INFINITY)) // stop uploading once answered
      pump()
    })
    expect(response.status).toBe(413)
    expect(response.connection).toBe('close')
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/too large/) } })
    expect(list).not.toHaveBeenCalled()
  })

  it('refuses a declared Content-Length over the limit the same way', async () => {
    const { server } = await start({ jsonBodyBytes: 1024 })
    const socket = await rawSocket(server.port)
    socket.write(
      `POST /api/captures:list HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n${' '.repeat(4096)}`
    )
    const { data, timedOut } = await untilClosed(socket, 5_000)
    expect(timedOut).toBe(false)
    expect(data).toMatch(/^HTTP\/1\.1 413 /)
    expect(data).toMatch(/\r\nConnection: close\r\n/i)
  })

  it('closes a connection whose headers never finish', async () => {
    const { server } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 300 })
    const socket = await rawSocket(server.port)
    socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Slow: `)
    const { data, timedOut } = await untilClosed(socket, 5_000)
    expect(timedOut).toBe(false)
    expect(data).toMatch(/^HTTP\/1\.1 408 |^$/)
  })

  it('closes a request whose body never finishes', async () => {
    const { server } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 500 })
    const socket = await rawSocket(server.port)
    socket.write(
      `POST /api/captures:list HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"args":'
    )
    expect((await untilClosed(socket, 5_000)).timedOut).toBe(false)
  })

  it('caps open connections', async () => {
    const { server } = await start({ maxConnections: 3 })
    const held = await Promise.all([0, 1, 2].map(() => rawSocket(server.port)))
    const extra = await rawSocket(server.port)
    expect((await untilClosed(extra, 3_000)).timedOut).toBe(false)
    // The held ones still work.
    held[0].write(`GET /api/nothing HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`)
    expect((await untilClosed(held[0], 3_000)).data).toMatch(/^HTTP\/1\.1 \d{3} /)
    for (const socket of held) socket.destroy()
  })

  it('does not log a client that hangs up mid-upload, and keeps serving', async () => {
    const { server, logError, list } = await start({})
    const socket = await rawSocket(server.port)
    socket.write(
      `POST /api/captures:list HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n${' '.repeat(1000)}`
    )
    await new Promise((resolve) => setTimeout(resolve, 100))
    socket.destroy()
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(logError).not.toHaveBeenCalled()
    const after = await fetch(`${server.origin}/api/captures:list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ args: [] })
    })
    expect(await after.json()).toEqual({ ok: true, result: [] })
    expect(list).toHaveBeenCalledTimes(1)
  })
})
