/**
 * When to tell a joke in auto-capture: after `idleMs` with a face in view and no smile, show the
 * next joke from the deck for `showMs`, then wait `idleMs` again. A smile (the trigger leaving
 * 'waiting') hides the joke at once and restarts the wait, so the capture fires on the smile the
 * joke earned. Pure: time comes in with every update.
 */
import type { JokeDeck } from '../../../shared/joke-deck'
import type { Joke } from '../../../shared/jokes'

export interface JokeTimerConfig {
  /** No smile for this long (with a face in view) before a joke. */
  idleMs: number
  /** How long a joke stays up. */
  showMs: number
}

export const DEFAULT_JOKE_TIMER: JokeTimerConfig = { idleMs: 4000, showMs: 9000 }

export interface JokeFrame {
  tMs: number
  /** Auto-capture and jokes are both on. */
  enabled: boolean
  faceInView: boolean
  /** The smile trigger is holding, counting down or has just fired: a smile is under way. */
  smiling: boolean
}

export interface JokeTimer {
  /** The joke to show now, or null. */
  update(frame: JokeFrame): Joke | null
  reset(): void
}

export function createJokeTimer(deck: JokeDeck<Joke>, config: JokeTimerConfig = DEFAULT_JOKE_TIMER): JokeTimer {
  let waitingSince: number | null = null
  let shown: { joke: Joke; sinceMs: number } | null = null
  return {
    update({ tMs, enabled, faceInView, smiling }) {
      if (!enabled || smiling || !faceInView) {
        shown = null
        waitingSince = enabled && faceInView ? tMs : null
        return null
      }
      if (shown) {
        if (tMs - shown.sinceMs < config.showMs) return shown.joke
        shown = null
        waitingSince = tMs
        return null
      }
      waitingSince ??= tMs
      if (tMs - waitingSince < config.idleMs) return null
      shown = { joke: deck.next(), sinceMs: tMs }
      return shown.joke
    },
    reset() {
      waitingSince = null
      shown = null
    }
  }
}
