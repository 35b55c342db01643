import { describe, expect, it } from 'vitest'
import { createFrameProcessor, runCamera, type CameraInput, type CameraOutput, type VideoEngine, type Y4mInfo, type Yuv420Frame } from '../../../src/core'

const W = 16
const H = 8
const INFO: Y4mInfo = { width: W, height: H, fpsNumerator: 25, fpsDenominator: 1, colourSpace: '420jpeg', interlace: 'p', aspect: '1:1', extensions: [] }

function frame(value: number): Yuv420Frame {
  return { width: W, height: H, y: Uint8Array.from({ length: W * H }, (_, i) => (i % 2 ? value : 255 - value)), u: new Uint8Array(32).fill(128), v: new Uint8Array(32).fill(128) }
}

function input(frames: Yuv420Frame[], live = false): CameraInput & { closed: boolean } {
  const source = {
    info: INFO,
    live,
    closed: false,
    async *frames() {
      for (const f of frames) {
        if (source.closed) return
        yield f
      }
    },
    close() {
      source.closed = true
    }
  }
  return source
}

function output(): CameraOutput & { written: Yuv420Frame[]; closed: boolean } {
  const out = {
    written: [] as Yuv420Frame[],
    closed: false,
    write(f: Yuv420Frame) {
      out.written.push(f)
      return Promise.resolve()
    },
    failure: () => null,
    close() {
      out.closed = true
      return Promise.resolve()
    }
  }
  return out
}

/** An engine that never answers: the live loop must not wait for it. */
const stuck: VideoEngine = { detectForVideo: () => new Promise(() => undefined) }

describe('runCamera', () => {
  it('paces a clip to a device at the frame rate without waiting for a lagging engine, all frames fully blurred', async () => {
    let clock = 0
    const sleeps: number[] = []
    const frames = [frame(10), frame(20), frame(30)]
    const out = output()
    const processor = createFrameProcessor({ mode: 'person', background: { kind: 'blur', strength: 1 }, engine: stuck })
    const run = runCamera({
      input: input(frames),
      output: out,
      processor,
      paceFps: 25,
      now: () => clock,
      sleep: (ms) => {
        sleeps.push(ms)
        clock += ms
        return Promise.resolve()
      }
    })
    // The stuck analysis is awaited at the end: a real engine answers or times out; stop waiting here.
    const report = await Promise.race([run, new Promise<null>((resolve) => setTimeout(() => resolve(null), 200))])
    expect(report).toBeNull()
    expect(out.written).toHaveLength(3)
    expect(sleeps).toEqual([40, 40])
    for (const [i, f] of out.written.entries()) expect(Array.from(f.y)).not.toEqual(Array.from(frames[i].y))
    expect(processor.stats()).toMatchObject({ rendered: 3, fullyBlurred: 3, masks: 0 })
  })

  it('stops when aborted and closes input and output', async () => {
    const controller = new AbortController()
    const source = input(Array.from({ length: 50 }, (_, i) => frame(i)))
    const out = output()
    const processor = createFrameProcessor({ mode: 'off', background: { kind: 'blur', strength: 1 } })
    const origWrite = out.write
    out.write = (f) => {
      if (out.written.length === 4) controller.abort()
      return origWrite(f)
    }
    const report = await runCamera({ input: source, output: out, processor, signal: controller.signal })
    expect(report.ended).toBe('stopped')
    expect(out.written.length).toBeLessThan(50)
    expect(source.closed).toBe(true)
    expect(out.closed).toBe(true)
  })
})
