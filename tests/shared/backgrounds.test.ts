import { describe, expect, it } from 'vitest'
import { builtInBackground, BUILT_IN_BACKGROUNDS, parseHexColour, solidBackground } from '../../src/shared/backgrounds'

describe('backgrounds', () => {
  it('parses #rrggbb and #rgb colours and nothing else', () => {
    expect(parseHexColour('#1a2B3c')).toEqual([26, 43, 60])
    expect(parseHexColour('#fa0')).toEqual([255, 170, 0])
    expect(parseHexColour('1a2b3c')).toBeNull()
    expect(parseHexColour('#12345')).toBeNull()
    expect(parseHexColour('#gg0000')).toBeNull()
  })

  it('fills a solid colour, opaque', () => {
    expect(Array.from(solidBackground(2, 1, [1, 2, 3]))).toEqual([1, 2, 3, 255, 1, 2, 3, 255])
  })

  it('renders each built-in background at any size, opaque, deterministic and not flat', () => {
    expect(BUILT_IN_BACKGROUNDS.length).toBeGreaterThanOrEqual(3)
    expect(new Set(BUILT_IN_BACKGROUNDS.map((b) => b.id)).size).toBe(BUILT_IN_BACKGROUNDS.length)
    for (const background of BUILT_IN_BACKGROUNDS) {
      const a = background.render(64, 36)
      expect(a).toHaveLength(64 * 36 * 4)
      expect(Array.from(background.render(64, 36))).toEqual(Array.from(a))
      let min = 255
      let max = 0
      for (let o = 0; o < a.length; o += 4) {
        expect(a[o + 3]).toBe(255)
        min = Math.min(min, a[o])
        max = Math.max(max, a[o])
      }
      expect(max - min).toBeGreaterThan(30)
    }
    expect(builtInBackground('studio')?.label).toBe('Studio grey')
    expect(builtInBackground('nope')).toBeUndefined()
  })
})
