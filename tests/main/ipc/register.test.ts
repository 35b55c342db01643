import { describe, expect, it, vi } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import { registerIpcHandlers, type IpcMainLike } from '../../../src/main/ipc/register'
import { dispatchCall } from '../../../src/core/ipc/dispatch'
import { SmilecamError } from '../../../src/shared/errors'
import { IPC_CHANNELS, type IpcHandlers } from '../../../src/shared/ipc'
import type { CallOutcome } from '../../../src/shared/wire'

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<CallOutcome>

function fakeIpcMain(): IpcMainLike & { listeners: Map<string, Listener> } {
  const listeners = new Map<string, Listener>()
  return {
    listeners,
    handle: (channel, listener) => listeners.set(channel, listener),
    removeHandler: (channel) => listeners.delete(channel)
  }
}

function fakeHandlers(overrides: Partial<IpcHandlers> = {}): IpcHandlers {
  const unused = () => {
    throw new Error('not used in this test')
  }
  const base = Object.fromEntries(IPC_CHANNELS.map((channel) => [channel, unused])) as unknown as IpcHandlers
  return { ...base, ...overrides }
}

const event = (url: string | undefined) => ({ senderFrame: url === undefined ? null : { url } }) as unknown as IpcMainInvokeEvent
const trusted = (url: string | undefined) => url === 'file:///app/index.html'

describe('registerIpcHandlers', () => {
  it('registers every channel and removes them again', () => {
    const ipc = fakeIpcMain()
    const unregister = registerIpcHandlers(ipc, fakeHandlers(), trusted)
    expect([...ipc.listeners.keys()].sort()).toEqual([...IPC_CHANNELS].sort())
    unregister()
    expect(ipc.listeners.size).toBe(0)
  })

  it('answers FORBIDDEN to foreign senders without calling the handler', async () => {
    const list = vi.fn(async () => [])
    const ipc = fakeIpcMain()
    registerIpcHandlers(ipc, fakeHandlers({ 'captures:list': list }), trusted)
    const listener = ipc.listeners.get('captures:list')!
    expect(await listener(event('https://evil.example/'))).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.any(String) }
    })
    expect(await listener(event(undefined))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(list).not.toHaveBeenCalled()
    expect(await listener(event('file:///app/index.html'))).toEqual({ ok: true, result: [] })
  })

  it('validates before calling and serialises typed errors', async () => {
    const remove = vi.fn(async () => {
      throw new SmilecamError('FILE_NOT_FOUND', 'gone')
    })
    const ipc = fakeIpcMain()
    registerIpcHandlers(ipc, fakeHandlers({ 'captures:delete': remove }), trusted)
    const listener = ipc.listeners.get('captures:delete')!
    expect(await listener(event('file:///app/index.html'), '../../etc/passwd')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' }
    })
    expect(remove).not.toHaveBeenCalled()
    expect(await listener(event('file:///app/index.html'), 'a.jpg')).toEqual({
      ok: false,
      error: { code: 'FILE_NOT_FOUND', message: 'gone' }
    })
  })
})

describe('dispatchCall', () => {
  it('wraps unexpected errors as INTERNAL, logs them, and maps undefined results to null', async () => {
    const logged: string[] = []
    const handlers = fakeHandlers({
      'settings:get': () => {
        throw new TypeError('boom')
      },
      'linkedin:signOut': async () => undefined
    })
    expect(await dispatchCall(handlers, 'settings:get', [], (channel) => logged.push(channel))).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'boom' }
    })
    expect(logged).toEqual(['settings:get'])
    expect(await dispatchCall(handlers, 'linkedin:signOut', [])).toEqual({ ok: true, result: null })
    expect(await dispatchCall(handlers, 'shell:exec', [])).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
  })
})
