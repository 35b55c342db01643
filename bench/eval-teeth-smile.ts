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
 *
 * The teeth sweep also tries the inner-mouth appearance (the experiment below); it changed no
 * decision on the headshots, so the product decision stays MAR alone.
 */
import { readdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { decodeFile, DEFAULT_SMILE_THRESHOLDS, detectFaces, fillPolygon, isSmiling, mouthWidthRatio, teethVisible, type AuditEngine, type SmileThresholds } from '../src/core'
import { distance } from '../src/shared/face-geometry'
import { DEFAULT_AUDIT_OPTIONS } from '../src/shared/audit'
import type { Point, RgbaImage } from '../src/shared/vision'
import { dataSet, readCsv } from './data'

// ---------------------------------------------------------------- inner-mouth appearance (experiment)

export interface MouthAppearance {
  /** Share of inner-mouth pixels that look like teeth (bright and unsaturated next to the lips). */
  toothFraction: number
  /** Pixels sampled inside the inner-lip polygon. */
  innerPixels: number
}

/** Lightness gain over the lips' median that a tooth pixel needs (0..255 scale). */
const TOOTH_LIGHTNESS_GAIN = 25
/** A tooth pixel's saturation is at most this share of the lips' median saturation. */
const TOOTH_SATURATION_SHARE = 0.75

function lightness(r: number, g: number, b: number): number {
  return (Math.max(r, g, b) + Math.min(r, g, b)) / 2
}

/** HSV-style saturation 0..1: teeth are near grey/white, lips are red. */
function saturation(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b)
  return max === 0 ? 0 : (max - Math.min(r, g, b)) / max
}

function median(values: number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/**
 * Pixels of the inner-lip polygon (60-67) compared with the lip ring (outer lips 48-59 minus the
 * inner polygon): teeth are brighter and less saturated than lips; a dark mouth or a tongue is not.
 */
export function mouthAppearance(image: RgbaImage, p: readonly Point[]): MouthAppearance {
  const outer = p.slice(48, 60)
  const inner = p.slice(60, 68)
  const xs = outer.map((q) => q[0])
  const ys = outer.map((q) => q[1])
  const left = Math.max(0, Math.floor(Math.min(...xs)))
  const top = Math.max(0, Math.floor(Math.min(...ys)))
  const w = Math.min(image.width, Math.ceil(Math.max(...xs)) + 1) - left
  const h = Math.min(image.height, Math.ceil(Math.max(...ys)) + 1) - top
  if (w <= 0 || h <= 0) return { toothFraction: 0, innerPixels: 0 }
  const shift = (q: Point): Point => [q[0] - left, q[1] - top]
  const outerMask = fillPolygon(outer.map(shift), w, h)
  const innerMask = fillPolygon(inner.map(shift), w, h)
  const lipL: number[] = []
  const lipS: number[] = []
  const innerPixels: Array<[number, number]> = []
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const m = y * w + x
      if (!outerMask[m] && !innerMask[m]) continue
      const i = ((top + y) * image.width + left + x) * 4
      const [r, g, b] = [image.data[i], image.data[i + 1], image.data[i + 2]]
      if (innerMask[m]) innerPixels.push([lightness(r, g, b), saturation(r, g, b)])
      else {
        lipL.push(lightness(r, g, b))
        lipS.push(saturation(r, g, b))
      }
    }
  }
  if (innerPixels.length === 0) return { toothFraction: 0, innerPixels: 0 }
  const lipLightness = median(lipL)
  const lipSaturation = median(lipS)
  const toothLike = innerPixels.filter(([l, s]) => l >= lipLightness + TOOTH_LIGHTNESS_GAIN && s <= lipSaturation * TOOTH_SATURATION_SHARE).length
  return { toothFraction: toothLike / innerPixels.length, innerPixels: innerPixels.length }
}

/** MAR >= marThreshold, or (experiment) a slightly open mouth with enough tooth-like pixels. */
export function teethWithAppearance(mar: number, appearance: MouthAppearance, marThreshold: number, minMar: number, toothFraction: number): boolean {
  return teethVisible(mar, marThreshold) || (mar >= minMar && appearance.toothFraction >= toothFraction)
}

/**
 * Experiment: how far the mouth corners sit above the upper lip's inner edge (62), over the mouth
 * width, along the face's own down axis (so head roll does not count). Smiles lift the corners.
 */
