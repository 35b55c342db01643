import { describe, expect, it } from 'vitest'
import { takeBridgeToken, TOKEN_STORAGE_KEY } from '../../../src/renderer/src/api/token'

function environment(search: string, stored: string | null = null) {
  const storage = new Map<string, string>(stored ? [[TOKEN_STORAGE_KEY, stored]] : [])
  const replaced: string[] = []
  return {
    env: {
      location: { search, pathname: '/', hash: '#x' },
      storage: { getItem: (key: string) => storage.get(key) ?? null, setItem: (key: string, value: string) => void storage.set(key, value) },
      replaceUrl: (url: string) => void replaced.push(url)
    },
    storage,
    replaced
  }
}

describe('takeBridgeToken', () => {
  it('takes the token from the URL, stores it and strips it (keeping other params)', () => {
    const { env, storage, replaced } = environment('?token=abc123&tab=audit')
    expect(takeBridgeToken(env)).toBe('abc123')
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('abc123')
    expect(replaced).toEqual(['/?tab=audit#x'])
  })

  it('falls back to the stored token after a reload, and null without one', () => {
    const { env, replaced } = environment('', 'stored')
    expect(takeBridgeToken(env)).toBe('stored')
    expect(replaced).toEqual([])
    expect(takeBridgeToken(environment('').env)).toBeNull()
  })
})
