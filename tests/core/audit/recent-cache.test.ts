import { describe, expect, it } from 'vitest'
import { createRecentCache } from '../../../src/core/audit/recent-cache'

const sized = (bytes: number) => ({ bytes })

describe('recent cache', () => {
  it('keeps the most recently used entries within the byte budget; recalling one makes it the newest', () => {
    const cache = createRecentCache<{ bytes: number }>(10, (entry) => entry.bytes)
    cache.remember('a', sized(4))
    cache.remember('b', sized(4))
    expect(cache.recall('a')).toEqual(sized(4))
    cache.remember('c', sized(4)) // 12 > 10: b, the least recently used, goes
    expect(cache.recall('b')).toBeUndefined()
    expect(cache.recall('a')).toEqual(sized(4))
    expect(cache.recall('c')).toEqual(sized(4))
    cache.clear()
    expect(cache.recall('a')).toBeUndefined()
  })

  it('the newest entry stays even over budget; trim evicts after an entry grew', () => {
    const cache = createRecentCache<{ bytes: number }>(10, (entry) => entry.bytes)
    cache.remember('a', sized(3))
    cache.remember('huge', sized(50))
    expect(cache.recall('a')).toBeUndefined()
    expect(cache.recall('huge')).toEqual(sized(50))
    const small = sized(3)
    cache.remember('small', small)
    expect(cache.recall('huge')).toBeUndefined()
    cache.remember('other', sized(3))
    expect(cache.recall('small')).toBe(small) // small is now the newest
    small.bytes = 9 // re-blurred: grew
    cache.trim()
    expect(cache.recall('other')).toBeUndefined()
    expect(cache.recall('small')).toBe(small)
  })
})
