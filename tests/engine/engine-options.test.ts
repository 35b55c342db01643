import { describe, expect, it } from 'vitest'
import { applyOptions } from '../../src/engine/engine-options'
import { DEFAULT_VISION_OPTIONS } from '../../src/shared/vision'

describe('applyOptions', () => {
  it('sets given keys and leaves the rest', () => {
    const next = applyOptions(DEFAULT_VISION_OPTIONS, { maxFaces: 2, personMask: true })
    expect(next).toEqual({ ...DEFAULT_VISION_OPTIONS, maxFaces: 2, personMask: true })
  })

  it('restores the default for a key given as undefined', () => {
    const changed = applyOptions(DEFAULT_VISION_OPTIONS, { maxFaces: 2 })
    expect(applyOptions(changed, { maxFaces: undefined }).maxFaces).toBe(DEFAULT_VISION_OPTIONS.maxFaces)
  })

  it('ignores unknown keys', () => {
    const next = applyOptions(DEFAULT_VISION_OPTIONS, { bogus: 1 } as never)
    expect(next).toEqual(DEFAULT_VISION_OPTIONS)
  })
})
