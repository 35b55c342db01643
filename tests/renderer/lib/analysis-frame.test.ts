import { describe, expect, it } from 'vitest'
import { createAnalysisFrameReader } from '../../../src/renderer/src/lib/analysis-frame'

/** A canvas whose 2D context fills getImageData with the byte index, and records draws. */
function fakeCanvasFactory() {
  const made: { width: number; height: number; draws: number[][] }[] = []
  const create = () => {
    const canvas = { width: 0, height: 0, draws: [] as number[][], getContext: () => context }
    const context = {
      canvas,
      drawImage: (_source: unknown, ...rect: number[]) => canvas.draws.push(rect),
      getImageData: (_x: number, _y: number, width: number, height: number) => ({
        data: Uint8ClampedArray.from({ length: width * height * 4 }, (_, i) => i)
      })
    }
    made.push(canvas)
    return canvas as unknown as HTMLCanvasElement
  }
  return { create, made }
}

describe('analysis frame reader', () => {
  it('draws the source scaled to the analysis size and returns its RGBA bytes, reusing the canvas', () => {
    const { create, made } = fakeCanvasFactory()
    const reader = createAnalysisFrameReader(create)
    const video = {} as CanvasImageSource
    const first = reader.read(video, 2, 1)!
    expect([...first]).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    reader.read(video, 2, 1)
    expect(made).toHaveLength(1)
    expect(made[0].draws).toEqual([[0, 0, 2, 1], [0, 0, 2, 1]])
    reader.read(video, 4, 3)
    expect(made.map(({ width, height }) => [width, height])).toEqual([[2, 1], [4, 3]])
  })

  it('hands out the canvas holding the frame last read (none before the first read)', () => {
    const { create, made } = fakeCanvasFactory()
    const reader = createAnalysisFrameReader(create)
    expect(reader.lastFrame()).toBeNull()
    reader.read({} as CanvasImageSource, 2, 1)
    expect(reader.lastFrame()).toBe(made[0])
    reader.read({} as CanvasImageSource, 4, 3)
    expect(reader.lastFrame()).toBe(made[1])
  })

  it('null without a 2D context', () => {
    const reader = createAnalysisFrameReader(() => ({ getContext: () => null }) as unknown as HTMLCanvasElement)
    expect(reader.read({} as CanvasImageSource, 2, 2)).toBeNull()
  })
})
