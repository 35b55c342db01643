import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '../../../src/shared/settings'
import { mergeSettings, sanitizeSettings } from '../../../src/core/settings/settings'
import { createSettingsStore } from '../../../src/core/settings/store'

describe('sanitizeSettings', () => {
  it('returns defaults for non-objects with a problem', () => {
    for (const raw of [null, 42, 'x', []]) {
      const { settings, problems } = sanitizeSettings(raw)
      expect(settings).toEqual(DEFAULT_SETTINGS)
      expect(problems).toHaveLength(1)
    }
  })

  it('keeps valid fields, fills missing ones silently, resets wrong ones with a problem, clamps numbers', () => {
    const { settings, problems } = sanitizeSettings({
      live: { mirror: false, blurMode: 'sepia', blurStrength: 5 },
      capture: { holdMs: 412.6, folder: 'relative/path' },
      audit: 'nope',
      unknown: { a: 1 }
    })
    expect(settings.live.mirror).toBe(false)
    expect(settings.live.blurMode).toBe(DEFAULT_SETTINGS.live.blurMode)
    expect(settings.live.blurStrength).toBe(1)
    expect(settings.capture.holdMs).toBe(413)
    expect(settings.capture.folder).toBeNull()
    expect(settings.audit).toEqual(DEFAULT_SETTINGS.audit)
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['audit', 'capture.folder', 'live.blurMode'])
  })

  it('never shares objects with DEFAULT_SETTINGS', () => {
    const { settings } = sanitizeSettings({})
    settings.live.mirror = !DEFAULT_SETTINGS.live.mirror
    expect(DEFAULT_SETTINGS.live.mirror).toBe(true)
  })
})

describe('mergeSettings', () => {
  it('applies a partial patch and leaves the base untouched', () => {
    const base = sanitizeSettings({}).settings
    const merged = mergeSettings(base, { live: { blurStrength: 0.1 }, capture: { folder: '/home/me/Pics' } })
    expect(merged.live.blurStrength).toBe(0.1)
    expect(merged.live.mirror).toBe(base.live.mirror)
    expect(merged.capture.folder).toBe('/home/me/Pics')
    expect(base.live.blurStrength).toBe(DEFAULT_SETTINGS.live.blurStrength)
  })

  it('clamps, ignores wrong types and unknown keys', () => {
    const base = sanitizeSettings({}).settings
    const merged = mergeSettings(base, {
      capture: { cooldownMs: -5, sound: 'loud' as unknown as boolean },
      live: { nope: 1 } as never
    })
    expect(merged.capture.cooldownMs).toBe(0)
    expect(merged.capture.sound).toBe(base.capture.sound)
    expect(merged.live).toEqual(base.live)
  })
})

describe('SettingsStore', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smilecam-settings-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('starts from defaults without a warning when there is no file', async () => {
    const store = createSettingsStore({ file: join(dir, 'settings.json') })
    expect(await store.load()).toEqual({ settings: DEFAULT_SETTINGS })
  })

  it('persists updates atomically and reloads them', async () => {
    const file = join(dir, 'nested', 'settings.json')
    const store = createSettingsStore({ file })
    const [a, b] = await Promise.all([store.update({ live: { mirror: false } }), store.update({ capture: { holdMs: 900 } })])
    expect(a.live.mirror).toBe(false)
    expect(b.live.mirror).toBe(false)
    expect(b.capture.holdMs).toBe(900)
    expect(await readdir(join(dir, 'nested'))).toEqual(['settings.json'])
    const reloaded = await createSettingsStore({ file }).load()
    expect(reloaded.warning).toBeUndefined()
    expect(reloaded.settings.live.mirror).toBe(false)
    expect(reloaded.settings.capture.holdMs).toBe(900)
  })

  it('falls back to defaults with a warning on a corrupt file, keeps a copy, and heals on save', async () => {
    const file = join(dir, 'settings.json')
    await writeFile(file, '{"live": {"mirror": fal')
    const store = createSettingsStore({ file })
    const loaded = await store.load()
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS)
    expect(loaded.warning).toMatch(/damaged/)
    expect(await readFile(`${file}.corrupt`, 'utf8')).toBe('{"live": {"mirror": fal')
    await store.update({ live: { showHud: false } })
    expect((await store.load()).warning).toBeUndefined()
    expect(JSON.parse(await readFile(file, 'utf8')).live.showHud).toBe(false)
  })

  it('warns about a partially invalid file and keeps the valid part', async () => {
    const file = join(dir, 'settings.json')
    await writeFile(file, JSON.stringify({ live: { mirror: false, blurStrength: 'high' } }))
    const loaded = await createSettingsStore({ file }).load()
    expect(loaded.settings.live.mirror).toBe(false)
    expect(loaded.settings.live.blurStrength).toBe(DEFAULT_SETTINGS.live.blurStrength)
    expect(loaded.warning).toMatch(/live\.blurStrength/)
  })

  it('warns when the path cannot be read as a file', async () => {
    const loaded = await createSettingsStore({ file: dir }).load()
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS)
    expect(loaded.warning).toMatch(/could not be read/)
  })
})
