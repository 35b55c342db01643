/**
 * YUV4MPEG2 (y4m): a text header line, then per frame a "FRAME" line and the raw planes.
 * 4:2:0 only (C420jpeg, C420paldv, C420mpeg2, C420 — the same planes, chroma siting aside),
 * which is what webcams, Chromium's fake camera and `ffmpeg -pix_fmt yuv420p` give.
 * Pure: the parser takes bytes in any chunking and hands out whole frames.
 */
import { SmilecamError } from '../../shared/errors'

export interface Y4mInfo {
  width: number
  height: number
  /** Frame rate as a fraction (F30000:1001 = 29.97). */
  fpsNumerator: number
  fpsDenominator: number
  /** The C parameter as written ('420jpeg' when absent, the format's default). */
  colourSpace: string
  /** I parameter: p progressive, t/b interlaced, m mixed, ? unknown. */
  interlace: string
  /** A parameter, e.g. '1:1' ('0:0' = unknown). */
  aspect: string
  /** X parameters (e.g. COLORRANGE=FULL), kept so the output carries them on. */
  extensions: string[]
}

/** One 4:2:0 frame: Y is width × height, U and V ceil(width/2) × ceil(height/2). */
export interface Yuv420Frame {
  width: number
  height: number
  y: Uint8Array
  u: Uint8Array
  v: Uint8Array
}

const MAGIC = 'YUV4MPEG2'
const SUPPORTED_COLOUR_SPACES = ['420jpeg', '420paldv', '420mpeg2', '420']
/** A header or FRAME line longer than this is not y4m. */
const MAX_LINE = 4096
const NEWLINE = 0x0a

export function chromaSize(width: number, height: number): { width: number; height: number } {
  return { width: Math.ceil(width / 2), height: Math.ceil(height / 2) }
}

export function yuv420Bytes(width: number, height: number): number {
  const c = chromaSize(width, height)
  return width * height + 2 * c.width * c.height
}

export function y4mFps(info: Pick<Y4mInfo, 'fpsNumerator' | 'fpsDenominator'>): number {
  return info.fpsNumerator / info.fpsDenominator
}

/** Parses "YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg ..." (without the newline). */
export function parseY4mHeader(line: string): Y4mInfo {
  const [magic, ...params] = line.split(' ').filter((p) => p.length > 0)
  if (magic !== MAGIC) throw new SmilecamError('INVALID_INPUT', 'Not a y4m (YUV4MPEG2) stream: the header is missing.')
  const info: Y4mInfo = { width: 0, height: 0, fpsNumerator: 0, fpsDenominator: 1, colourSpace: '420jpeg', interlace: '?', aspect: '0:0', extensions: [] }
  for (const param of params) {
    const value = param.slice(1)
    switch (param[0]) {
      case 'W':
        info.width = positiveInteger(value, 'width')
        break
      case 'H':
        info.height = positiveInteger(value, 'height')
        break
      case 'F': {
        const [n, d] = value.split(':')
        info.fpsNumerator = positiveInteger(n, 'frame rate')
        info.fpsDenominator = positiveInteger(d ?? '1', 'frame rate')
        break
      }
      case 'C':
        info.colourSpace = value
        break
      case 'I':
        info.interlace = value
        break
      case 'A':
        info.aspect = value
        break
      case 'X':
        info.extensions.push(value)
        break
      default:
        // Unknown parameters are allowed by the format; ignore them.
        break
    }
  }
  if (info.width === 0 || info.height === 0) throw new SmilecamError('INVALID_INPUT', 'The y4m header gives no frame size.')
  if (info.fpsNumerator === 0) throw new SmilecamError('INVALID_INPUT', 'The y4m header gives no frame rate.')
  if (!SUPPORTED_COLOUR_SPACES.includes(info.colourSpace)) {
    throw new SmilecamError(
      'INVALID_INPUT',
      `y4m colour space C${info.colourSpace} is not supported; convert the clip to 4:2:0: ffmpeg -i IN -pix_fmt yuv420p OUT.y4m`
    )
  }
  return info
}

