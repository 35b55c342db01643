import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { adaptUtilityChild, utilityHostSpawner, type UtilityChild } from '../../src/main/utility-host'

class FakeChild extends EventEmitter {
  posted: unknown[] = []
  killed = 0
  postMessage(message: unknown): void {
    this.posted.push(message)
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
    const exits: (number | null)[] = []
    host.onMessage((m) => messages.push(m))
    host.onExit((code) => exits.push(code))
    child.emit('spawn')
    child.emit('message', { id: 1, ok: true })
    child.emit('exit', 3)
    host.send({ id: 2, type: 'close' })
    host.kill()
    expect(messages).toEqual([{ id: 1, ok: true }])
    expect(exits).toEqual([3])
    expect(child.posted).toEqual([])
    expect(child.killed).toBe(0)
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
