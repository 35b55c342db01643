/** Starts the vision host as a forked Node process (CLI, browser mode, tests). */
import { fork } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { HostProcess, HostRequest, HostResponse, HostSpawner } from './protocol'

/**
 * The host entry next to this file. From TypeScript sources (tsx) the child
 * needs the tsx loader too; from a bundle it is plain JavaScript.
 */
export function nodeHostSpawner(entry = defaultEntry()): HostSpawner {
  return () => {
    const execArgv = entry.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : []
    const child = fork(entry, [], {
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    const process: HostProcess = {
      send: (message: HostRequest) => {
        if (child.connected) child.send(message)
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as HostResponse)),
      onExit: (listener) => child.on('exit', (code, signal) => listener({ code, signal })),
      kill: (signal = 'SIGTERM') => {
        child.kill(signal)
      }
    }
    return process
  }
}

/** host.ts next to node-host.ts in the sources; host.mjs next to the CLI bundle's chunks (out/cli, see tools/build-cli.mjs). */
function defaultEntry(): string {
  const self = fileURLToPath(import.meta.url)
  if (/node-host\.(ts|js|mjs)$/.test(self)) return self.replace(/node-host\.(ts|js|mjs)$/, (_m, ext: string) => `host.${ext}`)
  return join(dirname(self), 'host.mjs')
}