function positiveInteger(text: string, what: string): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value <= 0) throw new SmilecamError('INVALID_INPUT', `The y4m header's ${what} "${text}" is not valid.`)
  return value
}

export function formatY4mHeader(info: Y4mInfo): string {
  const params = [
    MAGIC,
    `W${info.width}`,
    `H${info.height}`,
    `F${info.fpsNumerator}:${info.fpsDenominator}`,
    `I${info.interlace}`,
    `A${info.aspect}`,
    `C${info.colourSpace}`,
    ...info.extensions.map((x) => `X${x}`)
  ]
  return `${params.join(' ')}\n`
}

export const Y4M_FRAME_HEADER = 'FRAME\n'

/** Splits a frame's bytes into its planes (views, no copy). */
export function framePlanes(bytes: Uint8Array, width: number, height: number): Yuv420Frame {
  const c = chromaSize(width, height)
  const ySize = width * height
  const cSize = c.width * c.height
  return {
    width,
    height,
    y: bytes.subarray(0, ySize),
    u: bytes.subarray(ySize, ySize + cSize),
    v: bytes.subarray(ySize + cSize, ySize + 2 * cSize)
  }
}

export interface Y4mParser {
  /** The header, once it has been read. */
  readonly info: Y4mInfo | null
  /** Feeds bytes; returns the frames they completed (each in its own buffer). */
  push(chunk: Uint8Array): Yuv420Frame[]
  /** The stream ended: throws when it stopped inside the header or a frame. */
  end(): void
}

export function createY4mParser(): Y4mParser {
  let info: Y4mInfo | null = null
  let frameSize = 0
  let pending: Uint8Array = new Uint8Array(0)
  // Where the current frame's planes start in `pending`, once its FRAME line was read.
  let planesAt = -1

  function readLine(from: number): { line: string; next: number } | null {
    const end = pending.indexOf(NEWLINE, from)
    if (end < 0) {
      if (pending.length - from > MAX_LINE) throw new SmilecamError('INVALID_INPUT', 'Not a y4m stream: a header line does not end.')
      return null
    }
    return { line: new TextDecoder().decode(pending.subarray(from, end)), next: end + 1 }
  }

  return {
    get info() {
      return info
    },
    push(chunk) {
      pending = pending.length === 0 ? chunk : concat(pending, chunk)
      let at = 0
      const frames: Yuv420Frame[] = []
      if (!info) {
        const header = readLine(0)
        if (!header) return frames
        info = parseY4mHeader(header.line)
        frameSize = yuv420Bytes(info.width, info.height)
        at = header.next
      }
      for (;;) {
        if (planesAt < 0) {
          const line = readLine(at)
          if (!line) break
          if (!line.line.startsWith('FRAME')) throw new SmilecamError('INVALID_INPUT', 'Broken y4m stream: a frame does not start with FRAME.')
          planesAt = line.next
        }
        if (pending.length - planesAt < frameSize) break
        const bytes = pending.slice(planesAt, planesAt + frameSize)
        frames.push(framePlanes(bytes, info.width, info.height))
        at = planesAt + frameSize
        planesAt = -1
      }
      if (planesAt >= 0) planesAt -= at
      pending = pending.subarray(at)
      return frames
    },
    end() {
      if (!info) throw new SmilecamError('INVALID_INPUT', 'Not a y4m stream: it ended before its header.')
      if (pending.length > 0) throw new SmilecamError('INVALID_INPUT', 'The y4m stream ends inside a frame (truncated file?).')
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}

/** A whole frame as y4m bytes (FRAME line and planes). */
export function encodeY4mFrame(frame: Yuv420Frame): Uint8Array {
  const header = new TextEncoder().encode(Y4M_FRAME_HEADER)
  const out = new Uint8Array(header.length + frame.y.length + frame.u.length + frame.v.length)
  out.set(header, 0)
  out.set(frame.y, header.length)
  out.set(frame.u, header.length + frame.y.length)
  out.set(frame.v, header.length + frame.y.length + frame.u.length)
  return out
}
