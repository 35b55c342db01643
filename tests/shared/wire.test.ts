import { describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64, decodeWire, encodeWire } from '../../src/shared/wire'

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
