import { describe, expect, it, vi } from 'vitest'
import { createFramePortClient, type FramePort } from '../../src/preload/frame-port-client'

function fakePort() {
  const posted: { message: Record<string, unknown>; transfer: ArrayBuffer[] }[] = []
  let listener: ((event: { data: unknown }) => void) | null = null
  const port: FramePort & { closed: boolean } = {
    closed: false,
    postMessage: (message, transfer) => void posted.push({ message: message as Record<string, unknown>, transfer }),
    addEventListener: (_type, l) => void (listener = l),
    start: () => undefined,
    close() {
      this.closed = true
    }
  }
  return { port, posted, answer: (data: unknown) => listener?.({ data }) }
}

const frame = (timestampMs = 1) => ({ width: 1, height: 1, data: new Uint8Array(4), timestampMs, personMask: false, expression: true })

/** Timers run by hand. */
function manualTimers() {
  const timers: { run: () => void; ms: number; cleared: boolean }[] = []
  return {
    timers,
    setTimer: (run: () => void, ms: number) => {
      const timer = { run, ms, cleared: false }
      timers.push(timer)
      return timer
    },
    clearTimer: (timer: unknown) => void ((timer as { cleared: boolean }).cleared = true)
  }
}

describe('frame port client (renderer -> engine host directly)', () => {
  it('asks for a port at once; answers resolve by id; a dropped frame is null; a host error rejects typed', async () => {
    const requestPort = vi.fn()
    const client = createFramePortClient({ requestPort })
    expect(requestPort).toHaveBeenCalledTimes(1)
    expect(client.connected).toBe(false)
    await expect(client.detect(frame())).rejects.toThrow()
    const { port, posted, answer } = fakePort()
    client.attach(port)
    const a = client.detect(frame(1))
    const b = client.detect(frame(2))
    const c = client.detect(frame(3))
    const [ia, ib, ic] = posted.map((p) => p.message.id)
    expect(posted[0].transfer[0]).toBe(posted[0].message.data) // transferred, not copied
    answer({ id: ib, ok: true }) // dropped for a newer frame
    answer({ id: ia, started: true })
    answer({ id: ia, ok: true, result: { width: 1, height: 1, faces: [], timestampMs: 1 } })
    answer({ id: ic, ok: false, error: { code: 'INVALID_INPUT', message: 'bad frame' } })
    expect(await a).toMatchObject({ timestampMs: 1 })
    expect(await b).toBeNull()
    await expect(c).rejects.toEqual({ name: 'SmilecamError', code: 'INVALID_INPUT', message: 'bad frame' })
  })

  it('a port that stops answering is dropped: pending frames fail, IPC takes over, a new port is asked for', async () => {
    const timers = manualTimers()
    const requestPort = vi.fn()
    const client = createFramePortClient({ requestPort, timeoutMs: 100, retryMs: 50, ...timers })
    const { port } = fakePort()
    client.attach(port)
    const pending = client.detect(frame())
    timers.timers.find((t) => t.ms === 100)!.run()
    await expect(pending).rejects.toMatchObject({ code: 'ENGINE_FAILED' })
    expect(port.closed).toBe(true)
    expect(client.connected).toBe(false)
    timers.timers.find((t) => t.ms === 50)!.run()
    expect(requestPort).toHaveBeenCalledTimes(2)
    const next = fakePort()
    client.attach(next.port)
    expect(client.connected).toBe(true)
  })

  it('copies a frame that is a view into a larger buffer (only its bytes travel)', () => {
    const client = createFramePortClient({ requestPort: () => undefined })
    const { port, posted } = fakePort()
    client.attach(port)
    const big = new Uint8Array(64)
    void client.detect({ ...frame(), data: big.subarray(8, 12) }).catch(() => undefined)
    expect((posted[0].message.data as ArrayBuffer).byteLength).toBe(4)
  })
})
