/** `smilecam audit <image|url>`: the profile-photo audit, writing the blurred and annotated images and the report. */
import { mkdir, readFile, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { AuditOptions, LocalAuditSource, PhotoReport } from '../shared/audit'
import { SmilecamError } from '../shared/errors'
import { createAuditService, fetchPhotoForAudit, type AuditEngine, type AuditServiceDeps } from '../core'
import { VisionEngine } from '../engine'
import { numberValue, parseArgs } from './args'
import { batchExitCode, describeSummary, isBatchInput, runBatchAudit } from './audit-batch'
import type { CliIo } from './io'

export const AUDIT_HELP = `Usage: smilecam audit <image|url> [options]
       smilecam audit <folder | list.txt | image…> [--csv report.csv] [--jobs N] [options]

Audits a profile photo: background blur, face size in the circular crop, sentiment, teeth.
Writes <name>-blurred.jpg, <name>-annotated.jpg and <name>-report.json (existing files are
never overwritten: a numeric suffix is added). A photo without a face gets only the report
and the command exits 1 with error NO_FACE.

Options:
  --out DIR             folder for the outputs (default: the current folder; created if missing)
  --json                print the report and written paths as JSON instead of a summary
  --blur-strength N     background blur strength 0..1 (default 0.5)
  --face-only           keep only the face outline sharp (default: the whole person)
  --min-face-ratio R    face area / circle area needed (default 0.25)
  --mar-threshold M     mouth opening at which teeth count as visible (default 0.09)
  --cookie-file PATH    a file holding your own LinkedIn session cookie (li_at=VALUE), for
                        profile URLs; or set SMILECAM_LI_AT=VALUE. Sent to LinkedIn over https only.
                        (Never on the command line: other users of this computer can read it there.)
  --models DIR          folder with the .onnx models (default: the installed resources/models)

<url> may be a LinkedIn profile (https://www.linkedin.com/in/NAME) or an image address.

Batch mode (several inputs, a folder, or a .txt list of paths/URLs, one per line):
  --csv FILE            one row per photo (file,faceCount,faceAreaRatio,...,pass,error); without
                        it the rows go to stdout. Rows are written as photos finish; after Ctrl-C,
                        the same command with the same --csv skips the photos already done.
  --jobs N              photos audited at once, each on its own engine process (default: cores)
  --out DIR             also write each photo's blurred, annotated and report files there
A photo that cannot be read is a row with its error and the run goes on. The exit code is 1
if any photo failed a check or could not be audited, 130 when interrupted.`

const BOOLEAN_FLAGS = ['json', 'face-only', 'help']
// `cookie` is recognised only to refuse it with a message saying why.
const VALUE_FLAGS = ['out', 'blur-strength', 'min-face-ratio', 'mar-threshold', 'cookie', 'cookie-file', 'models', 'csv', 'jobs']

/** The environment variable holding the user's li_at cookie. */
export const COOKIE_ENV = 'SMILECAM_LI_AT'

/** Creates the engine the audit runs on; a parameter so tests can inject a fake. */
export type AuditEngineFactory = (modelDir: string) => Promise<AuditEngine & { close(): Promise<void> }>

/** What the command runs on; tests replace parts of it, the real CLI never does. */
export interface AuditCommandDeps {
  createEngine: AuditEngineFactory
  /** Extra origins treated as LinkedIn (a local fixture server in tests); production accepts only LinkedIn hosts. */
  linkedInTestOrigins?: readonly string[]
  /** Origins of local test servers downloads may connect to; production downloads reach public addresses only. */
  privateOriginsForTests?: readonly string[]
  /** Where SMILECAM_LI_AT is read (default process.env). */
  env?: Readonly<Record<string, string | undefined>>
  /** Batch runs stop on this instead of on Ctrl-C (tests). */
  interrupt?: { signal: AbortSignal; dispose(): void }
}

export const REAL_DEPS: AuditCommandDeps = { createEngine: (modelDir) => VisionEngine.create({ modelDir }) }

/**
 * The user's LinkedIn cookie from SMILECAM_LI_AT or --cookie-file. A cookie on the command line
 * is refused (without echoing it): any local user can read another's process arguments.
 */
export async function cookieFrom(args: ReturnType<typeof parseArgs>, cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  if (args.values.has('cookie')) {
    throw new SmilecamError(
      'INVALID_INPUT',
      `--cookie is not accepted: a cookie on the command line can be read by other users of this computer. Set ${COOKIE_ENV}=VALUE in the environment or put li_at=VALUE in a file and pass --cookie-file PATH.`
    )
  }
  const file = args.values.get('cookie-file')
  if (file !== undefined) {
    const path = resolve(cwd, file)
    try {
      return (await readFile(path, 'utf8')).trim()
    } catch {
      throw new SmilecamError('FILE_NOT_FOUND', `The cookie file "${path}" could not be read.`)
    }
  }
  const fromEnv = env[COOKIE_ENV]?.trim()
  return fromEnv === '' ? undefined : fromEnv
}

/** Downloads URL sources for the audit service (LinkedIn profiles with the user's cookie, image addresses). */
export function photoFetcher(
  cookie: string | undefined,
  deps: Pick<AuditCommandDeps, 'linkedInTestOrigins' | 'privateOriginsForTests'>
): NonNullable<AuditServiceDeps['fetchUrl']> {
  return async (url, onProgress) => {
    const photo = await fetchPhotoForAudit(url, { cookie, onProgress, allowedOrigins: deps.linkedInTestOrigins, privateOriginsForTests: deps.privateOriginsForTests })
    return { bytes: photo.bytes, name: photo.name }
  }
}

/** http(s) addresses, and scheme-less LinkedIn addresses such as uk.linkedin.com/in/name. */
function looksLikeUrl(input: string): boolean {
  return /^https?:\/\//i.test(input) || /^([a-z0-9-]+\.)*linkedin\.com\//i.test(input)
}

/** A path that exists is a file even if it looks like a URL; otherwise URL-looking input is a URL. */
export async function sourceOf(input: string, cwd: string): Promise<LocalAuditSource> {
  const path = resolve(cwd, input)
  const exists = await stat(path).then(
    () => true,
    () => false
  )
  if (!exists && looksLikeUrl(input)) return { kind: 'url', url: input }
  return { kind: 'file', path }
}

function auditOptions(args: ReturnType<typeof parseArgs>): Partial<AuditOptions> {
  return {
    blurMode: args.flags.has('face-only') ? 'face' : 'person',
    blurStrength: numberValue(args, 'blur-strength', 0, 1),
    minFaceAreaRatio: numberValue(args, 'min-face-ratio', 0, 1),
    marThreshold: numberValue(args, 'mar-threshold', 0, 2)
  }
}

export async function runAuditCommand(argv: readonly string[], io: CliIo, deps: Partial<AuditCommandDeps> = {}): Promise<number> {
  const { createEngine, linkedInTestOrigins, privateOriginsForTests, env = process.env } = { ...REAL_DEPS, ...deps }
  const args = parseArgs(argv, BOOLEAN_FLAGS, VALUE_FLAGS)
  if (args.flags.has('help')) {
    io.out(AUDIT_HELP)
    return 0
  }
  if (args.positionals.length === 0) throw new SmilecamError('INVALID_INPUT', 'Name an image file, URL, folder or list. See smilecam audit --help.')
  const batch = args.values.has('csv') || args.values.has('jobs') || (await isBatchInput(args.positionals, io.cwd))
  if (batch) return runBatchCommand(args, io, { createEngine, linkedInTestOrigins, privateOriginsForTests, env, interrupt: deps.interrupt })
  const options = auditOptions(args)
  const source = await sourceOf(args.positionals[0], io.cwd)
  const outDir = resolve(io.cwd, args.values.get('out') ?? '.')
  const cookie = await cookieFrom(args, io.cwd, env)
  const json = args.flags.has('json')

  try {
    await mkdir(outDir, { recursive: true })
  } catch (error) {
    throw new SmilecamError('INVALID_INPUT', `Cannot create the output folder "${outDir}": ${(error as Error).message}`)
  }

  const engine = await createEngine(args.values.get('models') ?? io.modelDir)
  const fetchUrl = photoFetcher(cookie, { linkedInTestOrigins, privateOriginsForTests })
  const service = createAuditService({ engine, fetchUrl })
  try {
    const report = await service.run(source, options, (progress) => {
      if (!json && progress.step !== 'done') io.err(`  ${progress.message}`)
    })
    if (report.faceCount === 0) {
      // Nothing to blur around: a "blurred" photo would be the whole photo blurred. The report says why.
      const files = { report: await service.save(report.id, 'report', outDir) }
      io.out(json ? JSON.stringify({ report, files }) : summarizeReport(report, Object.values(files)))
      throw new SmilecamError('NO_FACE', `No face found in ${report.source}; nothing was blurred. Use a photo where your face is clearly visible.`)
    }
    const files = {
      blurred: await service.save(report.id, 'blurred', outDir),
      annotated: await service.save(report.id, 'annotated', outDir),
      report: await service.save(report.id, 'report', outDir)
    }
    io.out(json ? JSON.stringify({ report, files }) : summarizeReport(report, Object.values(files)))
    return 0
  } finally {
    service.close()
    await engine.close()
  }
}

async function runBatchCommand(args: ReturnType<typeof parseArgs>, io: CliIo, deps: AuditCommandDeps): Promise<number> {
  if (args.flags.has('json')) throw new SmilecamError('INVALID_INPUT', '--json is for one photo; a batch writes CSV (--csv).')
  const jobs = numberValue(args, 'jobs', 1, 64)
  if (jobs !== undefined && !Number.isInteger(jobs)) throw new SmilecamError('INVALID_INPUT', '--jobs must be a whole number from 1 to 64.')
  const outValue = args.values.get('out')
  const outDir = outValue === undefined ? undefined : resolve(io.cwd, outValue)
  if (outDir) await mkdir(outDir, { recursive: true })
  const cookie = await cookieFrom(args, io.cwd, deps.env ?? process.env)
  const interrupt = deps.interrupt ?? processInterrupt()
  try {
    const summary = await runBatchAudit(
      {
        inputs: args.positionals,
        audit: auditOptions(args),
        csv: args.values.get('csv'),
        jobs,
        outDir,
        modelDir: args.values.get('models') ?? io.modelDir,
        createEngine: deps.createEngine,
        fetchUrl: photoFetcher(cookie, deps),
        interrupt: interrupt.signal
      },
      io
    )
    io.err(describeSummary(summary, args.values.get('csv')))
    return batchExitCode(summary)
  } finally {
    interrupt.dispose()
  }
}

/** Ctrl-C stops starting new photos instead of killing the run mid-row. */
function processInterrupt(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController()
  const onSigint = (): void => controller.abort()
  process.once('SIGINT', onSigint)
  return { signal: controller.signal, dispose: () => process.removeListener('SIGINT', onSigint) }
}

function mark(pass: boolean): string {
  return pass ? 'ok  ' : 'FIX '
}

/** The human-readable summary printed without --json. */
export function summarizeReport(report: PhotoReport, files: readonly string[]): string {
  const lines = [`${report.source}: ${report.width}×${report.height}, ${report.faceCount} face(s)`]
  const checks = report.checks
  if (checks) {
    const { faceSize, sentiment, teeth, blur } = checks
    lines.push(
      `  ${mark(faceSize.pass)} face size   ${Math.round(faceSize.faceAreaRatio * 100)}% of the circle — ${faceSize.advice}`,
      `  ${mark(sentiment.pass)} sentiment   ${sentiment.emotion}, ${sentiment.sentiment}, smile ${sentiment.smile.toFixed(2)}${sentiment.smiling ? ' (smiling)' : ''} — ${sentiment.advice}`,
      `  ${mark(teeth.pass)} teeth       MAR ${teeth.mar.toFixed(3)}${teeth.teethVisible ? ' (visible)' : ''} — ${teeth.advice}`,
      `  ${mark(blur.pass)} blur        ${blur.mode}, strength ${blur.strength} — ${blur.advice}`,
      `  ${mark(checks.eyesOpen.pass)} eyes open   EAR ${checks.eyesOpen.ear.toFixed(3)} — ${checks.eyesOpen.advice}`,
      `  ${mark(checks.headTilt.pass)} head tilt   ${checks.headTilt.rollDegrees.toFixed(1)}° — ${checks.headTilt.advice}`,
      `  ${mark(checks.lighting.pass)} lighting    brightness ${checks.lighting.exposure}, contrast ${checks.lighting.contrast}, side ${checks.lighting.sideLight} — ${checks.lighting.advice}`,
      `  ${mark(checks.sharpness.pass)} sharpness   ${checks.sharpness.sharpness} — ${checks.sharpness.advice}`,
      `  ${mark(checks.position.pass)} position    off-centre ${checks.position.offCentre}, head room ${checks.position.headRoom} — ${checks.position.advice}`
    )
  }
  lines.push(`  ${report.verdict}`, 'Wrote:', ...files.map((file) => `  ${file}`))
  return lines.join('\n')
}
