/**
 * The browser-mode HTTP server: the wire protocol of src/shared/wire.ts on plain
 * node:http. Loopback only, a random token on every API call, the same
 * validators and handlers as Electron IPC, and the built web renderer served
 * from the same origin with the CSP header.
 */
import { randomBytes } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { extname } from 'node:path'
import { SmilecamError, type ErrorCode } from '../shared/errors'
import { IPC_CHANNELS, type IpcHandlers } from '../shared/ipc'
import { BINARY_WIRE_TYPE, decodeWire, encodeBinaryWire, encodeWire, type CallOutcome } from '../shared/wire'
import { dispatchCall, failure, logUnexpectedError, MAX_FRAME_PIXELS, MAX_IMAGE_BYTES, type EmitEvent, type ErrorLogger } from '../core'
import { CONTENT_SECURITY_POLICY_HEADER } from '../shared/csp'
import {
  LOOPBACK_HOST,
  bearerToken,
  contentTypeFor,
  formatSseEvent,
  frameFromQuery,
  vcamFrameFromQuery,
  isLoopbackHostHeader,
  resolveStaticPath,
  tokensEqual
} from './http'

/** Base64 makes bytes 4/3 larger; leave room for the rest of the JSON. */
export const MAX_JSON_BODY_BYTES = Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 1024 * 1024
export const MAX_FRAME_BODY_BYTES = MAX_FRAME_PIXELS * 4
const SSE_HEARTBEAT_MS = 15_000
/** Channels whose one argument may come as a raw binary body with its small fields in the query (no JSON, no base64). */
const BINARY_CHANNELS: Partial<Record<string, (query: URLSearchParams, data: Uint8Array) => unknown>> = {
  'vision:detectForVideo': frameFromQuery,
  'vcam:frame': vcamFrameFromQuery
}

/** Connection limits: slow or stuck clients are cut off, and one page needs only a handful of sockets. */
export const SERVER_LIMITS = {
  /** Time to receive a request's headers, and the whole request (the body included). */
  headersTimeoutMs: 30_000,
  requestTimeoutMs: 30_000,
  /** Open sockets at once (a page uses ~6 plus the event stream; a few tabs fit). */
  maxConnections: 32,
  /** How long an over-limit upload is still drained after its 413, so the client can read the answer. */
  lingerMs: 2_000,
  jsonBodyBytes: MAX_JSON_BODY_BYTES,
  frameBodyBytes: MAX_FRAME_BODY_BYTES
}

export type ServerLimits = typeof SERVER_LIMITS

export interface ApiServerOptions {
  /** Builds the handlers; `emit` pushes events to every connected page (SSE). */
  createHandlers: (emit: EmitEvent) => IpcHandlers | Promise<IpcHandlers>
  /** Folder with the built web renderer (index.html); null serves the API only. */
  webRoot: string | null
  /** Only 127.0.0.1 is accepted: the engine must never be reachable from the network. */
  host?: string
  /** 0 (default) picks a free port. */
  port?: number
  /** Defaults to 32 random bytes (hex). */
  token?: string
  logError?: ErrorLogger
  /** Smaller limits for tests. */
  limits?: Partial<ServerLimits>
}

export interface RunningApiServer {
  /** Page URL with the token, what the user opens. */
  url: string
  origin: string
  port: number
  token: string
  emit: EmitEvent
  close(): Promise<void>
}

const STATUS_FOR_CODE: Partial<Record<ErrorCode, number>> = { FORBIDDEN: 403, INVALID_INPUT: 400 }

class HttpError extends SmilecamError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string
  ) {
    super(code, message)
  }
}

function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin'
  }
}

/** A binary-wire answer (frame path): no JSON of the bytes, no base64. */
function sendBinary(res: ServerResponse, body: Uint8Array): void {
  res.writeHead(200, {
    ...securityHeaders(),
    'Content-Type': BINARY_WIRE_TYPE,
    'Cache-Control': 'no-store',
    'Content-Length': body.length
  })
  res.end(body)
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...securityHeaders(),
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text)
  })
  res.end(text)
}

