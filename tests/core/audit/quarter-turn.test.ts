import { describe, expect, it } from 'vitest'
import { turnImage, turnPixels, unturnPoint, type QuarterTurns } from '../../../src/core/audit/quarter-turn'
import type { Point } from '../../../src/shared/vision'

// A 3 x 2 one-channel picture:  1 2 3
//                               4 5 6
const pixels = Uint8Array.from([1, 2, 3, 4, 5, 6])

describe('turnPixels', () => {
  it('turns clockwise by quarter turns', () => {
    expect(turnPixels(pixels, 3, 2, 1, 1)).toEqual({ width: 2, height: 3, data: Uint8Array.from([4, 1, 5, 2, 6, 3]) })
    expect(turnPixels(pixels, 3, 2, 1, 2)).toEqual({ width: 3, height: 2, data: Uint8Array.from([6, 5, 4, 3, 2, 1]) })
    expect(turnPixels(pixels, 3, 2, 1, 3)).toEqual({ width: 2, height: 3, data: Uint8Array.from([3, 6, 2, 5, 1, 4]) })
  })

  it('moves whole RGBA pixels, and four turns give the picture back', () => {
    const rgba = { width: 3, height: 2, data: Uint8Array.from({ length: 24 }, (_, i) => i) }
    const once = turnImage(rgba, 1)
    expect(Array.from(once.data.subarray(0, 4))).toEqual([12, 13, 14, 15])
    const back = turnImage(turnImage(turnImage(once, 1), 1), 1)
    expect(back).toEqual(rgba)
  })
})

describe('unturnPoint', () => {
  it('maps each turned pixel centre back onto the original pixel it came from', () => {
    for (const turns of [1, 2, 3] as QuarterTurns[]) {
      // Tag every pixel with its index, turn, and check where each turned centre maps.
      const tagged = Uint8Array.from({ length: 6 }, (_, i) => i)
      const turned = turnPixels(tagged, 3, 2, 1, turns)
      for (let v = 0; v < turned.height; v++) {
        for (let u = 0; u < turned.width; u++) {
          const [x, y] = unturnPoint<Point>([u + 0.5, v + 0.5], turns, 3, 2)
          expect(Math.floor(y) * 3 + Math.floor(x)).toBe(turned.data[v * turned.width + u])
        }
      }
    }
  })

  it('keeps a third coordinate (mesh depth) as it is', () => {
    expect(unturnPoint([1, 2, 7] as [number, number, number], 1, 300, 200)).toEqual([2, 199, 7])
  })
})
