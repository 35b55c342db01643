/**
 * Recent audits kept in memory within a byte budget, least recently used first out. The newest
 * entry always stays, however large, so the audit just run can still be re-blurred and saved.
 */
export interface RecentCache<T> {
  remember(id: string, entry: T): void
  /** The entry (now most recently used), or undefined when it was evicted or never there. */
  recall(id: string): T | undefined
  /** Evicts again after entries grew (re-blur, fix). */
  trim(): void
  clear(): void
}

export function createRecentCache<T>(budgetBytes: number, sizeOf: (entry: T) => number): RecentCache<T> {
  const entries = new Map<string, T>()
  function trim(): void {
    let total = 0
    for (const entry of entries.values()) total += sizeOf(entry)
    for (const [id, entry] of entries) {
      if (total <= budgetBytes || entries.size === 1) break
      total -= sizeOf(entry)
      entries.delete(id)
    }
  }
  return {
    remember(id, entry) {
      entries.delete(id)
      entries.set(id, entry)
      trim()
    },
    recall(id) {
      const entry = entries.get(id)
      if (entry === undefined) return undefined
      // Most recently used goes to the end.
      entries.delete(id)
      entries.set(id, entry)
      return entry
    },
    trim,
    clear() {
      entries.clear()
    }
  }
}
