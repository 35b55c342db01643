/**
 * `smilecam audit <folder | list.txt | image…> --csv report.csv --jobs N`: many photos, one CSV
 * row each, N engine hosts working at once. Rows are appended as photos finish, so an
 * interrupted run keeps what it did, and a rerun with the same --csv skips those photos.
 */
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { dirname, extname, isAbsolute, relative, resolve } from 'node:path'
import type { AuditOptions, LocalAuditSource, PhotoReport } from '../shared/audit'
import { SmilecamError } from '../shared/errors'
import { createAuditService, type AuditServiceDeps } from '../core'
import type { AuditEngineFactory } from './audit'
import { csvLine, parseCsv } from './csv'
import type { CliIo } from './io'
import { progressBar, progressLine, type BatchProgress } from './progress'

export const BATCH_CSV_COLUMNS = [
  'file',
  'faceCount',
  'faceAreaRatio',
  'faceLargeEnough',
  'faceInsideCircle',
  'resolutionOk',
  'smile',
  'smiling',
  'teethVisible',
  'mar',
  'sentiment',
  'emotion',
  'eyesOpen',
  'headLevel',
  'lightingOk',
  'sharp',
  'wellPlaced',
  'pass',
  'error'
] as const

/** File name extensions a folder is searched for. */
const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.heic', '.heif'])

export interface BatchItem {
  /** As written in the CSV's file column (relative to the current folder when inside it, or the URL). */
  name: string
  source: LocalAuditSource
}

function isUrl(input: string): boolean {
  return /^https?:\/\//i.test(input) || /^([a-z0-9-]+\.)*linkedin\.com\//i.test(input)
}

function displayName(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}

/** Whether these audit arguments are a batch: several inputs, a folder or a .txt list. */
export async function isBatchInput(inputs: readonly string[], cwd: string): Promise<boolean> {
  if (inputs.length !== 1) return inputs.length > 1
  const input = inputs[0]
  if (extname(input).toLowerCase() === '.txt') return true
  const info = await stat(resolve(cwd, input)).catch(() => null)
  return info?.isDirectory() ?? false
}

/**
 * The photos named by the inputs, in order, without repeats: a folder gives its image files
 * (sorted, not recursive), a .txt gives one path or URL per line (blank lines and # comments
 * skipped, paths relative to the list), anything else is itself (a missing file becomes an
 * error row later, not a stop).
 */
export async function expandBatchInputs(inputs: readonly string[], cwd: string): Promise<BatchItem[]> {
  const items: BatchItem[] = []
  const seen = new Set<string>()
  const add = (item: BatchItem): void => {
    if (!seen.has(item.name)) {
      seen.add(item.name)
      items.push(item)
    }
  }
  const addEntry = (entry: string, base: string): void => {
    if (isUrl(entry)) return add({ name: entry, source: { kind: 'url', url: entry } })
    const path = resolve(base, entry)
    add({ name: displayName(path, cwd), source: { kind: 'file', path } })
  }
  for (const input of inputs) {
    const path = resolve(cwd, input)
    const info = await stat(path).catch(() => null)
    if (info?.isDirectory()) {
      const names = (await readdir(path)).filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase())).sort()
      for (const n of names) addEntry(n, path)
    } else if (info?.isFile() && extname(input).toLowerCase() === '.txt') {
      const lines = (await readFile(path, 'utf8')).split(/\r?\n/).map((l) => l.trim())
      for (const line of lines) if (line && !line.startsWith('#')) addEntry(line, dirname(path))
    } else if (!info && extname(input).toLowerCase() === '.txt') {
      throw new SmilecamError('FILE_NOT_FOUND', `The list "${input}" does not exist.`)
    } else {
      addEntry(input, cwd)
    }
  }
  return items
}

export type BatchRow = Record<(typeof BATCH_CSV_COLUMNS)[number], string | number | boolean | undefined>

function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/**
 * A photo passes when every check passes: face size (large enough, inside the circle,
 * resolution), smiling, teeth, and the photo-quality checks' own pass.
 */
export function reportPasses(report: PhotoReport): boolean {
  const c = report.checks
  if (!c) return false
  const quality = [c.eyesOpen, c.headTilt, c.lighting, c.sharpness, c.position].every((check) => check.pass)
  return c.faceSize.faceLargeEnough && c.faceSize.faceInsideCircle && c.faceSize.resolutionOk && c.sentiment.smiling && c.teeth.teethVisible && quality
}

