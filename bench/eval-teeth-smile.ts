/**
 * Accuracy of the audit's teeth and smiling decisions on the dev data (../shared/data):
 *   teeth: headshots/labels.csv (file,teeth,azure_smile)
 *   smile: smile/smile/*, smile/no_smile/* (folder = label)
 * A photo where no face is found counts as a wrong answer. Dev figures are reported, never fitted:
 * the decisions' parameters come from `npm run train -- smile|teeth`.
 *
 *   npx tsx bench/eval-teeth-smile.ts teeth|smile [--data DIR] [--features FILE.csv] [--sweep]
 *
 * --features writes the per-image features (MAR, tooth fraction, smile probability) for
 * analysis; --sweep prints accuracy over a coarse grid of the decision's thresholds.
 */
import { readdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { decodeFile, DEFAULT_TEETH_RULE, detectFaces, isSmiling, SMILING_PROBABILITY, teethVisible, type AuditEngine, type TeethRule } from '../src/core'
import { DEFAULT_AUDIT_OPTIONS } from '../src/shared/audit'
import type { InnerMouthAppearance } from '../src/shared/vision'
import { dataSet, readCsv } from './data'

// ---------------------------------------------------------------- scoring

export interface BinaryReport {
  images: number
  /** Images where a face was found. */
  detected: number
  accuracy: number
  /** Wrong "yes" over all true "no" (no-face photos count as wrong). */
  falsePositiveRate: number
  /** Wrong "no" over all true "yes" (no-face photos count as wrong). */
  falseNegativeRate: number
  confusion: { tp: number; fp: number; tn: number; fn: number; noFace: number }
}

/** What the decisions need from one photo; null when no face was found. */
export interface PhotoFeatures {
  file: string
  label: boolean
  face: null | { mar: number; innerMouth?: InnerMouthAppearance; smile: number }
}

export function binaryReport(samples: ReadonlyArray<{ label: boolean; predicted: boolean | null }>): BinaryReport {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0, noFace: 0 }
  let positives = 0
  for (const { label, predicted } of samples) {
    if (label) positives++
    if (predicted === null) {
      c.noFace++
      if (label) c.fn++
      else c.fp++
    } else if (predicted && label) c.tp++
    else if (predicted && !label) c.fp++
    else if (!predicted && label) c.fn++
    else c.tn++
  }
  const negatives = samples.length - positives
  return {
    images: samples.length,
    detected: samples.length - c.noFace,
    accuracy: samples.length ? (c.tp + c.tn) / samples.length : NaN,
    falsePositiveRate: negatives ? c.fp / negatives : NaN,
    falseNegativeRate: positives ? c.fn / positives : NaN,
    confusion: c
  }
}

async function photoFeatures(engine: AuditEngine, path: string, file: string, label: boolean): Promise<PhotoFeatures> {
  const decoded = await decodeFile(path)
  // Same engine request and face choice as the audit service.
  const { face } = await detectFaces(engine, decoded.image)
  if (!face) return { file, label, face: null }
  return {
    file,
    label,
    face: { mar: face.mar, innerMouth: face.innerMouth, smile: face.smile ?? 0 }
  }
}

export async function teethFeatures(dataDir: string, engine: AuditEngine): Promise<PhotoFeatures[]> {
  const rows = await readCsv(join(dataDir, 'labels.csv'))
  const out: PhotoFeatures[] = []
  for (const row of rows) out.push(await photoFeatures(engine, join(dataDir, row.file), row.file, row.teeth === '1'))
  return out
}

export async function smileFeatures(dataDir: string, engine: AuditEngine): Promise<PhotoFeatures[]> {
  const out: PhotoFeatures[] = []
  for (const [folder, label] of [
    ['smile', true],
    ['no_smile', false]
  ] as const) {
    const files = (await readdir(join(dataDir, folder))).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort()
    for (const file of files) out.push(await photoFeatures(engine, join(dataDir, folder, file), `${folder}/${file}`, label))
  }
  return out
}

/** The audit's teeth decision at `marThreshold` with `rule`. */
export function scoreTeeth(features: readonly PhotoFeatures[], marThreshold = DEFAULT_AUDIT_OPTIONS.marThreshold, rule: TeethRule = DEFAULT_TEETH_RULE): BinaryReport {
  return binaryReport(features.map((f) => ({ label: f.label, predicted: f.face ? teethVisible(f.face.mar, f.face.innerMouth, marThreshold, rule) : null })))
}

export function scoreSmile(features: readonly PhotoFeatures[], threshold = SMILING_PROBABILITY): BinaryReport {
  return binaryReport(features.map((f) => ({ label: f.label, predicted: f.face ? isSmiling(f.face.smile, threshold) : null })))
}

/** Teeth accuracy of the audit's decision on headshots/labels.csv. */
export async function evalTeeth(dataDir: string, engine: AuditEngine): Promise<BinaryReport> {
  return scoreTeeth(await teethFeatures(dataDir, engine))
}