/** The client went away mid-request: nothing to answer, nothing to log. */
class ClientGoneError extends Error {}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'INVALID_INPUT', `The request is too large (at most ${limit} bytes).`)
}

/**
 * Reads the whole body, refusing more than `limit` bytes (by header and as it streams). Past the
 * limit the rest is read and dropped, not buffered, so the 413 can still be sent and read.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    req.resume()
    return Promise.reject(tooLarge(limit))
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let total = 0
    let refused = false
    req.on('data', (chunk: Buffer) => {
      if (refused) return
      total += chunk.length
      if (total > limit) {
        refused = true
        chunks.length = 0
        reject(tooLarge(limit))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      if (refused) return
      const body = Buffer.concat(chunks, total)
      resolve(new Uint8Array(body.buffer, body.byteOffset, body.length))
    })
    req.on('aborted', () => reject(new ClientGoneError('aborted')))
    req.on('error', () => reject(new ClientGoneError('aborted')))
  })
}

/**
 * Sends the answer with `Connection: close`, then keeps reading (and dropping) what the client
 * still sends for a moment before closing: closing a socket with unread data makes the OS reset
 * the connection, and the client would lose the 413 it was about to read.
 */
function closeAfterResponse(socket: Socket, lingerMs: number): void {
  socket.destroySoon = function lingeringClose(this: Socket) {
    this.end()
    this.resume()
    const timer = setTimeout(() => this.destroy(), lingerMs)
    timer.unref()
    this.once('close', () => clearTimeout(timer))
  }
}