export function rowOfReport(name: string, report: PhotoReport): BatchRow {
  const c = report.checks
  return {
    file: name,
    faceCount: report.faceCount,
    faceAreaRatio: c && round(c.faceSize.faceAreaRatio, 4),
    faceLargeEnough: c?.faceSize.faceLargeEnough,
    faceInsideCircle: c?.faceSize.faceInsideCircle,
    resolutionOk: c?.faceSize.resolutionOk,
    smile: c && round(c.sentiment.smile, 3),
    smiling: c?.sentiment.smiling,
    teethVisible: c?.teeth.teethVisible,
    mar: c && round(c.teeth.mar, 4),
    sentiment: c?.sentiment.sentiment,
    emotion: c?.sentiment.emotion,
    eyesOpen: c?.eyesOpen.pass,
    headLevel: c?.headTilt.pass,
    lightingOk: c?.lighting.pass,
    sharp: c?.sharpness.pass,
    wellPlaced: c?.position.pass,
    pass: reportPasses(report),
    error: c ? '' : `NO_FACE: ${report.verdict}`
  }
}

export function rowOfError(name: string, error: unknown): BatchRow {
  const e = SmilecamError.from(error)
  const row = Object.fromEntries(BATCH_CSV_COLUMNS.map((k) => [k, undefined])) as BatchRow
  return { ...row, file: name, pass: false, error: `${e.code}: ${e.message}` }
}

function csvOfRow(row: BatchRow): string {
  return csvLine(BATCH_CSV_COLUMNS.map((k) => row[k]))
}

/**
 * Reads an earlier report for a rerun: the rows that finished (no error) are kept and their
 * photos skipped; rows that ended in an error are dropped so those photos are tried again.
 */
export async function resumeCsv(path: string): Promise<{ kept: string[][]; done: Set<string> }> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null
    throw new SmilecamError('INVALID_INPUT', `Cannot read "${path}": ${error.message}`)
  })
  if (text === null || text.trim() === '') return { kept: [], done: new Set() }
  const [header, ...rows] = parseCsv(text)
  if (header.join(',') !== BATCH_CSV_COLUMNS.join(',')) {
    throw new SmilecamError('INVALID_INPUT', `"${path}" is not a smilecam batch report (its header differs); name a new --csv file.`)
  }
  const errorAt = BATCH_CSV_COLUMNS.indexOf('error')
  const kept = rows.filter((r) => r.length === BATCH_CSV_COLUMNS.length && r[errorAt] === '')
  return { kept, done: new Set(kept.map((r) => r[0])) }
}

export interface BatchOptions {
  inputs: readonly string[]
  audit: Partial<AuditOptions>
  /** CSV file to write (and resume from); without it rows go to stdout. */
  csv?: string
  jobs?: number
  /** Folder for each photo's blurred/annotated/report outputs; without it only the CSV is written. */
  outDir?: string
  modelDir: string
  createEngine: AuditEngineFactory
  fetchUrl?: AuditServiceDeps['fetchUrl']
  /** Aborted on Ctrl-C: no new photos are started, finished rows stay. */
  interrupt?: AbortSignal
  now?: () => number
}

export interface BatchSummary {
  total: number
  skipped: number
  audited: number
  passed: number
  failed: number
  errors: number
  interrupted: boolean
  elapsedMs: number
  jobs: number
}

