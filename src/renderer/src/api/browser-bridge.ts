/**
 * SmilecamApi over the browser-mode wire protocol (see src/server): POST /api/<channel>
 * with a bearer token, `$bytes` codec for byte arrays, Server-Sent Events for pushes.
 * Transport functions are injected so the client is testable without a browser.
 */
import { createContractApi, type SmilecamApi } from '../../../shared/api'
import { isErrorInfo, SmilecamError } from '../../../shared/errors'
import type { IpcArgs, IpcChannel, IpcEventChannel, IpcEvents, IpcResult, VideoFrameRequest } from '../../../shared/ipc'
import type { VcamFrame } from '../../../shared/vcam'
import { BINARY_WIRE_TYPE, decodeBinaryWire, decodeWire, encodeWire } from '../../../shared/wire'

export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data: string }) => void): void
  close(): void
}

export interface BrowserBridgeOptions {
  /** Origin + path prefix of the server; '' = same origin. */
  baseUrl: string
  token: string
  fetch: typeof fetch
  createEventSource: (url: string) => EventSourceLike
}

const FORBIDDEN_MESSAGE =
  'This page is not authorised to talk to the Smilecam engine. Open the link printed by `npm run dev:web` again.'

/** Parses a wire response body (JSON, or the binary wire of the frame path) into the result or a SmilecamError. */
export async function readWireResponse(response: Response): Promise<unknown> {
  let body: unknown
  const binary = (response.headers.get('Content-Type') ?? '').startsWith(BINARY_WIRE_TYPE)
  try {
    body = binary ? decodeBinaryWire(new Uint8Array(await response.arrayBuffer())) : await response.json()
  } catch {
    if (response.status === 403) throw new SmilecamError('FORBIDDEN', FORBIDDEN_MESSAGE)
    throw new SmilecamError('INTERNAL', `The engine server answered with an unreadable response (HTTP ${response.status}).`)
  }
  return unwrapEnvelope(body, response.status, !binary)
}

/** The result of a `{ ok, result | error }` envelope; `$bytes` still to decode when it came as JSON. */
function unwrapEnvelope(body: unknown, status: number, json: boolean): unknown {
  if (typeof body === 'object' && body !== null && 'ok' in body) {
    const envelope = body as { ok: boolean; result?: unknown; error?: unknown }
    if (envelope.ok) return json ? decodeWire(envelope.result) : envelope.result
    if (isErrorInfo(envelope.error)) throw SmilecamError.from(envelope.error)
  }
  if (status === 403) throw new SmilecamError('FORBIDDEN', FORBIDDEN_MESSAGE)
  throw new SmilecamError('INTERNAL', `The engine server answered with an unexpected response (HTTP ${status}).`)
}

export function createBrowserBridge(options: BrowserBridgeOptions): SmilecamApi {
  const { baseUrl, token, fetch: fetchFn, createEventSource } = options
  const authorization = { Authorization: `Bearer ${token}` }

  async function send(url: string, init: RequestInit): Promise<unknown> {
    let response: Response
    try {
      response = await fetchFn(url, init)
    } catch (error) {
      throw new SmilecamError(
        'NETWORK_ERROR',
        `Cannot reach the Smilecam engine server (${error instanceof Error ? error.message : String(error)}). Is it still running?`
      )
    }
    return readWireResponse(response)
  }

  async function call<C extends IpcChannel>(channel: C, args: IpcArgs<C>): Promise<Awaited<IpcResult<C>>> {
    if (channel === 'vision:detectForVideo') return detectForVideo(args[0] as VideoFrameRequest) as Promise<Awaited<IpcResult<C>>>
    if (channel === 'vcam:frame') return vcamFrame(args[0] as VcamFrame) as Promise<Awaited<IpcResult<C>>>
    const result = await send(`${baseUrl}/api/${channel}`, {
      method: 'POST',
      headers: { ...authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify({ args: encodeWire(args) })
    })
    return result as Awaited<IpcResult<C>>
  }

  /** Frames skip JSON: raw RGBA in the body, the small fields in the query. */
  async function detectForVideo(frame: VideoFrameRequest): Promise<IpcResult<'vision:detectForVideo'>> {
    const query = new URLSearchParams({
      width: String(frame.width),
      height: String(frame.height),
      timestampMs: String(frame.timestampMs),
      personMask: frame.personMask ? '1' : '0',
      expression: frame.expression ? '1' : '0'
    })
    const result = await send(`${baseUrl}/api/vision:detectForVideo?${query}`, {
      method: 'POST',
      // The answer in the binary wire too: its mask as bytes, not base64 in JSON.
      headers: { ...authorization, 'Content-Type': 'application/octet-stream', Accept: BINARY_WIRE_TYPE },
      // A Blob body: Chromium spends ~5 ms of the page's main thread on a 384x288 RGBA
      // ArrayBuffer body per request, ~3 ms with the copy into a Blob included (measured).
      body: new Blob([frame.data as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' })
    })
    return result as IpcResult<'vision:detectForVideo'>
  }

  /** Virtual-camera frames too: raw RGBA body, size in the query. */
  async function vcamFrame(frame: VcamFrame): Promise<IpcResult<'vcam:frame'>> {
    const query = new URLSearchParams({ width: String(frame.width), height: String(frame.height) })
    const result = await send(`${baseUrl}/api/vcam:frame?${query}`, {
      method: 'POST',
      headers: { ...authorization, 'Content-Type': 'application/octet-stream' },
      body: new Blob([frame.data as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' })
    })
    return result as IpcResult<'vcam:frame'>
  }

  // One EventSource shared by every subscriber, open only while someone listens.
  const listeners = new Map<IpcEventChannel, Set<(payload: never) => void>>()
  let events: EventSourceLike | null = null

  function subscribe<E extends IpcEventChannel>(channel: E, listener: (payload: IpcEvents[E]) => void): () => void {
    if (!events) events = createEventSource(`${baseUrl}/api/events?token=${encodeURIComponent(token)}`)
    let set = listeners.get(channel)
    if (!set) {
      const created = new Set<(payload: never) => void>()
      listeners.set(channel, created)
      events.addEventListener(channel, (event) => {
        let payload: unknown
        try {
          payload = decodeWire(JSON.parse(event.data))
        } catch {
          return // a malformed event is ignored rather than breaking the page
        }
        for (const each of created) (each as (value: unknown) => void)(payload)
      })
      set = created
    }
    set.add(listener as (payload: never) => void)
    return () => {
      set.delete(listener as (payload: never) => void)
      const anyLeft = [...listeners.values()].some((each) => each.size > 0)
      if (!anyLeft && events) {
        events.close()
        events = null
        listeners.clear()
      }
    }
  }

  return createContractApi('browser', { invoke: call, subscribe })
}
