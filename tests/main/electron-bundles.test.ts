/**
 * What electron-vite built (npm test runs `electron-vite build` first), loaded without Electron:
 * the bundled preload in a vm context with a fake contextBridge/ipcRenderer, and the bundled
 * vision host forked as a Node process and asked to find faces in a photo.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { decodeFile } from '../../src/core'
import { VisionEngine } from '../../src/engine'
import { nodeHostSpawner } from '../../src/engine/node-host'
import { eventMethodName, splitChannel } from '../../src/shared/api'
import { IPC_CHANNELS, IPC_EVENT_CHANNELS } from '../../src/shared/ipc'

const root = resolve(import.meta.dirname, '..', '..')
const PRELOAD = join(root, 'out', 'preload', 'index.cjs')
const VISION_HOST = join(root, 'out', 'main', 'vision-host.js')
const require = createRequire(import.meta.url)
const photo = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample2.jpg')

function assertBuilt(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npx electron-vite build\` (npm test does)`)
}

/** Runs the preload bundle as Electron's sandbox would: `require` gives 'electron' and nothing else. */
function loadPreload() {
  assertBuilt(PRELOAD)
  const exposed = new Map<string, unknown>()
  const invoked: { channel: string; args: unknown[] }[] = []
  const listeners = new Map<string, ((event: unknown, payload: unknown) => void)[]>()
  const required: string[] = []
  const sent: string[] = []
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      send: (channel: string) => void sent.push(channel),
      invoke: async (channel: string, ...args: unknown[]) => {
        invoked.push({ channel, args })
        return channel === 'captures:delete'
          ? { ok: false, error: { code: 'FILE_NOT_FOUND', message: 'gone' } }
          : { ok: true, result: `answer of ${channel}` }
      },
      on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
        listeners.set(channel, [...(listeners.get(channel) ?? []), listener])
      },
      removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
        listeners.set(channel, (listeners.get(channel) ?? []).filter((each) => each !== listener))
      }
    }
  }
  const module = { exports: {} }
  const context = vm.createContext({
    module,
    exports: module.exports,
    require: (name: string) => {
      required.push(name)
      if (name === 'electron') return electron
      throw new Error(`a sandboxed preload cannot require ${name}`)
    }
  })
  vm.runInContext(readFileSync(PRELOAD, 'utf8'), context, { filename: PRELOAD })
  return { exposed, invoked, listeners, required, sent }
}

describe('bundled preload (out/preload/index.cjs)', () => {
  it('exposes window.smilecam with every contract method and nothing else', () => {
    const { exposed, required, sent } = loadPreload()
    expect([...exposed.keys()]).toEqual(['smilecam'])
    expect(required).toEqual(['electron'])
    // It asks main for the direct frame port to the engine host (frames then skip the IPC relay).
    expect(sent).toEqual(['vision:requestPort'])
    const api = exposed.get('smilecam') as Record<string, unknown>
    const methods = Object.entries(api)
      .filter(([, value]) => typeof value === 'object')
      .flatMap(([domain, group]) =>
        Object.entries(group as Record<string, unknown>).map(([name, fn]) => {
          expect(typeof fn).toBe('function')
          return `${domain}.${name}`
        })
      )
    const expected = [
      ...IPC_CHANNELS.map((channel) => `${splitChannel(channel).domain}.${splitChannel(channel).name}`),
      ...IPC_EVENT_CHANNELS.map((channel) => `${splitChannel(channel).domain}.${eventMethodName(channel)}`)
    ]
    expect(methods.sort()).toEqual(expected.sort())
    expect(Object.keys(api).filter((key) => typeof api[key] !== 'object')).toEqual(['platform'])
    expect(api.platform).toBe('electron')
  })

  it('each method invokes its own channel; failures reject with the code; events subscribe and unsubscribe', async () => {
    const { exposed, invoked, listeners } = loadPreload()
    const api = exposed.get('smilecam') as Record<string, Record<string, (...args: unknown[]) => unknown>>
    for (const channel of IPC_CHANNELS) {
      const { domain, name } = splitChannel(channel)
      const call = api[domain][name]('a', 2)
      if (channel === 'captures:delete') await expect(call).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', message: 'gone' })
      else await expect(call).resolves.toBe(`answer of ${channel}`)
    }
    expect(invoked).toEqual(IPC_CHANNELS.map((channel) => ({ channel, args: ['a', 2] })))

    const seen: unknown[] = []
    const unsubscribe = api.audit.onProgress((progress: unknown) => seen.push(progress)) as () => void
    for (const listener of listeners.get('audit:progress') ?? []) listener({ sender: 'main' }, { step: 'decode' })
    unsubscribe()
    expect(seen).toEqual([{ step: 'decode' }])
    expect(listeners.get('audit:progress')).toEqual([])
  })
})

describe('bundled vision host (out/main/vision-host.js)', () => {
  it('runs as a forked Node process and finds the faces of a photo', async () => {
    assertBuilt(VISION_HOST)
    const engine = await VisionEngine.create({ modelDir: join(root, 'resources', 'models'), spawnHost: nodeHostSpawner(VISION_HOST) })
    try {
      const { image } = await decodeFile(photo)
      const result = await engine.detect(image)
      expect(result.faces.length).toBeGreaterThanOrEqual(2)
      for (const face of result.faces) expect(face.landmarks68).toHaveLength(68)
    } finally {
      await engine.close()
    }
  })
})