export function cornerLift(p: readonly Point[]): number {
  const eyeSpan = distance(p[36], p[45])
  const mouthSpan = distance(p[48], p[54])
  if (eyeSpan === 0 || mouthSpan === 0) return 0
  const ex = (p[45][0] - p[36][0]) / eyeSpan
  const ey = (p[45][1] - p[36][1]) / eyeSpan
  const down = (q: Point): number => -ey * q[0] + ex * q[1]
  return (down(p[62]) - (down(p[48]) + down(p[54])) / 2) / mouthSpan
}

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
  face: null | { mar: number; appearance: MouthAppearance; happy: number; mouthWidth: number; cornerLift: number }
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
    face: {
      mar: face.mar,
      appearance: mouthAppearance(decoded.image, face.landmarks68),
      happy: face.smile ?? face.emotion?.scores.happy ?? 0,
      mouthWidth: mouthWidthRatio(face.landmarks68),
      cornerLift: cornerLift(face.landmarks68)
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

/** The audit's teeth decision (MAR alone) at `marThreshold`. */
export function scoreTeeth(features: readonly PhotoFeatures[], marThreshold = DEFAULT_AUDIT_OPTIONS.marThreshold): BinaryReport {
  return binaryReport(features.map((f) => ({ label: f.label, predicted: f.face ? teethVisible(f.face.mar, marThreshold) : null })))
}

function scoreTeethWithAppearance(features: readonly PhotoFeatures[], minMar: number, toothFraction: number): BinaryReport {
  const marThreshold = DEFAULT_AUDIT_OPTIONS.marThreshold
  return binaryReport(
    features.map((f) => ({
      label: f.label,
      predicted: f.face ? teethWithAppearance(f.face.mar, f.face.appearance, marThreshold, minMar, toothFraction) : null
    }))
  )
}

export function scoreSmile(features: readonly PhotoFeatures[], t: SmileThresholds = DEFAULT_SMILE_THRESHOLDS): BinaryReport {
  return binaryReport(features.map((f) => ({ label: f.label, predicted: f.face ? isSmiling(f.face.happy, f.face.mouthWidth, t) : null })))
}

/** Experiment: the audit's decision with lifted corners as a second way to confirm a maybe-smile. */
function scoreSmileWithCornerLift(features: readonly PhotoFeatures[], minLift: number, t: SmileThresholds): BinaryReport {
  return binaryReport(
    features.map((f) => ({
      label: f.label,
      predicted: f.face ? isSmiling(f.face.happy, f.face.mouthWidth, t) || (f.face.happy >= t.happyMaybe && f.face.cornerLift >= minLift) : null
    }))
  )
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
        x?.cornerLift.toFixed(4) ?? '',
        x?.mouthWidth.toFixed(4) ?? ''
      ].join(',')
    )
  }
  return `${lines.join('\n')}\n`
}

function sweepTeeth(features: readonly PhotoFeatures[]): string[] {
  const lines = [`MAR alone: ${[0.05, 0.07, 0.09, 0.11].map((m) => `>= ${m}: ${pct(scoreTeeth(features, m).accuracy)}`).join(', ')}`]
  for (const minMar of [0.02, 0.03, 0.05]) {
    const cells = [0.15, 0.3, 0.45].map((tf) => `tooth fraction ${tf}: ${pct(scoreTeethWithAppearance(features, minMar, tf).accuracy)}`)
    lines.push(`MAR >= 0.09, or MAR >= ${minMar} with ${cells.join(', ')}`)
  }
  return lines
}

function sweepSmile(features: readonly PhotoFeatures[]): string[] {
  const lines: string[] = []
  for (const happySure of [0.4, 0.5, 0.65, 0.8]) {
    const cells = [0.1, 0.2, 0.3, 0.4].map((happyMaybe) => `maybe ${happyMaybe}: ${pct(scoreSmile(features, { ...DEFAULT_SMILE_THRESHOLDS, happySure, happyMaybe }).accuracy)}`)
    lines.push(`happy >= ${happySure} -> smile; ${cells.join(', ')}`)
  }
  const widths = [0.58, 0.62, 0.66, 0.7, Infinity]
  lines.push(`grey zone confirmed by mouth ${widths.map((mouthWidth) => `width ${mouthWidth}: ${pct(scoreSmile(features, { ...DEFAULT_SMILE_THRESHOLDS, mouthWidth }).accuracy)}`).join(', ')}`)
  lines.push(
    `... or (experiment) corner lift ${[0.03, 0.06, 0.09].map((lift) => `>= ${lift}: ${pct(scoreSmileWithCornerLift(features, lift, DEFAULT_SMILE_THRESHOLDS).accuracy)}`).join(', ')}`
  )
  lines.push(`happy score alone: ${[0.2, 0.35, 0.5].map((h) => `${h}: ${pct(scoreSmile(features, { ...DEFAULT_SMILE_THRESHOLDS, happySure: h, happyMaybe: h }).accuracy)}`).join(', ')}`)
  return lines
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
