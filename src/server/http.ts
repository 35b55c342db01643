/** Pure helpers of the browser-mode HTTP server (tested without sockets). */
import { timingSafeEqual } from 'node:crypto'
import type { VideoFrameRequest } from '../shared/ipc'
import type { VcamFrame } from '../shared/vcam'

export const LOOPBACK_HOST = '127.0.0.1'

// Shared with the Electron app:// protocol; they live in core.
export { contentTypeFor, resolveStaticPath } from '../core'

/** Constant-time token comparison (different lengths compare false). */
export function tokensEqual(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The token from `Authorization: Bearer TOKEN`, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match ? match[1] : null
}

/**
 * DNS-rebinding guard: a page on another site that resolves its own name to
 * 127.0.0.1 still sends its own Host header; only loopback names are ours.
 */
export function isLoopbackHostHeader(host: string | undefined, port: number): boolean {
  if (!host) return false
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}

/**
 * The fast-path frame request: metadata in the query, raw RGBA bytes as the
 * body. Returns the untyped frame object; the channel validator checks it.
 */
export function frameFromQuery(query: URLSearchParams, data: Uint8Array): Record<keyof VideoFrameRequest, unknown> {
  const number = (name: string): number => (query.has(name) ? Number(query.get(name)) : Number.NaN)
  const flag = (name: string): boolean | string | null => {
    const value = query.get(name)
    if (value === '1') return true
    if (value === '0' || value === null) return false
    return value // anything else is left for the validator to refuse
  }
  return {
    width: number('width'),
    height: number('height'),
    timestampMs: number('timestampMs'),
    personMask: flag('personMask'),
    expression: flag('expression'),
    data
  }
}

/** A virtual-camera frame sent as raw RGBA (binary body); the validator checks it. */
export function vcamFrameFromQuery(query: URLSearchParams, data: Uint8Array): Record<keyof VcamFrame, unknown> {
  const number = (name: string): number => (query.has(name) ? Number(query.get(name)) : Number.NaN)
  return { width: number('width'), height: number('height'), data }
}

/** One Server-Sent Events message. */
export function formatSseEvent(event: string, data: unknown): string {
  const json = JSON.stringify(data)
  return `event: ${event.replace(/[\r\n]/g, '')}\ndata: ${json}\n\n`
}
