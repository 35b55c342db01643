import { describe, expect, it } from 'vitest'
import { createJokeDeck } from '../../../src/shared/joke-deck'
import type { Joke } from '../../../src/shared/jokes'
import { createJokeTimer } from '../../../src/renderer/src/lib/joke-timer'

const JOKES: Joke[] = [
  { setup: 'A?', punchline: 'a' },
  { setup: 'B?', punchline: 'b' },
  { setup: 'C?', punchline: 'c' }
]

function run(timer: ReturnType<typeof createJokeTimer>, from: number, to: number, frame: { enabled?: boolean; faceInView?: boolean; smiling?: boolean } = {}) {
  const seen: Array<string | null> = []
  for (let t = from; t <= to; t += 500) {
    seen.push(timer.update({ tMs: t, enabled: frame.enabled ?? true, faceInView: frame.faceInView ?? true, smiling: frame.smiling ?? false })?.setup ?? null)
  }
  return seen
}

describe('joke timer', () => {
  it('tells a joke after the idle time, keeps it up for showMs, then waits again and tells the next one', () => {
    const timer = createJokeTimer(createJokeDeck(JOKES, () => 0), { idleMs: 2000, showMs: 1500 })
    const seen = run(timer, 0, 8000)
    // 0..1500 ms: waiting; 2000: first joke for 1500 ms; 3500: gone; 5500: the next joke.
    expect(seen.slice(0, 4)).toEqual([null, null, null, null])
    expect(seen[4]).not.toBeNull()
    expect(seen.slice(4, 7).every((s) => s === seen[4])).toBe(true)
    expect(seen[7]).toBeNull()
    expect(seen[11]).not.toBeNull()
    expect(seen[11]).not.toBe(seen[4])
  })

  it('hides the joke the moment a smile starts, and tells none while off or with no face', () => {
    const timer = createJokeTimer(createJokeDeck(JOKES, () => 0), { idleMs: 1000, showMs: 5000 })
    expect(run(timer, 0, 1000).at(-1)).not.toBeNull()
    expect(run(timer, 1500, 1500, { smiling: true })).toEqual([null])
    // The wait restarts after the smile.
    expect(run(timer, 2000, 2000)).toEqual([null])
    expect(run(timer, 2500, 2500)).not.toEqual([null])
    expect(run(timer, 0, 10_000, { enabled: false }).every((s) => s === null)).toBe(true)
    expect(run(timer, 10_500, 20_000, { faceInView: false }).every((s) => s === null)).toBe(true)
  })
})
