import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { SmilecamApi } from '../../../src/shared/api'
import { SmilecamError } from '../../../src/shared/errors'

// The preload runs in Electron's sandbox; here electron is a fake that records what it is asked.
const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>()
  return {
    exposed: new Map<string, unknown>(),
    listeners,
    invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
    sent: [] as string[]
  }
})

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: electron.invoke,
    send: (channel: string) => electron.sent.push(channel),
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      const set = electron.listeners.get(channel) ?? new Set()
      set.add(listener)
      electron.listeners.set(channel, set)
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => electron.listeners.get(channel)?.delete(listener)
  }
}))

async function loadApi(): Promise<SmilecamApi> {
  await import('../../../src/preload/index')
  return electron.exposed.get('smilecam') as SmilecamApi
}

describe('preload', () => {
  beforeEach(() => {
    electron.invoke.mockReset()
  })

  it('exposes only window.smilecam with named domain functions', async () => {
    const api = await loadApi()
    expect([...electron.exposed.keys()]).toEqual(['smilecam'])
    expect(api.platform).toBe('electron')
    expect(Object.keys(api).sort()).toEqual(['audit', 'captures', 'linkedin', 'platform', 'settings', 'vcam', 'vision'])
    expect(JSON.stringify(api)).not.toContain('invoke')
  })

  it('invokes the matching channel and unwraps results', async () => {
    const api = await loadApi()
    electron.invoke.mockResolvedValueOnce({ ok: true, result: [{ name: 'a.jpg' }] })
    expect(await api.captures.list()).toEqual([{ name: 'a.jpg' }])
    expect(electron.invoke).toHaveBeenLastCalledWith('captures:list')
    electron.invoke.mockResolvedValueOnce({ ok: true, result: null })
    expect(await api.vision.detectForVideo({ width: 1, height: 1, data: new Uint8Array(4), timestampMs: 0, personMask: false, expression: false })).toBeNull()
    electron.invoke.mockResolvedValueOnce({ ok: true, result: null })
    await api.audit.blur('r1', 'face', 0.4)
    expect(electron.invoke).toHaveBeenLastCalledWith('audit:blur', 'r1', 'face', 0.4)
  })

  it('rejects with plain error info that SmilecamError.from restores', async () => {
    const api = await loadApi()
    electron.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'FILE_NOT_FOUND', message: 'gone' } })
    const caught = await api.captures.read('a.jpg').catch((error: unknown) => error)
    expect(caught).toEqual({ name: 'SmilecamError', code: 'FILE_NOT_FOUND', message: 'gone' })
    const restored = SmilecamError.from(caught)
    expect(restored.code).toBe('FILE_NOT_FOUND')
    expect(restored.message).toBe('gone')
  })

  it('subscribes to audit progress and unsubscribes', async () => {
    const api = await loadApi()
    const seen: unknown[] = []
    const off = api.audit.onProgress((progress) => seen.push(progress))
    const progress = { step: 'detect', fraction: 0.3, message: 'Finding faces' }
    for (const listener of electron.listeners.get('audit:progress') ?? []) listener({}, progress)
    off()
    for (const listener of electron.listeners.get('audit:progress') ?? []) listener({}, progress)
    expect(seen).toEqual([progress])
    expect(electron.listeners.get('audit:progress')?.size).toBe(0)
  })

  it('asks main for a frame port; once it arrives, frames go on it (buffer transferred), not through ipcRenderer.invoke', async () => {
    const api = await loadApi()
    expect(electron.sent).toContain('vision:requestPort')
    const posted: { message: { id: number; type: string; data: ArrayBuffer }; transfer: unknown[] }[] = []
    let answer: ((event: { data: unknown }) => void) | null = null
    const port = {
      postMessage: (message: never, transfer: unknown[]) => void posted.push({ message, transfer }),
      addEventListener: (_type: string, listener: (event: { data: unknown }) => void) => void (answer = listener),
      start: vi.fn(),
      close: vi.fn()
    }
    for (const listener of electron.listeners.get('vision:port') ?? []) listener({ ports: [port] })
    electron.invoke.mockClear()
    const data = new Uint8Array(4).fill(9)
    const pending = api.vision.detectForVideo({ width: 1, height: 1, data, timestampMs: 5, personMask: true, expression: false })
    expect(electron.invoke).not.toHaveBeenCalled()
    expect(posted[0].message).toMatchObject({ type: 'frame', width: 1, height: 1, timestampMs: 5, personMask: true, expression: false })
    expect(posted[0].transfer).toEqual([posted[0].message.data])
    answer!({ data: { id: posted[0].message.id, started: true } })
    answer!({ data: { id: posted[0].message.id, ok: true, result: { width: 1, height: 1, faces: [] } } })
    expect(await pending).toMatchObject({ width: 1, faces: [] })
  })
})
