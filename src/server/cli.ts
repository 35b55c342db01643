/** Command line of browser mode: `tsx src/server/index.ts [--port N] …`. */
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { SmilecamError } from '../shared/errors'
import { startBrowserServer, type BrowserServer, type BrowserServerOptions } from './browser-mode'

export const BROWSER_MODE_HELP = `Usage: tsx src/server/index.ts [options]

Serves the Smilecam web UI and its engine on http://127.0.0.1 with a random access token.

Options:
  --port N                     port to listen on (default: a free one)
  --web-root DIR               built web renderer (default: out/web; run "npm run build:web")
  --models DIR                 model folder (default: resources/models)
  --help                       show this text

Test-only options (never needed for normal use):
  --captures-dir DIR           captures folder instead of ~/Pictures/Smilecam
  --settings-file FILE         settings file instead of ~/.config/smilecam/browser-settings.json
  --linkedin-test-origin URL   treat this origin like LinkedIn (fixture server)`

/** Turns argv into server options; throws INVALID_INPUT with a readable message. */
export function parseBrowserModeArgs(argv: readonly string[], cwd: string): BrowserServerOptions | 'help' {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'web-root': { type: 'string' },
        models: { type: 'string' },
        'captures-dir': { type: 'string' },
        'settings-file': { type: 'string' },
        'linkedin-test-origin': { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (error) {
    throw new SmilecamError('INVALID_INPUT', `${(error as Error).message}\n\n${BROWSER_MODE_HELP}`)
  }
  const values = parsed.values
  if (values.help) return 'help'
  const options: BrowserServerOptions = {}
  if (values.port !== undefined) {
    const port = Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SmilecamError('INVALID_INPUT', `--port must be 0..65535, not ${values.port}.`)
    options.port = port
  }
  if (values['web-root']) options.webRoot = resolve(cwd, values['web-root'])
  if (values.models) options.modelDir = resolve(cwd, values.models)
  if (values['captures-dir']) options.capturesDir = resolve(cwd, values['captures-dir'])
  if (values['settings-file']) options.settingsFile = resolve(cwd, values['settings-file'])
  if (values['linkedin-test-origin']) {
    let origin: URL
    try {
      origin = new URL(values['linkedin-test-origin'])
    } catch {
      throw new SmilecamError('INVALID_INPUT', '--linkedin-test-origin must be a URL such as http://127.0.0.1:9000.')
    }
    options.linkedinTestOrigin = origin.origin
  }
  return options
}

export async function runBrowserModeCli(argv: readonly string[]): Promise<BrowserServer | null> {
  const options = parseBrowserModeArgs(argv, process.cwd())
  if (options === 'help') {
    process.stdout.write(`${BROWSER_MODE_HELP}\n`)
    return null
  }
  const server = await startBrowserServer(options)
  process.stdout.write(`Smilecam browser mode: ${server.url}\n`)
  const stop = (): void => {
    server.close().finally(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return server
}
