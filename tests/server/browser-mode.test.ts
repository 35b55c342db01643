import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startBrowserServer, type BrowserServer } from '../../src/server/index'
import { decodeWire, encodeWire } from '../../src/shared/wire'

/** The real services behind the server (settings, captures, audit, engine), with an empty model folder. */
describe('startBrowserServer with the real services', () => {
  let dir: string
  let server: BrowserServer

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smilecam-browser-mode-'))
    await writeFile(join(dir, 'settings.json'), '{"live": {"mirror": "sideways"}}')
    server = await startBrowserServer({
      webRoot: null,
      modelDir: join(dir, 'no-models'),
      capturesDir: join(dir, 'captures'),
      settingsFile: join(dir, 'settings.json'),
      warmUp: false
    })
  })
  afterEach(async () => {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  })

  const call = async (channel: string, args: unknown[]) => {
    const response = await fetch(`${server.origin}/api/${channel}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ args: encodeWire(args) })
    })
    return decodeWire(await response.json()) as { ok: boolean; result?: any; error?: { code: string; message: string } } // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads loosely typed JSON
  }

  it('loads settings with a warning, persists changes to the given file', async () => {
    const loaded = await call('settings:get', [])
    expect(loaded.result.settings.live.mirror).toBe(true)
    expect(loaded.result.warning).toMatch(/live\.mirror/)
    await call('settings:set', [{ live: { showHud: false } }])
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')).live.showHud).toBe(false)
  })

  it('saves, lists and reads captures in the given folder; the folder "dialog" returns it', async () => {
    const jpeg = new Uint8Array(await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c84' } }).jpeg().toBuffer())
    const saved = await call('captures:save', [{ data: jpeg, mimeType: 'image/jpeg' }])
    expect(saved.result).toMatchObject({ width: 40, height: 30 })
    expect(await readdir(join(dir, 'captures'))).toEqual([saved.result.name])
    expect((await call('captures:list', [])).result.map((c: { name: string }) => c.name)).toEqual([saved.result.name])
    const thumb = await call('captures:read', [saved.result.name])
    expect(thumb.result.data).toBeInstanceOf(Uint8Array)
    expect(await call('captures:chooseFolder', [])).toEqual({ ok: true, result: join(dir, 'captures') })
    // No system viewer in browser mode: the page gets the full photo to open in a new tab.
    const opened = await call('captures:open', [saved.result.name])
    expect(opened.result).toMatchObject({ mimeType: 'image/jpeg', width: 40, height: 30 })
    expect(await call('linkedin:status', [])).toEqual({ ok: true, result: { signedIn: false, canSignIn: false } })
    expect(await call('linkedin:signIn', [])).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED', message: expect.stringMatching(/desktop app/) } })
  })

  it('reports a missing model as a typed error instead of crashing, and keeps serving', async () => {
    const frame = { width: 2, height: 2, data: new Uint8Array(16), timestampMs: 0, personMask: false, expression: false }
    const result = await call('vision:detectForVideo', [frame])
    expect(result.ok).toBe(false)
    expect(result.error?.code).toBe('MODEL_MISSING')
    expect((await call('settings:get', [])).ok).toBe(true)
  })
})
