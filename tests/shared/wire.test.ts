import { describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64, decodeBinaryWire, decodeWire, encodeBinaryWire, encodeWire } from '../../src/shared/wire'

describe('base64', () => {
  it('matches Node for every tail length', () => {
    for (let length = 0; length < 20; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 255)
      const text = bytesToBase64(bytes)
      expect(text).toBe(Buffer.from(bytes).toString('base64'))
      expect(base64ToBytes(text)).toEqual(bytes)
    }
  })

  it('round-trips a large buffer', () => {
    const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) & 255)
    const text = bytesToBase64(bytes)
    expect(text).toBe(Buffer.from(bytes).toString('base64'))
    expect(Buffer.from(base64ToBytes(text)).equals(Buffer.from(bytes))).toBe(true)
  })

  it('rejects malformed text', () => {
    expect(() => base64ToBytes('abc')).toThrow()
    expect(() => base64ToBytes('ab!d')).toThrow()
    expect(() => base64ToBytes('a=bc')).toThrow()
    expect(() => base64ToBytes('ab\u00e9d')).toThrow()
  })
})

describe('encodeWire / decodeWire', () => {
  it('replaces nested byte arrays and restores them', () => {
    const value = {
      width: 2,
      mask: { data: new Uint8Array([0, 128, 255]) },
      list: [new Uint8ClampedArray([1, 2]), 'x', null],
      gone: undefined
    }
    const encoded = encodeWire(value)
    const json = JSON.parse(JSON.stringify(encoded))
    expect(json).toEqual({ width: 2, mask: { data: { $bytes: 'AID/' } }, list: [{ $bytes: 'AQI=' }, 'x', null] })
    const decoded = decodeWire(json) as { mask: { data: Uint8Array }; list: unknown[] }
    expect(decoded.mask.data).toBeInstanceOf(Uint8Array)
    expect([...decoded.mask.data]).toEqual([0, 128, 255])
    expect([...(decoded.list[0] as Uint8Array)]).toEqual([1, 2])
  })

  it('leaves objects with more than the $bytes key alone and drops __proto__ keys', () => {
    const decoded = decodeWire(JSON.parse('{"a":{"$bytes":"AA==","b":1},"__proto__":{"polluted":true}}')) as Record<string, unknown>
    expect(decoded.a).toEqual({ $bytes: 'AA==', b: 1 })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype)
    expect((decoded as { polluted?: boolean }).polluted).toBeUndefined()
  })

  it('throws on a bad $bytes value', () => {
    expect(() => decodeWire({ data: { $bytes: '***' } })).toThrow()
  })
})

describe('encodeBinaryWire / decodeBinaryWire', () => {
  it('lays out header length, JSON header and the byte arrays back to back (known bytes)', () => {
    const bytes = encodeBinaryWire({ ok: true, result: { a: new Uint8Array([1, 2]), b: [new Uint8Array([3])], skip: undefined } })
    const header = '{"ok":true,"result":{"a":{"$tail":[0,2]},"b":[{"$tail":[2,1]}]}}'
    expect(Array.from(bytes.subarray(0, 4))).toEqual([header.length, 0, 0, 0])
    expect(new TextDecoder().decode(bytes.subarray(4, 4 + header.length))).toBe(header)
    expect(Array.from(bytes.subarray(4 + header.length))).toEqual([1, 2, 3])
  })

  it('round-trips a frame answer, the arrays as views of the message', () => {
    const mask = new Uint8Array([0, 128, 255, 7])
    const value = { ok: true, result: { width: 2, faces: [{ score: 0.5, landmarks68: [[1.5, 2]] }], personMask: { width: 2, height: 2, data: mask }, clamped: new Uint8ClampedArray([9]) } }
    const bytes = encodeBinaryWire(value)
    const decoded = decodeBinaryWire(bytes) as { result: { personMask: { data: Uint8Array }; clamped: Uint8Array } }
    expect(decoded).toEqual({ ...value, result: { ...value.result, clamped: new Uint8Array([9]) } })
    expect(decoded.result.personMask.data.buffer).toBe(bytes.buffer)
  })

  it('refuses truncated messages and byte ranges outside the message, and drops __proto__ keys', () => {
    expect(() => decodeBinaryWire(new Uint8Array(3))).toThrow(/shorter/)
    expect(() => decodeBinaryWire(Uint8Array.from([200, 0, 0, 0, 123]))).toThrow(/past the message/)
    const outside = encodeBinaryWire({ a: new Uint8Array(2) }).slice(0, -1)
    expect(() => decodeBinaryWire(outside)).toThrow(/outside the message/)
    const header = new TextEncoder().encode('{"__proto__":{"polluted":true},"x":1}')
    const message = new Uint8Array(4 + header.length)
    message[0] = header.length
    message.set(header, 4)
    const decoded = decodeBinaryWire(message) as Record<string, unknown>
    expect(decoded).toEqual({ x: 1 })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
