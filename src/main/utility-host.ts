/**
 * Runs the vision host in an Electron utilityProcess (the app), adapted to
 * the engine's HostProcess shape. `fork` is passed in (utilityProcess.fork)
 * so this file has no runtime Electron import and is tested in Node.
 */
import type { ForkOptions, UtilityProcess } from 'electron'
import { ATTACH_PORT_MESSAGE, type HostProcess, type HostRequest, type HostResponse, type HostSpawner } from '../engine'

/** The slice of Electron's UtilityProcess the adapter uses. */
export interface UtilityChild {
  postMessage(message: unknown, transfer?: unknown[]): void
  on(event: 'spawn', listener: () => void): unknown
  on(event: 'message', listener: (message: unknown) => void): unknown
  on(event: 'exit', listener: (code: number) => void): unknown
  once?(event: 'spawn', listener: () => void): unknown
  kill(): boolean
  /** The OS process id while it runs (undefined before spawn and after exit). */
  pid?: number | undefined
}

/** Sends a signal to a process id (process.kill; a fake in tests). */
export type KillPid = (pid: number, signal: 'SIGKILL') => void

export type UtilityFork = (modulePath: string, args?: string[], options?: ForkOptions) => UtilityChild | UtilityProcess

/**
 * Messages sent before the child reports 'spawn' are queued and flushed in
 * order; after 'exit' they are dropped (the engine rejects pending calls on exit).
 */
export function adaptUtilityChild(child: UtilityChild, killPid: KillPid = (pid, signal) => process.kill(pid, signal)): HostProcess {
  let state: 'starting' | 'running' | 'exited' = 'starting'
  const queued: HostRequest[] = []
  child.on('spawn', () => {
    if (state !== 'starting') return
    state = 'running'
    for (const message of queued.splice(0)) child.postMessage(message)
  })
  child.on('exit', () => {
    state = 'exited'
    queued.length = 0
  })
  return {
    send(message) {
      if (state === 'running') child.postMessage(message)
      else if (state === 'starting') queued.push(message)
    },
    attachPort(port) {
      // Only once running: a port posted before spawn would be lost with the queue on exit.
      if (state === 'running') child.postMessage(ATTACH_PORT_MESSAGE, [port])
      else if (state === 'starting') child.once?.('spawn', () => child.postMessage(ATTACH_PORT_MESSAGE, [port]))
    },
    onMessage(listener) {
      child.on('message', (message) => listener(message as HostResponse))
    },
    onExit(listener) {
      // Electron reports only a code; a signal death shows up as a code too.
      child.on('exit', (code) => listener({ code, signal: null }))
    },
    kill(signal = 'SIGTERM') {
      if (state === 'exited') return
      // UtilityProcess.kill() sends SIGTERM; a process ignoring it is killed by pid.
      if (signal === 'SIGKILL' && child.pid !== undefined) {
        try {
          killPid(child.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      } else child.kill()
    }
  }
}

/** A HostSpawner that forks `entryPath` (the built vision-host.js) as a utility process. */
export function utilityHostSpawner(fork: UtilityFork, entryPath: string): HostSpawner {
  return () =>
    adaptUtilityChild(
      fork(entryPath, [], {
        serviceName: 'Smilecam vision',
        stdio: 'inherit'
      }) as UtilityChild
    )
}
