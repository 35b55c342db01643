import { describe, expect, it } from 'vitest'
import { createSettingsStore } from '../../../src/renderer/src/composables/useSettings'
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/settings'
import { createFakeBridge } from '../fake-bridge'

describe('settings store', () => {
  it('loads settings and the corrupt-file warning', async () => {
    const stored = structuredClone(DEFAULT_SETTINGS)
    stored.live.blurMode = 'face'
    const { api } = createFakeBridge({ settingsGet: async () => ({ settings: stored, warning: 'Settings were unreadable; using defaults.' }) })
    const store = createSettingsStore(api)
    expect(store.loaded.value).toBe(false)
    await store.load()
    expect(store.loaded.value).toBe(true)
    expect(store.settings.live.blurMode).toBe('face')
    expect(store.warning.value).toMatch(/unreadable/)
  })

  it('a failing load keeps defaults, reports the error and still counts as loaded', async () => {
    const { api } = createFakeBridge({ settingsGet: () => Promise.reject({ code: 'INTERNAL', message: 'disk on fire' }) })
    const store = createSettingsStore(api)
    await store.load()
    expect(store.loaded.value).toBe(true)
    expect(store.error.value).toBe('disk on fire')
    expect(store.settings.capture.marThreshold).toBe(0.09)
  })

  it('applies an edit at once and persists it; the stored answer (clamped) wins', async () => {
    const { api, calls } = createFakeBridge({
      settingsSet: async (_patch, stored) => ({ ...structuredClone(stored), live: { ...stored.live, blurStrength: Math.min(1, stored.live.blurStrength) } })
    })
    const store = createSettingsStore(api)
    const saving = store.update({ live: { blurStrength: 3 } })
    expect(store.settings.live.blurStrength).toBe(3)
    await saving
    expect(store.settings.live.blurStrength).toBe(1)
    expect(calls.filter((call) => call.channel === 'settings:set')).toHaveLength(1)
  })

  it('a slow answer to an older save never undoes a newer edit, not even for a moment', async () => {
    const releases: (() => void)[] = []
    const { api } = createFakeBridge({
      settingsSet: async (_patch, stored) => {
        const snapshot: Settings = structuredClone(stored)
        await new Promise<void>((resolve) => releases.push(resolve))
        return snapshot
      }
    })
    const store = createSettingsStore(api)
    const a = store.update({ live: { blurMode: 'face' } })
    const b = store.update({ live: { mirror: false } })
    await Promise.resolve()
    releases.shift()?.() // the server answers the first save: its snapshot still has mirror on
    await a
    expect(store.settings.live.mirror).toBe(false)
    expect(store.settings.live.blurMode).toBe('face')
    await new Promise((resolve) => setTimeout(resolve, 0))
    releases.shift()?.()
    await b
    expect(store.settings.live).toMatchObject({ blurMode: 'face', mirror: false })
  })

  it('a failed save says so', async () => {
    const { api } = createFakeBridge({ settingsSet: () => Promise.reject({ code: 'INVALID_INPUT', message: 'blurStrength must be 0..1' }) })
    const store = createSettingsStore(api)
    await store.update({ live: { blurStrength: 0.5 } })
    expect(store.error.value).toBe('Settings were not saved: blurStrength must be 0..1')
  })
})
