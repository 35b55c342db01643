import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { adaptUtilityChild, utilityHostSpawner, type UtilityChild } from '../../src/main/utility-host'

class FakeChild extends EventEmitter {
  posted: unknown[] = []
  transfers: unknown[][] = []
  killed = 0
  postMessage(message: unknown, transfer: unknown[] = []): void {
    this.posted.push(message)
    this.transfers.push(transfer)
  }
  kill(): boolean {
    this.killed++
    return true
  }
}

describe('utility process host adapter', () => {
  it('queues messages until spawn, then forwards in order', () => {
    const child = new FakeChild()
    const host = adaptUtilityChild(child as unknown as UtilityChild)
    host.send({ id: 1, type: 'close' })
    host.send({ id: 2, type: 'close' })
    expect(child.posted).toEqual([])
    child.emit('spawn')
    host.send({ id: 3, type: 'close' })
    expect(child.posted.map((m) => (m as { id: number }).id)).toEqual([1, 2, 3])
  })

  it('delivers messages and exit codes, drops sends after exit and does not kill twice', () => {
    const child = new FakeChild()
    const host = adaptUtilityChild(child as unknown as UtilityChild)
    const messages: unknown[] = []
    const exits: unknown[] = []
    host.onMessage((m) => messages.push(m))
    host.onExit((code) => exits.push(code))
    child.emit('spawn')
    child.emit('message', { id: 1, ok: true })
    child.emit('exit', 3)
    host.send({ id: 2, type: 'close' })
    host.kill()
    expect(messages).toEqual([{ id: 1, ok: true }])
    expect(exits).toEqual([{ code: 3, signal: null }])
    expect(child.posted).toEqual([])
    expect(child.killed).toBe(0)
  })

  it('SIGTERM through UtilityProcess.kill, SIGKILL by pid for a process that ignores it', () => {
    const child = Object.assign(new FakeChild(), { pid: 4242 })
    const killed: [number, string][] = []
    const host = adaptUtilityChild(child as unknown as UtilityChild, (pid, signal) => void killed.push([pid, signal]))
    child.emit('spawn')
    host.kill('SIGTERM')
    expect(child.killed).toBe(1)
    host.kill('SIGKILL')
    expect(killed).toEqual([[4242, 'SIGKILL']])
    child.emit('exit', 9)
    host.kill('SIGKILL')
    expect(killed).toHaveLength(1)
  })

  it('hands a renderer frame port to the host in the transfer list, once it runs', () => {
    const child = new FakeChild()
    const host = adaptUtilityChild(child as unknown as UtilityChild)
    const port = { fake: 'port' }
    host.attachPort?.(port)
    expect(child.posted).toEqual([])
    child.emit('spawn')
    expect(child.posted).toEqual([{ type: 'attachPort' }])
    expect(child.transfers[0]).toEqual([port])
  })

  it('forks the given entry as a named utility process', () => {
    const child = new FakeChild()
    const fork = vi.fn(() => child as unknown as UtilityChild)
    const spawn = utilityHostSpawner(fork, '/app/out/main/vision-host.js')
    spawn().kill()
    expect(fork).toHaveBeenCalledWith('/app/out/main/vision-host.js', [], expect.objectContaining({ serviceName: 'Smilecam vision' }))
    expect(child.killed).toBe(1)
  })
})
