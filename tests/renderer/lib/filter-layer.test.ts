import { describe, expect, it } from 'vitest'
import { artworkUrl, drawPlacements, scalePlacements } from '../../../src/renderer/src/lib/filter-layer'
import { artworkSvg, type FilterPlacement } from '../../../src/shared/face-filters'

const placement: FilterPlacement = { filter: 'sunglasses', cx: 100, cy: 50, width: 80, height: 26, angle: 0.2 }

describe('filter layer', () => {
  it('scales placements from analysis pixels to layer pixels', () => {
    expect(scalePlacements([placement], 2)).toEqual([{ ...placement, cx: 200, cy: 100, width: 160, height: 52 }])
  })

  it('draws each artwork centred on its placement, rotated by its angle', () => {
    const calls: string[] = []
    const context = {
      save: () => calls.push('save'),
      restore: () => calls.push('restore'),
      translate: (x: number, y: number) => calls.push(`translate ${x} ${y}`),
      rotate: (a: number) => calls.push(`rotate ${a}`),
      drawImage: (_image: unknown, x: number, y: number, w: number, h: number) => calls.push(`draw ${x} ${y} ${w} ${h}`)
    } as unknown as CanvasRenderingContext2D
    drawPlacements(context, [placement], {} as CanvasImageSource)
    expect(calls).toEqual(['save', 'translate 100 50', 'rotate 0.2', 'draw -40 -13 80 26', 'restore'])
  })

  it('serves the artwork as a data: URL (allowed by the CSP, nothing fetched)', () => {
    const url = artworkUrl('moustache')
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true)
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(artworkSvg('moustache'))
  })
})
