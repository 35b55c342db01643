import { describe, expect, it } from 'vitest'
import type { BlurCompositor } from '../../../src/renderer/src/lib/blur-compositor'
import { encodeCapture } from '../../../src/renderer/src/lib/live-capture'

const video = { videoWidth: 1280, videoHeight: 720 } as HTMLVideoElement

function recordingCompositor(log: string[]) {
  return (canvas: HTMLCanvasElement): BlurCompositor =>
    ({
      canvas,
      uploadFrame: (slot: number, _source: unknown, width: number, height: number) => {
        canvas.width = width
        canvas.height = height
        log.push(`upload ${slot} ${width}x${height}`)
      },
      setMask: (_mask: Float32Array | null, width: number, height: number) => log.push(`mask ${width}x${height}`),
      render: (slot: number, options: { blur: boolean; strength: number }) => log.push(`render ${slot} blur=${options.blur} ${options.strength}`),
      renderFrame: () => log.push('renderFrame'),
      setOverlay: (source: { width: number } | null) => log.push(`overlay ${source ? source.width : 'none'}`),
      close: () => log.push('close')
    }) as unknown as BlurCompositor
}

describe('encodeCapture', () => {
  it('without blur encodes the video at full resolution, no compositor', async () => {
    const log: string[] = []
    const jpeg = await encodeCapture(video, null, {
      createCompositor: recordingCompositor(log),
      encode: async (source, width, height) => {
        log.push(`encode ${source === video ? 'video' : 'canvas'} ${width}x${height}`)
        return Uint8Array.of(255, 216)
      }
    })
    expect([...jpeg]).toEqual([255, 216])
    expect(log).toEqual(['encode video 1280x720'])
  })

  it('with blur composites the full-resolution frame with the mask on a one-off compositor, then closes it', async () => {
    const log: string[] = []
    const mask = { values: new Float32Array(48 * 27), width: 48, height: 27 }
    await encodeCapture(video, { mask, strength: 0.6 }, {
      createCompositor: recordingCompositor(log),
      createCanvas: () => ({ width: 0, height: 0 }) as HTMLCanvasElement,
      encode: async (source, width, height) => {
        log.push(`encode ${source === video ? 'video' : 'canvas'} ${width}x${height}`)
        return Uint8Array.of(1)
      }
    })
    expect(log).toEqual(['upload 0 1280x720', 'mask 48x27', 'overlay none', 'render 0 blur=true 0.6', 'encode canvas 1280x720', 'close'])
  })

  it('with a face filter on (and no blur) composites the filter layer over the full-resolution frame', async () => {
    const log: string[] = []
    const layer = { width: 640, height: 360 } as HTMLCanvasElement
    await encodeCapture(
      video,
      null,
      {
        createCompositor: recordingCompositor(log),
        createCanvas: () => ({ width: 0, height: 0 }) as HTMLCanvasElement,
        encode: async (source, width, height) => {
          log.push(`encode ${source === video ? 'video' : 'canvas'} ${width}x${height}`)
          return Uint8Array.of(1)
        }
      },
      layer
    )
    expect(log).toEqual(['upload 0 1280x720', 'overlay 640', 'render 0 blur=false 0', 'encode canvas 1280x720', 'close'])
  })

  it('closes the compositor when encoding fails', async () => {
    const log: string[] = []
    const mask = { values: new Float32Array(4), width: 2, height: 2 }
    const failing = encodeCapture(video, { mask, strength: 0.5 }, {
      createCompositor: recordingCompositor(log),
      createCanvas: () => ({ width: 0, height: 0 }) as HTMLCanvasElement,
      encode: async () => {
        throw new Error('no JPEG')
      }
    })
    await expect(failing).rejects.toThrow('no JPEG')
    expect(log.at(-1)).toBe('close')
  })
})
