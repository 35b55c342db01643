/** Locating the dev data sets (../shared/data) for benchmarks and evals; never used by npm test. */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'

/** ../shared/data next to the checkout, or $SMILECAM_DATA. */
export function dataRoot(): string {
  return resolve(process.env.SMILECAM_DATA ?? join(process.cwd(), '..', 'shared', 'data'))
}

/** The folder of one data set, or null with a printed skip message when it is absent. */
export function dataSet(name: string): string | null {
  const dir = join(dataRoot(), name)
  if (!existsSync(dir)) {
    console.log(`skipped: ${dir} is not there (set SMILECAM_DATA to the folder holding ${name}/).`)
    return null
  }
  return dir
}

/** Parses a simple CSV with a header row (no quoted commas in these files). */
export async function readCsv(path: string): Promise<Record<string, string>[]> {
  const [header, ...rows] = (await readFile(path, 'utf8')).trim().split(/\r?\n/)
  const keys = header.split(',')
  return rows.map((row) => {
    const cells = row.split(',')
    return Object.fromEntries(keys.map((k, i) => [k, cells[i] ?? '']))
  })
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index]
}

export function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`
}
