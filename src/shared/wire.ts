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

/**
 * Binary form for the frame path (video-frame answers, whose person mask is most of their size):
 * a little-endian uint32 header length, the UTF-8 JSON header, then the byte arrays of the value
 * back to back; in the header each byte array is `{ "$tail": [offset, length] }` into that tail.
 * No base64 on either side, and the decoded arrays are views of the received bytes (no copy).
 */
export const BINARY_WIRE_TYPE = 'application/octet-stream'

export function encodeBinaryWire(value: unknown): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = []
  let tailLength = 0
  const replace = (item: unknown): unknown => {
    if (item instanceof Uint8Array || item instanceof Uint8ClampedArray) {
      const bytes = item instanceof Uint8Array ? item : new Uint8Array(item.buffer, item.byteOffset, item.length)
      parts.push(bytes)
      tailLength += bytes.length
      return { $tail: [tailLength - bytes.length, bytes.length] }
    }
    if (Array.isArray(item)) return item.map(replace)
    if (typeof item === 'object' && item !== null) {
      const out: Record<string, unknown> = {}
      for (const [key, entry] of Object.entries(item)) if (entry !== undefined) out[key] = replace(entry)
      return out
    }
    return item
  }
  const header = new TextEncoder().encode(JSON.stringify(replace(value)))
  const out = new Uint8Array(4 + header.length + tailLength)
  new DataView(out.buffer).setUint32(0, header.length, true)
  out.set(header, 4)
  let offset = 4 + header.length
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** Inverse of encodeBinaryWire; throws on a truncated message or a byte range outside it. */
export function decodeBinaryWire(bytes: Uint8Array): unknown {
  if (bytes.length < 4) throw new Error('binary wire message is shorter than its header length')
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(0, true)
  if (4 + headerLength > bytes.length) throw new Error('binary wire header runs past the message')
  const tail = bytes.subarray(4 + headerLength)
  const restore = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(restore)
    if (typeof item !== 'object' || item === null) return item
    const range = (item as { $tail?: unknown }).$tail
    if (Object.keys(item).length === 1 && Array.isArray(range)) {
      const [offset, length] = range as unknown[]
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || (offset as number) < 0 || (length as number) < 0 || (offset as number) + (length as number) > tail.length) {
        throw new Error('binary wire byte range outside the message')
      }
      return tail.subarray(offset as number, (offset as number) + (length as number))
    }
    const out: Record<string, unknown> = {}
    for (const [key, entry] of Object.entries(item)) {
      if (key === '__proto__') continue
      out[key] = restore(entry)
    }
    return out
  }
  return restore(JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))))
}

/** The answer to one call, the same over Electron IPC and the browser-mode HTTP API. */
export type CallOutcome<T = unknown> = { ok: true; result: T } | { ok: false; error: import('./errors').ErrorInfo }
