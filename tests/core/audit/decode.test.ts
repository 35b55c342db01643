import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import sharp, { type Sharp } from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeFile, decodeImage } from '../../../src/core/audit/decode'
import { SmilecamError } from '../../../src/shared/errors'

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(typeAndData))
  return Buffer.concat([length, typeAndData, crc])
}

/** A valid PNG header claiming width×height pixels, followed by a tiny (incomplete) IDAT: costs nothing to build. */
function hugePngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0))
  ])
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<SmilecamError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(SmilecamError)
  expect((error as SmilecamError).code).toBe(code)
  expect((error as SmilecamError).message.length).toBeGreaterThan(10)
  return error as SmilecamError
}

function solid(width: number, height: number, rgb: [number, number, number]): Sharp {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
}

function pixelAt(image: { width: number; data: Uint8Array | Uint8ClampedArray }, x: number, y: number): number[] {
  const i = (y * image.width + x) * 4
  return Array.from(image.data.subarray(i, i + 4))
}

describe('decodeImage', () => {
  it('decodes a PNG into RGBA with the right size and colour', async () => {
    const png = await solid(30, 20, [200, 40, 10]).png().toBuffer()
    const decoded = await decodeImage(png, 'red.png')
    expect(decoded).toMatchObject({ width: 30, height: 20, format: 'png', frames: 1 })
    expect(decoded.image.data.length).toBe(30 * 20 * 4)
    expect(pixelAt(decoded.image, 5, 5)).toEqual([200, 40, 10, 255])
  })

  it('decodes WebP, AVIF and TIFF as well', async () => {
    for (const [format, encoded] of [
      ['webp', await solid(20, 10, [10, 200, 30]).webp({ lossless: true }).toBuffer()],
      ['heif', await solid(20, 10, [10, 200, 30]).avif({ lossless: true }).toBuffer()],
      ['tiff', await solid(20, 10, [10, 200, 30]).tiff().toBuffer()]
    ] as const) {
      const decoded = await decodeImage(encoded, `photo.${format}`)
      expect(decoded.format).toBe(format)
      expect([decoded.width, decoded.height]).toEqual([20, 10])
      const [r, g, b] = pixelAt(decoded.image, 10, 5)
      expect(Math.abs(r - 10) + Math.abs(g - 200) + Math.abs(b - 30)).toBeLessThan(12)
    }
  })

  it('applies EXIF orientation so the photo comes out upright (sizes swapped for orientation 6)', async () => {
    // Left half red, right half blue, stored 40×20 with "rotate 90° clockwise to display".
    const raw = Buffer.alloc(40 * 20 * 3)
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 40; x++) raw.set(x < 20 ? [255, 0, 0] : [0, 0, 255], (y * 40 + x) * 3)
    }
    const jpeg = await sharp(raw, { raw: { width: 40, height: 20, channels: 3 } })
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer()
    const decoded = await decodeImage(jpeg, 'phone.jpg')
    expect([decoded.width, decoded.height]).toEqual([20, 40])
    // Rotated clockwise: the stored left (red) half is now on top.
    const top = pixelAt(decoded.image, 10, 5)
    const bottom = pixelAt(decoded.image, 10, 35)
    expect(top[0]).toBeGreaterThan(200)
    expect(bottom[2]).toBeGreaterThan(200)
  })

  it('converts grayscale and CMYK JPEGs to sRGB RGBA', async () => {
    const gray = await sharp(Buffer.alloc(16 * 16, 90), { raw: { width: 16, height: 16, channels: 1 } })
      .toColourspace('b-w')
      .jpeg()
      .toBuffer()
    expect((await sharp(gray).metadata()).channels).toBe(1)
    const decodedGray = await decodeImage(gray, 'gray.jpg')
    const [r, g, b, a] = pixelAt(decodedGray.image, 8, 8)
    expect([r, g, b]).toEqual([r, r, r])
    expect(Math.abs(r - 90)).toBeLessThanOrEqual(2)
    expect(a).toBe(255)

    const cmyk = await solid(16, 16, [200, 20, 20]).toColourspace('cmyk').jpeg().toBuffer()
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk')
    const decodedCmyk = await decodeImage(cmyk, 'cmyk.jpg')
    const [cr, cg, cb] = pixelAt(decodedCmyk.image, 8, 8)
    expect(cr).toBeGreaterThan(150)
    expect(cg).toBeLessThan(80)
    expect(cb).toBeLessThan(80)
  })

  it('turns a 16-bit PNG into 8-bit RGBA', async () => {
    const png16 = await solid(8, 8, [255, 128, 0]).toColourspace('rgb16').png().toBuffer()
    expect((await sharp(png16).metadata()).depth).toBe('ushort')
    const decoded = await decodeImage(png16, 'deep.png')
    expect(decoded.image.data.length).toBe(8 * 8 * 4)
    const [r, g, b] = pixelAt(decoded.image, 3, 3)
    expect(r).toBe(255)
    expect(Math.abs(g - 128)).toBeLessThanOrEqual(1)
    expect(b).toBe(0)
  })

  it('audits the first frame of an animated GIF and WebP', async () => {
    const red = Buffer.alloc(16 * 16 * 4)
    const blue = Buffer.alloc(16 * 16 * 4)
    for (let i = 0; i < 256; i++) {
      red.set([255, 0, 0, 255], i * 4)
      blue.set([0, 0, 255, 255], i * 4)
    }
    const frames = sharp(Buffer.concat([red, blue]), { raw: { width: 16, height: 32, channels: 4, pageHeight: 16 } })
    for (const encoded of [await frames.clone().gif().toBuffer(), await frames.clone().webp({ lossless: true }).toBuffer()]) {
      const decoded = await decodeImage(encoded, 'animated')
      expect(decoded.frames).toBe(2)
      expect([decoded.width, decoded.height]).toEqual([16, 16])
      expect(pixelAt(decoded.image, 8, 8).slice(0, 3)).toEqual([255, 0, 0])
    }
  })

  it('refuses an empty buffer with EMPTY_FILE', async () => {
    await expectCode(decodeImage(new Uint8Array(0), 'empty.jpg'), 'EMPTY_FILE')
  })

  it('refuses text with NOT_AN_IMAGE', async () => {
    await expectCode(decodeImage(new TextEncoder().encode('hello, this is not a photo'), 'notes.jpg'), 'NOT_AN_IMAGE')
  })

  it('refuses SVG (vector, not a photo) with UNSUPPORTED_IMAGE', async () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    await expectCode(decodeImage(svg, 'logo.svg'), 'UNSUPPORTED_IMAGE')
  })

  it('refuses a truncated JPEG with CORRUPT_IMAGE', async () => {
    const jpeg = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .jpeg()
      .toBuffer()
    const error = await expectCode(decodeImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'cut.jpg'), 'CORRUPT_IMAGE')
    expect(error.message).toContain('cut.jpg')
  })

  it('refuses a 100-megapixel image from its header alone with IMAGE_TOO_LARGE', async () => {
    const header = hugePngHeader(10_000, 10_000)
    expect(header.length).toBeLessThan(2000)
    const started = performance.now()
    const error = await expectCode(decodeImage(header, 'huge.png'), 'IMAGE_TOO_LARGE')
    expect(error.message).toContain('10000×10000')
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('honours custom pixel and byte limits', async () => {
    const png = await solid(100, 100, [1, 2, 3]).png().toBuffer()
    await expectCode(decodeImage(png, 'a.png', { maxPixels: 5000 }), 'IMAGE_TOO_LARGE')
    await expectCode(decodeImage(png, 'a.png', { maxBytes: 10 }), 'IMAGE_TOO_LARGE')
  })
})

