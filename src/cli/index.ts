/** The `smilecam` command line: the same engine as the app, headless. */
import { fileURLToPath } from 'node:url'
import { SmilecamError } from '../shared/errors'
import packageJson from '../../package.json' with { type: 'json' }
import type { CliIo } from './io'

const HELP = `Usage: smilecam <command> [options]

Commands:
  analyze <image or folder...>                 faces, 68 landmarks, MAR/EAR (--json for one JSON line per image)
  audit <image|url>                            profile photo audit: background blur, face size, sentiment, teeth
  audit <folder|list.txt|image...> --csv FILE  batch audit, one CSV row per photo
  fix <image|url>                              square re-crop with the face at a good size, written as <name>-fixed.jpg
  camera                                       background blur for a clip or webcam, into a y4m file or a virtual camera

Options:
  --help, -h      this help
  --version, -v   the Smilecam version

Run "smilecam <command> --help" for a command's options. Everything runs on this machine.`

export const VERSION: string = packageJson.version

export function defaultIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    modelDir: fileURLToPath(new URL('../../resources/models', import.meta.url)),
    cwd: process.cwd(),
    progress: { tty: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) }
  }
}

export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'analyze': {
        // Commands load on demand: `smilecam --help` starts without sharp or onnxruntime.
        const { runAnalyzeCommand } = await import('./analyze')
        return await runAnalyzeCommand(rest, io)
      }
      case 'audit': {
        const { runAuditCommand } = await import('./audit')
        return await runAuditCommand(rest, io)
      }
      case 'fix': {
        const { runFixCommand } = await import('./fix')
        return await runFixCommand(rest, io)
      }
      case 'camera': {
        const { runCameraCommand } = await import('./camera')
        return await runCameraCommand(rest, io)
      }
      case '--version':
      case '-v':
        io.out(VERSION)
        return 0
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(HELP)
        return command === undefined ? 1 : 0
      default:
        throw new SmilecamError('INVALID_INPUT', `Unknown command "${command}". Run smilecam --help.`)
    }
  } catch (error) {
    const e = SmilecamError.from(error)
    io.err(`smilecam: ${e.message}`)
    return e.code === 'INVALID_INPUT' ? 2 : 1
  }
}
