/**
 * JSON codec for the browser-mode wire protocol: byte arrays anywhere in a
 * value travel as `{ "$bytes": "<base64>" }`. Pure, runs in Node and browsers
 * (no Buffer, no atob), so the server and the renderer bridge share it.
 */

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const BASE64_PAD = '='

export interface WireBytes {
  $bytes: string
}

function buildDecodeTable(): Int16Array {
  const table = new Int16Array(128).fill(-1)
  for (let i = 0; i < BASE64_ALPHABET.length; i++) table[BASE64_ALPHABET.charCodeAt(i)] = i
  return table
}

export function bytesToBase64(bytes: Uint8Array): string {
  // Fill ASCII codes into a byte array and decode it once: per-character string
  // concatenation is ~200x slower on multi-megabyte images.
  const alphabet = new TextEncoder().encode(BASE64_ALPHABET)
  const pad = BASE64_PAD.charCodeAt(0)
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4)
  const whole = bytes.length - (bytes.length % 3)
  let o = 0
  for (let i = 0; i < whole; i += 3) {
    const triple = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2]
    out[o++] = alphabet[(triple >> 18) & 63]
    out[o++] = alphabet[(triple >> 12) & 63]
    out[o++] = alphabet[(triple >> 6) & 63]
    out[o++] = alphabet[triple & 63]
  }
  const rest = bytes.length - whole
  if (rest > 0) {
    const triple = (bytes[whole] << 16) | (rest === 2 ? bytes[whole + 1] << 8 : 0)
    out[o++] = alphabet[(triple >> 18) & 63]
    out[o++] = alphabet[(triple >> 12) & 63]
    out[o++] = rest === 2 ? alphabet[(triple >> 6) & 63] : pad
    out[o++] = pad
  }
  return new TextDecoder().decode(out)
}

/** Strict decoder: throws on characters outside the alphabet or a bad length. */
export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error('base64 length must be a multiple of 4')
  const table = buildDecodeTable()
  let padding = 0
  if (text.endsWith('==')) padding = 2
  else if (text.endsWith('=')) padding = 1
  const out = new Uint8Array((text.length / 4) * 3 - padding)
  let o = 0
  for (let i = 0; i < text.length; i += 4) {
    const isLast = i + 4 === text.length
    let triple = 0
    for (let k = 0; k < 4; k++) {
      const code = text.charCodeAt(i + k)
      const isPad = code === 61 && isLast && k >= 4 - padding
      const value = isPad ? 0 : code < 128 ? table[code] : -1
      if (value < 0) throw new Error(`invalid base64 character at ${i + k}`)
      triple = (triple << 6) | value
    }
    out[o++] = (triple >> 16) & 255
    if (o < out.length) out[o++] = (triple >> 8) & 255
    if (o < out.length) out[o++] = triple & 255
  }
  return out
}

export function isWireBytes(value: unknown): value is WireBytes {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const keys = Object.keys(value)
  return keys.length === 1 && keys[0] === '$bytes' && typeof (value as WireBytes).$bytes === 'string'
}

/** Replaces every Uint8Array / Uint8ClampedArray with `{ $bytes }`; the result is JSON-safe. */
export function encodeWire(value: unknown): unknown {
  if (value instanceof Uint8Array || value instanceof Uint8ClampedArray) {
    return { $bytes: bytesToBase64(value instanceof Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.length)) }
  }
  if (Array.isArray(value)) return value.map(encodeWire)
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = encodeWire(item)
    }
    return out
  }
  return value
}

/** Inverse of encodeWire: every `{ $bytes }` becomes a Uint8Array. Throws on malformed base64. */
export function decodeWire(value: unknown): unknown {
  if (isWireBytes(value)) return base64ToBytes(value.$bytes)
  if (Array.isArray(value)) return value.map(decodeWire)
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      // Never let a payload set a prototype through JSON.
      if (key === '__proto__') continue
      out[key] = decodeWire(item)
    }
    return out
  }
  return value
}

/** The answer to one call, the same over Electron IPC and the browser-mode HTTP API. */
export type CallOutcome<T = unknown> = { ok: true; result: T } | { ok: false; error: import('./errors').ErrorInfo }
