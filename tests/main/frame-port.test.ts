import { describe, expect, it, vi } from 'vitest'
import { connectFramePort, registerFramePort, type FramePortDeps, type PortEnd, type RendererTarget } from '../../src/main/frame-port'

function fakePort(name: string): PortEnd & { name: string; closed: boolean } {
  return { name, closed: false, close() { this.closed = true } }
}

function fakeTarget(destroyed = false): RendererTarget & { posted: [string, unknown, PortEnd[]][] } {
  const posted: [string, unknown, PortEnd[]][] = []
  return { posted, postMessage: (channel, message, transfer = []) => void posted.push([channel, message, transfer]), isDestroyed: () => destroyed }
}

function deps(overrides: Partial<FramePortDeps> = {}) {
  const ports: ReturnType<typeof fakePort>[] = []
  const attached: PortEnd[] = []
  const d: FramePortDeps = {
    createChannel: () => {
      const pair = { port1: fakePort('host'), port2: fakePort('renderer') }
      ports.push(pair.port1, pair.port2)
      return pair
    },
    attachToHost: async (port) => void attached.push(port),
    isTrustedSender: (url) => url === 'file:///app/index.html',
    ...overrides
  }
  return { d, ports, attached }
}

describe('direct frame port (renderer <-> engine host, main only sets it up)', () => {
  it('gives the host one end and the renderer the other, in the transfer list', async () => {
    const { d, ports, attached } = deps()
    const target = fakeTarget()
    expect(await connectFramePort(target, d)).toBe(true)
    expect(attached).toEqual([ports[0]])
    expect(target.posted).toEqual([['vision:port', null, [ports[1]]]])
  })

  it('closes both ends when the host cannot take its end, or the page is gone', async () => {
    const failing = deps({ attachToHost: async () => Promise.reject(new Error('models missing')), logError: vi.fn() })
    const target = fakeTarget()
    expect(await connectFramePort(target, failing.d)).toBe(false)
    expect(failing.ports.every((p) => p.closed)).toBe(true)
    expect(target.posted).toEqual([])
    expect(failing.d.logError).toHaveBeenCalledWith(expect.stringContaining('models missing'))
    const gone = deps()
    expect(await connectFramePort(fakeTarget(true), gone.d)).toBe(false)
    expect(gone.ports[1].closed).toBe(true)
  })

  it('answers only our own page', async () => {
    const { d, attached } = deps()
    const listeners = new Map<string, (event: { sender: RendererTarget; senderFrame?: { url: string } | null }) => void>()
    const ipc = { on: (channel: string, l: never) => void listeners.set(channel, l), removeAllListeners: (channel: string) => void listeners.delete(channel) }
    const unregister = registerFramePort(ipc, d)
    const evil = fakeTarget()
    listeners.get('vision:requestPort')!({ sender: evil, senderFrame: { url: 'https://evil.example/' } })
    listeners.get('vision:requestPort')!({ sender: evil, senderFrame: null })
    const ours = fakeTarget()
    listeners.get('vision:requestPort')!({ sender: ours, senderFrame: { url: 'file:///app/index.html' } })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(evil.posted).toEqual([])
    expect(ours.posted).toHaveLength(1)
    expect(attached).toHaveLength(1)
    unregister()
    expect(listeners.size).toBe(0)
  })
})
