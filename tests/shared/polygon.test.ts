import { describe, expect, it } from 'vitest'
import { fillPolygonInto } from '../../src/shared/polygon'

const rows = (mask: ArrayLike<number>, width: number) =>
  Array.from({ length: mask.length / width }, (_, y) => Array.from({ length: width }, (_, x) => mask[y * width + x]).join(''))

describe('fillPolygonInto', () => {
  it('fills the pixel centres inside a square, with the given value and array type', () => {
    const square: [number, number][] = [[1, 1], [4, 1], [4, 3], [1, 3]]
    expect(rows(fillPolygonInto(new Uint8Array(6 * 4), square, 6, 4, 1), 6)).toEqual(['000000', '011100', '011100', '000000'])
    expect([...fillPolygonInto(new Float32Array(6 * 4), square, 6, 4, 1)].reduce((a, b) => a + b)).toBe(6)
    expect(fillPolygonInto(new Uint8Array(6 * 4), square, 6, 4, 255)[7]).toBe(255)
  })

  it('unions into an existing mask and clips to the grid', () => {
    const mask = fillPolygonInto(new Uint8Array(5 * 3), [[0, 0], [1, 0], [1, 1], [0, 1]], 5, 3, 1)
    fillPolygonInto(mask, [[3, -5], [9, -5], [9, 9], [3, 9]], 5, 3, 1)
    expect(rows(mask, 5)).toEqual(['10011', '00011', '00011'])
  })

  it('a bow tie (two triangles meeting at the centre) and fewer than three points', () => {
    expect([...fillPolygonInto(new Uint8Array(4), [[0, 0], [1, 1]], 2, 2, 1)]).toEqual([0, 0, 0, 0])
    const bowTie: [number, number][] = [[0, 0], [4, 4], [4, 0], [0, 4]]
    expect(rows(fillPolygonInto(new Uint8Array(16), bowTie, 4, 4, 1), 4)).toEqual(['1001', '1111', '1111', '1001'])
  })
})
