/**
 * `npm run eval -- photo-checks`: the distributions of the extra profile-photo measures (EAR,
 * roll, face exposure/contrast/side light, sharpness, position in the circle) on the dev
 * headshots, read at run time from ../shared/data/headshots, and how many photos pass each
 * check at the thresholds in src/core/audit/photo-quality.ts. Also the same photos blurred
 * and darkened, which the checks should fail, to show the thresholds separate.
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { decodeFile, detectFaces, photoQualityChecks, PHOTO_CHECK_THRESHOLDS } from '../src/core'
import { VisionEngine } from '../src/engine'
import type { PhotoQualityChecks } from '../src/shared/audit'
import type { RgbaImage } from '../src/shared/vision'
import { dataSet, percentile } from './data'

async function degraded(image: RgbaImage, kind: 'blurred' | 'dark'): Promise<RgbaImage> {
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
  pipeline = kind === 'blurred' ? pipeline.blur(Math.max(2, image.width / 150)) : pipeline.linear(0.3, 0)
  const data = await pipeline.raw().toBuffer()
  return { width: image.width, height: image.height, data: new Uint8Array(data) }
}

/** The measured values of each check, by name, as the report holds them. */
const MEASURES: Record<string, (c: PhotoQualityChecks) => number> = {
  ear: (c) => c.eyesOpen.ear,
  roll: (c) => Math.abs(c.headTilt.rollDegrees),
  exposure: (c) => c.lighting.exposure,
  contrast: (c) => c.lighting.contrast,
  sideLight: (c) => c.lighting.sideLight,
  sharpness: (c) => c.sharpness.sharpness,
  offCentre: (c) => c.position.offCentre,
  headRoom: (c) => c.position.headRoom
}

function describe(name: string, values: number[]): string {
  const f = (v: number): string => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3))
  const p = [1, 5, 50, 95, 99].map((q) => `p${q} ${f(percentile(values, q))}`).join('  ')
  return `  ${name.padEnd(10)} n=${values.length}  min ${f(Math.min(...values))}  ${p}  max ${f(Math.max(...values))}`
}

export async function runPhotoChecksEval(modelDir: string): Promise<void> {
  const dir = dataSet('headshots')
  if (!dir) return
  const files = (await readdir(dir)).filter((f) => f.endsWith('.jpg')).sort()
  const engine = await VisionEngine.create({ modelDir })
  const sets: Record<'original' | 'blurred' | 'dark', PhotoQualityChecks[]> = { original: [], blurred: [], dark: [] }
  let noFace = 0
  try {
    for (const file of files) {
      const { image } = await decodeFile(join(dir, file))
      const { face } = await detectFaces(engine, image)
      if (!face) {
        noFace++
        continue
      }
      // The landmarks of the original photo are used for its degraded copies too: this measures the checks, not the detector.
      for (const kind of ['original', 'blurred', 'dark'] as const) {
        sets[kind].push(photoQualityChecks(kind === 'original' ? image : await degraded(image, kind), face.landmarks68))
      }
    }
  } finally {
    await engine.close()
  }
  console.log(`photo checks on ${files.length} dev headshots (${noFace} without a face):`)
  for (const [name, measure] of Object.entries(MEASURES)) console.log(describe(name, sets.original.map(measure)))
  console.log(`  thresholds: ${JSON.stringify(PHOTO_CHECK_THRESHOLDS)}`)
  for (const kind of ['original', 'blurred', 'dark'] as const) {
    const checks = Object.keys(sets[kind][0] ?? {}) as Array<keyof PhotoQualityChecks>
    const rates = checks.map((name) => `${name} ${((100 * sets[kind].filter((c) => c[name].pass).length) / sets[kind].length).toFixed(0)}%`)
    console.log(`  pass rates, ${kind.padEnd(8)}: ${rates.join('  ')}`)
  }
}