/** Smiling accuracy of the audit's decision on smile/{smile,no_smile}. */
export async function evalSmile(dataDir: string, engine: AuditEngine): Promise<BinaryReport> {
  return scoreSmile(await smileFeatures(dataDir, engine))
}

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`

export function formatBinaryReport(name: string, r: BinaryReport): string {
  const c = r.confusion
  const onFaces = r.detected ? (c.tp + c.tn) / r.detected : NaN
  return `${name}: ${r.images} images, face found in ${r.detected}; accuracy ${pct(r.accuracy)}, FP rate ${pct(r.falsePositiveRate)}, FN rate ${pct(r.falseNegativeRate)} (tp ${c.tp}, fp ${c.fp}, tn ${c.tn}, fn ${c.fn}, of which no face ${c.noFace}); on photos with a face found: ${pct(onFaces)}`
}

function featuresCsv(features: readonly PhotoFeatures[]): string {
  const lines = ['file,label,face,mar,tooth_fraction,inner_pixels,smile']
  for (const f of features) {
    const x = f.face
    lines.push(
      [f.file, f.label ? 1 : 0, x ? 1 : 0, x?.mar.toFixed(4) ?? '', x?.innerMouth?.toothFraction.toFixed(3) ?? '', x?.innerMouth?.innerPixels ?? '', x?.smile.toFixed(3) ?? ''].join(',')
    )
  }
  return `${lines.join('\n')}\n`
}

function sweepTeeth(features: readonly PhotoFeatures[]): string[] {
  const lines = [`MAR alone: ${[0.05, 0.07, 0.09, 0.11].map((m) => `>= ${m}: ${pct(scoreTeeth(features, m, { ...DEFAULT_TEETH_RULE, partedMar: Infinity, wideOpenMar: Infinity }).accuracy)}`).join(', ')}`]
  for (const partedMar of [0.02, 0.03, 0.05]) {
    const cells = [0.1, 0.2, 0.3, 0.45].map((tf) => `tooth fraction ${tf}: ${pct(scoreTeeth(features, undefined, { ...DEFAULT_TEETH_RULE, partedMar, partedToothFraction: tf }).accuracy)}`)
    lines.push(`parted lips MAR >= ${partedMar} with ${cells.join(', ')}`)
  }
  return lines
}

function sweepSmile(features: readonly PhotoFeatures[]): string[] {
  return [`smile probability >= ${[0.3, 0.4, 0.5, 0.6, 0.7].map((t) => `${t}: ${pct(scoreSmile(features, t).accuracy)}`).join(', ')}`]
}

export interface TeethSmileEvalOptions {
  modelDir: string
  /** Data folder (default ../shared/data/headshots or ../shared/data/smile). */
  dataDir?: string
  /** Print the threshold sweep as well. */
  sweep?: boolean
  /** Write the per-image features to this CSV. */
  featuresFile?: string
}

/** Runs one eval on the real engine and prints its figures (skips when the data folder is absent). */
export async function runTeethSmileEval(task: 'teeth' | 'smile', options: TeethSmileEvalOptions): Promise<BinaryReport | null> {
  const dataDir = options.dataDir ? resolve(options.dataDir) : dataSet(task === 'teeth' ? 'headshots' : 'smile')
  if (!dataDir) return null
  const { VisionEngine } = await import('../src/engine')
  const engine = await VisionEngine.create({ modelDir: options.modelDir })
  try {
    const started = performance.now()
    const features = task === 'teeth' ? await teethFeatures(dataDir, engine) : await smileFeatures(dataDir, engine)
    const report = task === 'teeth' ? scoreTeeth(features) : scoreSmile(features)
    console.log(`${formatBinaryReport(task, report)} [${((performance.now() - started) / 1000).toFixed(1)} s]`)
    if (options.sweep) console.log((task === 'teeth' ? sweepTeeth(features) : sweepSmile(features)).join('\n'))
    if (options.featuresFile) await writeFile(options.featuresFile, featuresCsv(features))
    return report
  } finally {
    await engine.close()
  }
}

async function main(argv: string[]): Promise<void> {
  const task = argv[0]
  if (task !== 'teeth' && task !== 'smile') {
    console.log('usage: npx tsx bench/eval-teeth-smile.ts teeth|smile [--data DIR] [--features FILE.csv] [--sweep]')
    process.exitCode = 2
    return
  }
  const valueOf = (flag: string): string | undefined => {
    const i = argv.indexOf(flag)
    return i >= 0 ? argv[i + 1] : undefined
  }
  await runTeethSmileEval(task, {
    modelDir: resolve('resources/models'),
    dataDir: valueOf('--data'),
    sweep: argv.includes('--sweep'),
    featuresFile: valueOf('--features')
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv.slice(2))
}
