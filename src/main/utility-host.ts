/**
 * Runs the vision host in an Electron utilityProcess (the app), adapted to
 * the engine's HostProcess shape. `fork` is passed in (utilityProcess.fork)
 * so this file has no runtime Electron import and is tested in Node.
 */
import type { ForkOptions, UtilityProcess } from 'electron'
import type { HostProcess, HostRequest, HostResponse, HostSpawner } from '../engine'

/** The slice of Electron's UtilityProcess the adapter uses. */
export interface UtilityChild {
  postMessage(message: unknown): void
  on(event: 'spawn', listener: () => void): unknown
  on(event: 'message', listener: (message: unknown) => void): unknown
  on(event: 'exit', listener: (code: number) => void): unknown
  kill(): boolean
}

export type UtilityFork = (modulePath: string, args?: string[], options?: ForkOptions) => UtilityChild | UtilityProcess

/**
 * Messages sent before the child reports 'spawn' are queued and flushed in
 * order; after 'exit' they are dropped (the engine rejects pending calls on exit).
 */
export function adaptUtilityChild(child: UtilityChild): HostProcess {
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
    onMessage(listener) {
      child.on('message', (message) => listener(message as HostResponse))
    },
    onExit(listener) {
      child.on('exit', (code) => listener(code))
    },
    kill() {
      if (state !== 'exited') child.kill()
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
