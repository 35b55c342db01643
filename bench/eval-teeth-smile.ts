/**
 * Accuracy of the audit's teeth and smiling decisions on the dev data (../shared/data):
 *   teeth: headshots/labels.csv (file,teeth,azure_smile)
 *   smile: smile/smile/*, smile/no_smile/* (folder = label)
 * A photo where no face is found counts as a wrong answer.
 *
 *   npx tsx bench/eval-teeth-smile.ts teeth|smile [--data DIR] [--features FILE.csv] [--sweep]
 *
 * --features writes the per-image features (MAR, tooth fraction, happy, corner lift, mouth width)
 * for analysis; --sweep prints accuracy over a coarse grid of the decision's thresholds, to see
 * how flat the optimum is (thresholds are not to be fitted to the last decimal).
 */
import { readdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  DEFAULT_SMILE_THRESHOLDS,
  DEFAULT_TEETH_THRESHOLDS,
  isSmiling,
  mouthAppearance,
  smileGeometry,
  teethVisible,
  type MouthAppearance,
  type SmileGeometry,
  type SmileThresholds,
  type TeethThresholds
} from '../src/main/audit/checks'
import { decodeFile } from '../src/main/audit/decode'
import type { AuditEngine } from '../src/main/audit/service'
import { dataSet, readCsv } from './data'

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
  face: null | { mar: number; appearance: MouthAppearance; happy: number; geometry: SmileGeometry }
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
  const result = await engine.detect(decoded.image, { expression: true })
  const face = result.faces[0]
  if (!face) return { file, label, face: null }
  return {
    file,
    label,
    face: {
      mar: face.mar,
      appearance: mouthAppearance(decoded.image, face.landmarks68),
      happy: face.smile ?? face.emotion?.scores.happy ?? 0,
      geometry: smileGeometry(face.landmarks68, face.mar)
    }
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

export function scoreTeeth(features: readonly PhotoFeatures[], t: TeethThresholds = DEFAULT_TEETH_THRESHOLDS, useAppearance = true): BinaryReport {
  return binaryReport(
    features.map((f) => ({ label: f.label, predicted: f.face ? teethVisible(f.face.mar, useAppearance ? f.face.appearance : undefined, t) : null }))
  )
}

export function scoreSmile(features: readonly PhotoFeatures[], t: SmileThresholds = DEFAULT_SMILE_THRESHOLDS): BinaryReport {
  return binaryReport(features.map((f) => ({ label: f.label, predicted: f.face ? isSmiling(f.face.happy, f.face.geometry, t) : null })))
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
  return `${name}: ${r.images} images, face found in ${r.detected}; accuracy ${pct(r.accuracy)}, FP rate ${pct(r.falsePositiveRate)}, FN rate ${pct(r.falseNegativeRate)} (tp ${c.tp}, fp ${c.fp}, tn ${c.tn}, fn ${c.fn}, of which no face ${c.noFace})`
}

function featuresCsv(features: readonly PhotoFeatures[]): string {
  const lines = ['file,label,face,mar,tooth_fraction,inner_pixels,happy,corner_lift,mouth_width']
  for (const f of features) {
    const x = f.face
    lines.push(
      [
        f.file,
        f.label ? 1 : 0,
        x ? 1 : 0,
        x?.mar.toFixed(4) ?? '',
        x?.appearance.toothFraction.toFixed(3) ?? '',
        x?.appearance.innerPixels ?? '',
        x?.happy.toFixed(3) ?? '',
        x?.geometry.cornerLift.toFixed(4) ?? '',
        x?.geometry.mouthWidth.toFixed(4) ?? ''
      ].join(',')
    )
  }
  return `${lines.join('\n')}\n`
}

function sweepTeeth(features: readonly PhotoFeatures[]): string[] {
  const lines = [`MAR only (appearance off): ${[0.05, 0.07, 0.09, 0.11].map((m) => `${m}: ${pct(scoreTeeth(features, { ...DEFAULT_TEETH_THRESHOLDS, marThreshold: m }, false).accuracy)}`).join(', ')}`]
  for (const minMar of [0.02, 0.03, 0.05]) {
    const cells = [0.15, 0.3, 0.45].map((tf) => `tooth ${tf}: ${pct(scoreTeeth(features, { ...DEFAULT_TEETH_THRESHOLDS, minMarWithToothPixels: minMar, toothFraction: tf }).accuracy)}`)
    lines.push(`MAR >= 0.09, or MAR >= ${minMar} and ${cells.join(', ')}`)
  }
  return lines
}

function sweepSmile(features: readonly PhotoFeatures[]): string[] {
  const lines: string[] = []
  for (const happySure of [0.3, 0.5, 0.7]) {
    const cells = [0.05, 0.15, 0.25].map((happyMaybe) => `maybe ${happyMaybe}: ${pct(scoreSmile(features, { ...DEFAULT_SMILE_THRESHOLDS, happySure, happyMaybe }).accuracy)}`)
    lines.push(`happy >= ${happySure} -> smile; ${cells.join(', ')}`)
  }
  lines.push(`happy score alone: ${[0.2, 0.35, 0.5].map((h) => `${h}: ${pct(scoreSmile(features, { ...DEFAULT_SMILE_THRESHOLDS, happySure: h, happyMaybe: h }).accuracy)}`).join(', ')}`)
  return lines
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
  const given = valueOf('--data')
  const dataDir = given ? resolve(given) : dataSet(task === 'teeth' ? 'headshots' : 'smile')
  if (!dataDir) return
  const { VisionEngine } = await import('../src/main/vision/engine')
  const engine = await VisionEngine.create({ modelDir: resolve('resources/models') })
  try {
    const started = performance.now()
    const features = task === 'teeth' ? await teethFeatures(dataDir, engine) : await smileFeatures(dataDir, engine)
    const report = task === 'teeth' ? scoreTeeth(features) : scoreSmile(features)
    console.log(formatBinaryReport(task, report))
    if (task === 'teeth') console.log(formatBinaryReport('teeth, MAR >= 0.09 only', scoreTeeth(features, DEFAULT_TEETH_THRESHOLDS, false)))
    console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`)
    if (argv.includes('--sweep')) console.log((task === 'teeth' ? sweepTeeth(features) : sweepSmile(features)).join('\n'))
    const featuresFile = valueOf('--features')
    if (featuresFile) await writeFile(featuresFile, featuresCsv(features))
  } finally {
    await engine.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv.slice(2))
}
