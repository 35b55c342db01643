import { describe, expect, it } from 'vitest'
import { blurSigma } from '../../../src/shared/blur'
import { SmilecamError } from '../../../src/shared/errors'
import type { RgbaImage, VisionResult } from '../../../src/shared/vision'
import { compositeFrame, createFrameProcessor, parseBackgroundArgument, type VideoEngine, type Yuv420Frame } from '../../../src/core'

const W = 64
const H = 48

/** Stripes everywhere, so any blur shows; a bright block in the middle. */
function frame(): Yuv420Frame {
  const y = Uint8Array.from({ length: W * H }, (_, p) => {
    const x = p % W
    const row = Math.floor(p / W)
    return x >= 24 && x < 40 && row >= 12 ? 220 : x % 2 === 0 ? 30 : 90
  })
  const c = (W / 2) * (H / 2)
  return { width: W, height: H, y, u: new Uint8Array(c).fill(128), v: new Uint8Array(c).fill(128) }
}

/** A person mask covering the middle block, as the engine would send at 16×12. */
function result(image: RgbaImage, timestampMs: number): VisionResult {
  const data = Uint8Array.from({ length: 16 * 12 }, (_, p) => (p % 16 >= 6 && p % 16 < 10 && p >= 16 * 3 ? 255 : 0))
  return { width: image.width, height: image.height, faces: [], personMask: { width: 16, height: 12, data }, timings: { detectMs: 0, landmarksMs: 0, expressionMs: 0, segmentMs: 0, totalMs: 0 }, timestampMs }
}

const working: VideoEngine = { detectForVideo: (image, t) => Promise.resolve(result(image, t)) }
const failing: VideoEngine = { detectForVideo: () => Promise.reject(new SmilecamError('ENGINE_FAILED', 'The vision engine stopped unexpectedly.')) }
const busy: VideoEngine = { detectForVideo: () => Promise.resolve(null) }

const sameAs = (a: Yuv420Frame, b: Yuv420Frame): boolean => a.y.every((v, i) => v === b.y[i])
/** What the fail-closed frame is: every pixel blurred at the strength asked for. */
const fullyBlurred = (f: Yuv420Frame): Yuv420Frame => compositeFrame(f, null, { kind: 'blur', sigma: blurSigma(0.6, W, H) })
const blur = { kind: 'blur', strength: 0.6 } as const

describe('frame processor', () => {
  it('sends the raw frame only with blur off', async () => {
    const processor = createFrameProcessor({ mode: 'off', background: blur })
    const f = frame()
    await processor.analyse(f, 0)
    expect(processor.render(f, 0)).toBe(f)
  })

  it('keeps the person sharp and blurs the rest once a mask is in', async () => {
    const processor = createFrameProcessor({ mode: 'person', background: blur, engine: working })
    const f = frame()
    await processor.analyse(f, 0)
    const out = processor.render(f, 0)
    expect(out.y[30 * W + 32]).toBe(220)
    expect(Math.abs(out.y[4 * W + 4] - out.y[4 * W + 5])).toBeLessThan(10)
    expect(processor.stats()).toMatchObject({ masks: 1, fullyBlurred: 0, rendered: 1 })
  })

  it('fails closed: before any mask, with a failing engine, or one that never answers, every frame is fully blurred', async () => {
    for (const engine of [failing, busy, working]) {
      const processor = createFrameProcessor({ mode: 'person', background: blur, engine })
      const f = frame()
      // The first frame goes out before the engine could answer.
      const early = processor.render(f, 0)
      await processor.analyse(f, 0)
      const later = processor.render(f, 10)
      expect(sameAs(early, f)).toBe(false)
      expect(sameAs(early, fullyBlurred(f))).toBe(true)
      if (engine !== working) {
        expect(Array.from(later.y)).toEqual(Array.from(early.y))
        expect(processor.stats().fullyBlurred).toBe(2)
      }
    }
    const processor = createFrameProcessor({ mode: 'person', background: blur, engine: failing })
    await processor.analyse(frame(), 0)
    expect(processor.lastError()?.code).toBe('ENGINE_FAILED')
  })

  it('reuses the last mask while the engine lags, then blurs everything when it dies or the mask grows old', async () => {
    let fail = false
    const flaky: VideoEngine = { detectForVideo: (image, t) => (fail ? failing.detectForVideo(image, t) : working.detectForVideo(image, t)) }
    const processor = createFrameProcessor({ mode: 'person', background: blur, engine: flaky, failClosed: { maxMaskAgeMs: 500 } })
    const f = frame()
    await processor.analyse(f, 0)
    const masked = processor.render(f, 0)
    expect(sameAs(masked, fullyBlurred(f))).toBe(false)
    expect(sameAs(processor.render(f, 300), masked)).toBe(true)
    expect(sameAs(processor.render(f, 600), fullyBlurred(f))).toBe(true)
    await processor.analyse(f, 700)
    expect(sameAs(processor.render(f, 700), masked)).toBe(true)
    fail = true
    await processor.analyse(f, 733)
    expect(sameAs(processor.render(f, 733), fullyBlurred(f))).toBe(true)
  })

  it('replaces the background with a colour', async () => {
    const processor = createFrameProcessor({ mode: 'person', background: { kind: 'colour', rgb: [0, 255, 0] }, engine: working })
    const f = frame()
    await processor.analyse(f, 0)
    const out = processor.render(f, 0)
    // Green in limited-range BT.601: Y 145.
    expect(out.y[2 * W + 2]).toBe(145)
    expect(out.y[30 * W + 32]).toBe(220)
  })
})

describe('parseBackgroundArgument', () => {
  it('tells colours, built-in backgrounds and files apart', () => {
    expect(parseBackgroundArgument('#00ff00')).toEqual({ kind: 'colour', rgb: [0, 255, 0] })
    expect(parseBackgroundArgument('dusk')).toEqual({ kind: 'builtin', id: 'dusk' })
    expect(parseBackgroundArgument('beach.jpg')).toEqual({ kind: 'file', path: 'beach.jpg' })
    expect(() => parseBackgroundArgument('#nothex')).toThrow(/not a #rrggbb colour/)
  })
})
