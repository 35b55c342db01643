import { describe, expect, it } from 'vitest'
import { sniffImageType } from '../../src/shared/image-type'

const bytes = (...values: Array<number | string>) =>
  new Uint8Array(values.flatMap((value) => (typeof value === 'string' ? [...value].map((c) => c.charCodeAt(0)) : [value])))

describe('sniffImageType', () => {
  it('tells raster formats by their first bytes', () => {
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg')
    expect(sniffImageType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png')
    expect(sniffImageType(bytes('GIF89a'))).toBe('image/gif')
    expect(sniffImageType(bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '))).toBe('image/webp')
    expect(sniffImageType(bytes(0, 0, 0, 0x1c, 'ftypavif'))).toBe('image/avif')
    expect(sniffImageType(bytes(0, 0, 0, 0x18, 'ftypheic'))).toBe('image/heic')
    expect(sniffImageType(bytes('II', 0x2a, 0))).toBe('image/tiff')
  })

  it('refuses HTML, SVG, video, truncated and empty bodies', () => {
    expect(sniffImageType(bytes('GIF'))).toBeNull()
    expect(sniffImageType(bytes('<!DOCTYPE html>'))).toBeNull()
    expect(sniffImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull()
    expect(sniffImageType(bytes(0, 0, 0, 0x18, 'ftypmp42'))).toBeNull()
    expect(sniffImageType(bytes(0xff, 0xd8))).toBeNull()
    expect(sniffImageType(new Uint8Array(0))).toBeNull()
  })
})
