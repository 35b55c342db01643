import { describe, expect, it } from 'vitest'
import { createJokeDeck, shuffled } from '../../src/shared/joke-deck'
import { JOKES } from '../../src/shared/jokes'

/** A seeded generator (mulberry32) so runs repeat. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('joke deck', () => {
  it('deals every joke once before any repeats, over several rounds, never repeating across a round boundary', () => {
    const deck = createJokeDeck(JOKES, seeded(7))
    let previous: unknown
    for (let round = 0; round < 5; round++) {
      const seen = new Set()
      for (let i = 0; i < JOKES.length; i++) {
        const joke = deck.next()
        expect(seen.has(joke)).toBe(false)
        expect(joke).not.toBe(previous)
        seen.add(joke)
        previous = joke
      }
      expect(seen.size).toBe(JOKES.length)
      expect(deck.remaining()).toBe(0)
    }
  })

  it('shuffles (a different order per seed) without losing or duplicating items', () => {
    const items = Array.from({ length: 20 }, (_, i) => i)
    const a = shuffled(items, seeded(1))
    const b = shuffled(items, seeded(2))
    expect([...a].sort((x, y) => x - y)).toEqual(items)
    expect(a).not.toEqual(items)
    expect(a).not.toEqual(b)
    // Boundary: with random() = 0 every element swaps with the first.
    expect(shuffled([1, 2, 3], () => 0)).toEqual([2, 3, 1])
    expect(() => createJokeDeck([])).toThrow(RangeError)
    const one = createJokeDeck(['only'])
    expect([one.next(), one.next()]).toEqual(['only', 'only'])
  })
})

describe('the joke set', () => {
  it('has at least 100 distinct, short jokes with a setup and a punchline', () => {
    expect(JOKES.length).toBeGreaterThanOrEqual(100)
    expect(new Set(JOKES.map((j) => j.setup.toLowerCase())).size).toBe(JOKES.length)
    for (const joke of JOKES) {
      expect(joke.setup).toMatch(/\?$/)
      expect(joke.punchline.length).toBeGreaterThan(3)
      expect(joke.setup.length + joke.punchline.length).toBeLessThan(140)
    }
  })
})