describe('decodeFile', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smilecam-decode-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads and decodes a file from disk', async () => {
    const path = join(dir, 'ok.jpg')
    await writeFile(path, await solid(12, 10, [0, 255, 0]).jpeg().toBuffer())
    const decoded = await decodeFile(path)
    expect([decoded.width, decoded.height, decoded.format]).toEqual([12, 10, 'jpeg'])
  })

  it('reports a missing path as FILE_NOT_FOUND and a folder as NOT_AN_IMAGE', async () => {
    await expectCode(decodeFile(join(dir, 'missing.jpg')), 'FILE_NOT_FOUND')
    await expectCode(decodeFile(dir), 'NOT_AN_IMAGE')
    await expect(decodeFile(dir)).rejects.toThrow(/is a folder, not a photo file/)
  })

  it('names a FIFO and a device for what they are (not "a folder") and never reads them', async () => {
    const fifo = join(dir, 'pipe.jpg')
    execFileSync('mkfifo', [fifo])
    await expect(decodeFile(fifo)).rejects.toMatchObject({ code: 'NOT_AN_IMAGE', message: expect.stringMatching(/is a named pipe \(FIFO\), not a photo file/) })
    await expect(decodeFile('/dev/zero')).rejects.toMatchObject({ code: 'NOT_AN_IMAGE', message: expect.stringMatching(/is a device/) })
  })

  it('reports a 0-byte file as EMPTY_FILE', async () => {
    const path = join(dir, 'zero.jpg')
    await writeFile(path, new Uint8Array(0))
    await expectCode(decodeFile(path), 'EMPTY_FILE')
  })
})