/** Runs the batch; returns the exit code (0 all passed, 1 any photo failed or errored, 130 interrupted). */
export async function runBatchAudit(options: BatchOptions, io: CliIo): Promise<BatchSummary> {
  const now = options.now ?? (() => performance.now())
  const items = await expandBatchInputs(options.inputs, io.cwd)
  if (items.length === 0) throw new SmilecamError('INVALID_INPUT', 'No photos found in what was named (folders are searched for .jpg, .png, .webp and similar files).')
  const csvPath = options.csv === undefined ? undefined : resolve(io.cwd, options.csv)
  const { kept, done } = csvPath ? await resumeCsv(csvPath) : { kept: [], done: new Set<string>() }
  const header = csvLine(BATCH_CSV_COLUMNS)
  if (csvPath) {
    const text = [header, ...kept.map((r) => csvLine(r))].join('\n') + '\n'
    await writeFile(csvPath, text).catch((error: Error) => {
      throw new SmilecamError('INVALID_INPUT', `Cannot write "${csvPath}": ${error.message}`)
    })
  } else {
    io.out(header)
  }
  const passAt = BATCH_CSV_COLUMNS.indexOf('pass')
  const todo = items.filter((item) => !done.has(item.name))
  // Earlier rows of photos named this time count towards this run's result; others just stay in the file.
  const names = new Set(items.map((item) => item.name))
  const earlier = kept.filter((r) => names.has(r[0]))
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), todo.length || 1))
  const summary: BatchSummary = {
    total: items.length,
    skipped: items.length - todo.length,
    audited: 0,
    passed: earlier.filter((r) => r[passAt] === 'true').length,
    failed: earlier.filter((r) => r[passAt] !== 'true').length,
    errors: 0,
    interrupted: false,
    elapsedMs: 0,
    jobs
  }
  if (summary.skipped > 0) io.err(`Skipping ${summary.skipped} photo(s) already in ${options.csv}.`)
  const started = now()
  const progress = (): BatchProgress => ({ done: summary.audited, total: todo.length, failed: summary.failed + summary.errors, elapsedMs: now() - started })
  const tty = io.progress?.tty === true
  const draw = (): void => io.progress?.write(`\r${progressBar(progress())}\x1b[K`)
  if (tty && todo.length > 0) draw()

  // Rows are written one at a time, in the order photos finish.
  let writing: Promise<void> = Promise.resolve()
  const record = (row: BatchRow): Promise<void> => {
    const line = csvOfRow(row)
    writing = writing.then(() => (csvPath ? appendFile(csvPath, `${line}\n`) : io.out(line)))
    return writing
  }

  const signal = options.interrupt
  let next = 0
  const worker = async (): Promise<void> => {
    const engine = await options.createEngine(options.modelDir)
    const service = createAuditService({ engine, fetchUrl: options.fetchUrl })
    let stopped = false
    const stop = (): void => {
      if (stopped) return
      stopped = true
      service.close()
      void engine.close()
    }
    signal?.addEventListener('abort', stop, { once: true })
    try {
      while (!signal?.aborted && next < todo.length) {
        const item = todo[next++]
        let row: BatchRow
        try {
          const report = await service.run(item.source, options.audit)
          if (options.outDir) {
            for (const kind of ['blurred', 'annotated', 'report'] as const) await service.save(report.id, kind, options.outDir)
          }
          row = rowOfReport(item.name, report)
        } catch (error) {
          // A photo cut short by Ctrl-C is not a result: it is left for the rerun.
          if (signal?.aborted) break
          row = rowOfError(item.name, error)
        }
        summary.audited++
        if (row.error) summary.errors++
        else if (row.pass) summary.passed++
        else summary.failed++
        await record(row)
        if (tty) draw()
        else io.err(progressLine(progress(), item.name, row.error ? `error ${String(row.error).split(':')[0]}` : row.pass ? 'pass' : 'fail'))
      }
    } finally {
      signal?.removeEventListener('abort', stop)
      stop()
    }
  }
  const results = await Promise.allSettled(Array.from({ length: jobs }, worker))
  await writing
  if (tty && todo.length > 0) io.progress?.write('\n')
  summary.interrupted = signal?.aborted === true
  summary.elapsedMs = now() - started
  const startFailure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (startFailure && !summary.interrupted) throw SmilecamError.from(startFailure.reason)
  return summary
}

export function batchExitCode(summary: BatchSummary): number {
  if (summary.interrupted) return 130
  return summary.failed + summary.errors > 0 ? 1 : 0
}

export function describeSummary(summary: BatchSummary, csv: string | undefined): string {
  const seconds = summary.elapsedMs / 1000
  const rate = seconds > 0 ? summary.audited / seconds : 0
  const where = csv ? `; rows in ${csv}` : ''
  const head = summary.interrupted
    ? `Interrupted after ${summary.audited} photo(s)${where}; run the same command again to continue.`
    : `Audited ${summary.audited} photo(s) in ${seconds.toFixed(1)} s (${rate.toFixed(2)}/s, ${summary.jobs} job(s))${where}.`
  const skipped = summary.skipped > 0 ? `, ${summary.skipped} skipped (done before)` : ''
  return `${head} ${summary.passed} passed, ${summary.failed} failed a check, ${summary.errors} could not be audited${skipped}.`
}