export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const host = options.host ?? LOOPBACK_HOST
  if (host !== LOOPBACK_HOST) {
    throw new SmilecamError('FORBIDDEN', `Browser mode only listens on ${LOOPBACK_HOST}, not ${host}.`)
  }
  const token = options.token ?? randomBytes(32).toString('hex')
  const logError = options.logError ?? logUnexpectedError
  const limits: ServerLimits = { ...SERVER_LIMITS, ...options.limits }
  const sseClients = new Set<ServerResponse>()
  let port = 0

  const emit: EmitEvent = (channel, payload) => {
    const message = formatSseEvent(channel, encodeWire(payload))
    for (const client of sseClients) client.write(message)
  }
  const handlers = await options.createHandlers(emit)

  function requireToken(req: IncomingMessage, query: URLSearchParams, allowQueryToken: boolean): void {
    const given = bearerToken(req.headers.authorization) ?? (allowQueryToken ? query.get('token') : null)
    if (!tokensEqual(given, token)) throw new HttpError(403, 'FORBIDDEN', 'Missing or wrong access token.')
  }

  function openEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive'
    })
    res.write('retry: 2000\n\n')
    sseClients.add(res)
    const heartbeat = setInterval(() => res.write(': ping\n\n'), SSE_HEARTBEAT_MS)
    const drop = (): void => {
      clearInterval(heartbeat)
      sseClients.delete(res)
    }
    req.on('close', drop)
    res.on('close', drop)
  }

  /** The call's outcome; `binary` when it came on the binary frame path and the client takes a binary answer. */
  async function callChannel(req: IncomingMessage, channel: string, query: URLSearchParams): Promise<{ outcome: CallOutcome; binary: boolean }> {
    const contentType = req.headers['content-type'] ?? ''
    const fromBinary = BINARY_CHANNELS[channel]
    if (fromBinary && contentType.startsWith('application/octet-stream')) {
      const data = await readBody(req, limits.frameBodyBytes)
      const binary = (req.headers.accept ?? '').includes(BINARY_WIRE_TYPE)
      return { outcome: await dispatchCall(handlers, channel, [fromBinary(query, data)], logError), binary }
    }
    if (!contentType.startsWith('application/json')) {
      throw new HttpError(415, 'INVALID_INPUT', 'Send JSON (application/json) or, for frames, raw RGBA bytes.')
    }
    const body = await readBody(req, limits.jsonBodyBytes)
    let parsed: unknown
    try {
      parsed = decodeWire(JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8')))
    } catch {
      throw new HttpError(400, 'INVALID_INPUT', 'The request body is not valid JSON.')
    }
    if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { args?: unknown }).args)) {
      throw new HttpError(400, 'INVALID_INPUT', 'The request body must be {"args": [...]}.')
    }
    return { outcome: await dispatchCall(handlers, channel, (parsed as { args: unknown[] }).args, logError), binary: false }
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (!options.webRoot) throw new HttpError(404, 'FILE_NOT_FOUND', 'Not found.')
    let file = resolveStaticPath(options.webRoot, pathname)
    if (!file) throw new HttpError(404, 'FILE_NOT_FOUND', 'Not found.')
    let info = await stat(file).catch(() => null)
    if ((!info || !info.isFile()) && extname(pathname) === '') {
      // Client-side routes (no file extension) get the app page.
      file = resolveStaticPath(options.webRoot, '/')
      info = file ? await stat(file).catch(() => null) : null
    }
    if (!file || !info || !info.isFile()) throw new HttpError(404, 'FILE_NOT_FOUND', 'Not found.')
    const data = await readFile(file)
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': contentTypeFor(file),
      'Content-Length': data.length,
      'Cache-Control': 'no-cache'
    })
    res.end(req.method === 'HEAD' ? undefined : data)
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isLoopbackHostHeader(req.headers.host, port)) {
      throw new HttpError(403, 'FORBIDDEN', 'Unexpected Host header.')
    }
    const url = new URL(req.url ?? '/', `http://${LOOPBACK_HOST}:${port}`)
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'INVALID_INPUT', 'Method not allowed.')
      return serveStatic(req, res, url.pathname)
    }
    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') throw new HttpError(405, 'INVALID_INPUT', 'Method not allowed.')
      requireToken(req, url.searchParams, true)
      return openEvents(req, res)
    }
    requireToken(req, url.searchParams, false)
    const origin = req.headers.origin
    if (origin !== undefined && origin !== `http://${req.headers.host}`) {
      throw new HttpError(403, 'FORBIDDEN', 'Cross-origin requests are not allowed.')
    }
    if (req.method !== 'POST') throw new HttpError(405, 'INVALID_INPUT', 'Use POST for API calls.')
    let channel: string
    try {
      channel = decodeURIComponent(url.pathname.slice('/api/'.length))
    } catch {
      throw new HttpError(404, 'INVALID_INPUT', 'Unknown API call.')
    }
    if (!(IPC_CHANNELS as readonly string[]).includes(channel)) throw new HttpError(404, 'INVALID_INPUT', 'Unknown API call.')
    const { outcome, binary } = await callChannel(req, channel, url.searchParams)
    // The HTTP status says whether the request was understood; the envelope says whether the call worked.
    if (binary) sendBinary(res, encodeBinaryWire(outcome))
    else sendJson(res, 200, encodeWire(outcome))
  }

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often those timeouts are checked (Node's default of 30 s would double them).
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs)
    },
    (req, res) => {
      route(req, res).catch((error: unknown) => {
        if (error instanceof ClientGoneError || res.destroyed) {
          res.destroy() // the client left: no answer, and no stack trace in the log
          return
        }
        if (res.headersSent) {
          res.destroy()
          return
        }
        const status = error instanceof HttpError ? error.status : (STATUS_FOR_CODE[SmilecamError.from(error).code] ?? 500)
        if (!(error instanceof SmilecamError)) logError('http', error)
        if (status === 413) {
          res.setHeader('Connection', 'close')
          closeAfterResponse(req.socket, limits.lingerMs)
        }
        sendJson(res, status, failure(error))
      })
    }
  )
  server.maxConnections = limits.maxConnections

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://${LOOPBACK_HOST}:${port}`

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    emit,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sseClients) client.end()
        sseClients.clear()
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}
