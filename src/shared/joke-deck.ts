/**
 * A deck that deals every item once, in a shuffled order, before any repeats; then reshuffles
 * (never starting the new round with the item that ended the last one). Pure: the random
 * source is passed in, so tests can replay a sequence.
 */
export interface JokeDeck<T> {
  next(): T
  /** How many are left before the deck reshuffles. */
  remaining(): number
}

/** Fisher-Yates shuffle of a copy with `random` in [0, 1). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

export function createJokeDeck<T>(items: readonly T[], random: () => number = Math.random): JokeDeck<T> {
  if (items.length === 0) throw new RangeError('A joke deck needs at least one joke.')
  let order: T[] = []
  let last: T | undefined
  return {
    next() {
      if (order.length === 0) {
        order = shuffled(items, random)
        // The first of the new round should not repeat the last one told.
        if (order.length > 1 && order[order.length - 1] === last) [order[0], order[order.length - 1]] = [order[order.length - 1], order[0]]
      }
      // Dealt from the end of the array.
      last = order.pop() as T
      return last
    },
    remaining: () => order.length
  }
}
