import { describe, expect, it } from 'vitest'
import { createY4mParser, encodeY4mFrame, formatY4mHeader, parseY4mHeader, y4mFps, yuv420Bytes, type Yuv420Frame } from '../../../src/core'

function frame(width: number, height: number, seed: number): Yuv420Frame {
  const cw = Math.ceil(width / 2)
  const ch = Math.ceil(height / 2)
  const fill = (n: number, k: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * k + seed) % 256)
  return { width, height, y: fill(width * height, 3), u: fill(cw * ch, 5), v: fill(cw * ch, 7) }
}

function stream(header: string, frames: Yuv420Frame[]): Uint8Array {
  const parts = [new TextEncoder().encode(header), ...frames.map(encodeY4mFrame)]
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

describe('y4m header', () => {
  it('reads the parameters ffmpeg writes', () => {
    const info = parseY4mHeader('YUV4MPEG2 W640 H480 F30000:1001 Ip A1:1 C420jpeg XYSCSS=420JPEG XCOLORRANGE=LIMITED')
    expect(info).toEqual({
      width: 640,
      height: 480,
      fpsNumerator: 30000,
      fpsDenominator: 1001,
      colourSpace: '420jpeg',
      interlace: 'p',
      aspect: '1:1',
      extensions: ['YSCSS=420JPEG', 'COLORRANGE=LIMITED']
    })
    expect(y4mFps(info)).toBeCloseTo(29.97, 2)
    expect(parseY4mHeader(formatY4mHeader(info).trimEnd())).toEqual(info)
  })

  it('defaults to 4:2:0 and rejects what is not 4:2:0 y4m', () => {
    expect(parseY4mHeader('YUV4MPEG2 W2 H2 F25:1').colourSpace).toBe('420jpeg')
    expect(() => parseY4mHeader('YUV4MPEG2 W2 H2 F25:1 C444')).toThrow(/C444 is not supported.*-pix_fmt yuv420p/)
    expect(() => parseY4mHeader('RIFF W2 H2')).toThrow(/not a y4m/i)
    expect(() => parseY4mHeader('YUV4MPEG2 H2 F25:1')).toThrow(/no frame size/)
    expect(() => parseY4mHeader('YUV4MPEG2 W2 H2 F0:1')).toThrow(/frame rate/)
    expect(() => parseY4mHeader('YUV4MPEG2 W-4 H2 F25:1')).toThrow(/width/)
  })
})

describe('y4m parser', () => {
  it('hands out whole frames however the bytes are chunked, odd sizes included', () => {
    const frames = [frame(5, 3, 1), frame(5, 3, 2), frame(5, 3, 3)]
    const bytes = stream('YUV4MPEG2 W5 H3 F30:1 C420\n', frames)
    expect(yuv420Bytes(5, 3)).toBe(15 + 2 * 6)
    for (const chunkSize of [1, 7, 64, bytes.length]) {
      const parser = createY4mParser()
      const got: Yuv420Frame[] = []
      for (let at = 0; at < bytes.length; at += chunkSize) got.push(...parser.push(bytes.slice(at, at + chunkSize)))
      parser.end()
      expect(parser.info?.width).toBe(5)
      expect(got.map((f) => [Array.from(f.y), Array.from(f.u), Array.from(f.v)])).toEqual(frames.map((f) => [Array.from(f.y), Array.from(f.u), Array.from(f.v)]))
    }
  })

  it('accepts FRAME lines with parameters', () => {
    const f = frame(2, 2, 9)
    const planes = encodeY4mFrame(f).subarray('FRAME\n'.length)
    const parser = createY4mParser()
    const bytes = new Uint8Array([...new TextEncoder().encode('YUV4MPEG2 W2 H2 F30:1\nFRAME Ixyz\n'), ...planes])
    expect(parser.push(bytes).map((g) => Array.from(g.y))).toEqual([Array.from(f.y)])
  })

  it('reports truncated and broken streams', () => {
    const bytes = stream('YUV4MPEG2 W4 H2 F30:1\n', [frame(4, 2, 0)])
    const truncated = createY4mParser()
    truncated.push(bytes.subarray(0, bytes.length - 3))
    expect(() => truncated.end()).toThrow(/ends inside a frame/)
    const empty = createY4mParser()
    expect(() => empty.end()).toThrow(/before its header/)
    const broken = createY4mParser()
    expect(() => broken.push(new TextEncoder().encode('YUV4MPEG2 W4 H2 F30:1\nFRAMX\n'))).toThrow(/FRAME/)
    const endless = createY4mParser()
    expect(() => endless.push(new Uint8Array(5000).fill(65))).toThrow(/header line does not end/)
  })
})
