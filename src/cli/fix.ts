/** `smilecam fix <image|url>`: "fix my photo", a square re-crop with the face at a good size, written as <name>-fixed.jpg. */
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { FIX_DEFAULT_SIZE, FIX_MAX_SIZE, FIX_MIN_SIZE, type FixReport } from '../shared/audit'
import { SmilecamError } from '../shared/errors'
import { createAuditService } from '../core'
import { numberValue, parseArgs } from './args'
import { cookieFrom, photoFetcher, REAL_DEPS, sourceOf, type AuditCommandDeps } from './audit'
import type { CliIo } from './io'

export const FIX_HELP = `Usage: smilecam fix <image|url> [options]

Crops the photo to a square with your face filling about 40% of the circular crop profile
sites show (face inside the circle, head room above), blurs the background, and writes
<name>-fixed.jpg (an existing file is never overwritten: a numeric suffix is added). The fixed
photo is then audited again; the exit code is 1 if its face-size check does not pass.

Options:
  --out DIR             folder for the output (default: the current folder; created if missing)
  --size N              side of the square in pixels, ${FIX_MIN_SIZE}..${FIX_MAX_SIZE} (default ${FIX_DEFAULT_SIZE}); a photo with
                        fewer pixels around the face is written smaller rather than upscaled
  --json                print the result as JSON
  --blur-strength N     background blur strength 0..1 (default 0.5)
  --face-only           keep only the face outline sharp (default: the whole person)
  --cookie-file PATH    a file holding your own LinkedIn session cookie (li_at=VALUE), for
                        profile URLs; or set SMILECAM_LI_AT=VALUE. Sent to LinkedIn over https only.
  --models DIR          folder with the .onnx models (default: the installed resources/models)

A photo that cannot be fixed says why: the face is cut off by the edge, or there are too
few pixels around the face for a ${FIX_MIN_SIZE}-pixel square.`

const BOOLEAN_FLAGS = ['json', 'face-only', 'help']
// `cookie` is recognised only to refuse it (see cookieFrom).
const VALUE_FLAGS = ['out', 'size', 'blur-strength', 'cookie', 'cookie-file', 'models']

function faceSizePasses(report: FixReport): boolean {
  return report.faceSize.pass
}

export async function runFixCommand(argv: readonly string[], io: CliIo, deps: Partial<AuditCommandDeps> = {}): Promise<number> {
  const merged = { ...REAL_DEPS, ...deps }
  const args = parseArgs(argv, BOOLEAN_FLAGS, VALUE_FLAGS)
  if (args.flags.has('help')) {
    io.out(FIX_HELP)
    return 0
  }
  if (args.positionals.length !== 1) throw new SmilecamError('INVALID_INPUT', 'Name one image file or URL. See smilecam fix --help.')
  const size = numberValue(args, 'size', FIX_MIN_SIZE, FIX_MAX_SIZE) ?? FIX_DEFAULT_SIZE
  if (!Number.isInteger(size)) throw new SmilecamError('INVALID_INPUT', '--size must be a whole number of pixels.')
  const source = await sourceOf(args.positionals[0], io.cwd)
  const outDir = resolve(io.cwd, args.values.get('out') ?? '.')
  const cookie = await cookieFrom(args, io.cwd, merged.env ?? process.env)
  const json = args.flags.has('json')
  try {
    await mkdir(outDir, { recursive: true })
  } catch (error) {
    throw new SmilecamError('INVALID_INPUT', `Cannot create the output folder "${outDir}": ${(error as Error).message}`)
  }

  const engine = await merged.createEngine(args.values.get('models') ?? io.modelDir)
  const service = createAuditService({ engine, fetchUrl: photoFetcher(cookie, merged) })
  try {
    const report = await service.run(source, {
      blurMode: args.flags.has('face-only') ? 'face' : 'person',
      blurStrength: numberValue(args, 'blur-strength', 0, 1)
    })
    if (!report.face) throw new SmilecamError('NO_FACE', `No face found in ${report.source}, so there is nothing to crop around.`)
    const fixed = await service.fix(report.id, size)
    const file = await service.save(report.id, 'fixed', outDir)
    const passes = faceSizePasses(fixed)
    if (json) {
      const { image, ...rest } = fixed
      io.out(JSON.stringify({ source: report.source, file, width: image.width, height: image.height, before: report.checks?.faceSize, ...rest, pass: passes }))
    } else {
      const before = report.checks ? `${Math.round(report.checks.faceSize.faceAreaRatio * 100)}%` : '?'
      io.out(
        [
          `${report.source}: ${report.width}×${report.height}, face ${before} of the circle`,
          `  crop ${fixed.crop.side}×${fixed.crop.side} at (${fixed.crop.x}, ${fixed.crop.y}) -> ${fixed.image.width}×${fixed.image.height}${fixed.upscaled ? ' (upscaled)' : ''}`,
          ...fixed.notes.map((note) => `  note: ${note}`),
          `  ${passes ? 'ok  ' : 'FIX '} face size of the fixed photo: ${fixed.faceSize.advice}`,
          `Wrote:`,
          `  ${file}`
        ].join('\n')
      )
    }
    return passes ? 0 : 1
  } finally {
    service.close()
    await engine.close()
  }
}
