/**
 * Browser-mode server: `startBrowserServer` for tests, and the command-line
 * entry when run directly (`tsx src/server/index.ts`, see `npm run dev:web`).
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { SmilecamError } from '../shared/errors'
import { runBrowserModeCli } from './cli'

export { startBrowserServer, defaultBrowserPaths, type BrowserServer, type BrowserServerOptions } from './browser-mode'
export { startApiServer, type ApiServerOptions, type RunningApiServer } from './api-server'

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isEntryPoint()) {
  runBrowserModeCli(process.argv.slice(2)).catch((error: unknown) => {
    const e = SmilecamError.from(error)
    process.stderr.write(`smilecam browser mode: ${e.message}\n`)
    process.exit(e.code === 'INVALID_INPUT' ? 2 : 1)
  })
}
