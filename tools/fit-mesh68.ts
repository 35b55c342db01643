/**
 * Refits the 468-mesh → iBUG-68 table (src/engine/ops/mesh-to-ibug68.ts)
 * on annotated frames: for each iBUG point, the pair of nearby mesh vertices and
 * the mixing weight with the least eye-distance-normalised error. Fits on even
 * frames and reports NME on odd frames (and the other way round), so the printed
 * figure is not measured on the frames it was fitted on.
 *
 *   npx tsx tools/fit-mesh68.ts [../shared/data/landmarks68]
 */
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Point } from '../src/shared/vision'
import { DEFAULT_VISION_OPTIONS } from '../src/shared/vision'
import { decodeFile } from '../src/core'
import { FacePipeline, MESH_TO_IBUG68, meshToIbug68, type MeshToIbugTable } from '../src/engine'
import { readCsv } from '../bench/data'

interface Sample {
  truth: Point[]
  mesh: number[][]
  eyeDistance: number
}

const CANDIDATES = 14
const WEIGHT_STEP = 0.05

/** Eyelid rings of the mesh (margin and the ring just outside it), per lid. */
const RIGHT_UPPER_LID = [246, 161, 160, 159, 158, 157, 173, 56, 28, 27, 29, 30, 247]
const RIGHT_LOWER_LID = [7, 163, 144, 145, 153, 154, 155, 25, 110, 24, 23, 22, 26, 112]
const LEFT_UPPER_LID = [466, 388, 387, 386, 385, 384, 398, 286, 258, 257, 259, 260, 467]
const LEFT_LOWER_LID = [249, 390, 373, 374, 380, 381, 382, 255, 339, 254, 253, 252, 256, 341]

/**
 * The inner-lip points feed MAR and the eyelid points EAR, so they may only use vertices of the same lip
 * contour or lid: otherwise least squares mixes upper and lower lip (or lid) on
 * closed-mouth frames and shrinks every MAR and EAR.
 */
const UPPER_INNER_LIP = [191, 80, 81, 82, 13, 312, 311, 310, 415]
const LOWER_INNER_LIP = [95, 88, 178, 87, 14, 317, 402, 318, 324]
const LIP_CORNERS_RIGHT = [78, 62, 76, 191, 95]
const LIP_CORNERS_LEFT = [308, 292, 306, 415, 324]
const ALLOWED_VERTICES: Record<number, number[]> = {
  37: RIGHT_UPPER_LID,
  38: RIGHT_UPPER_LID,
  40: RIGHT_LOWER_LID,
  41: RIGHT_LOWER_LID,
  43: LEFT_UPPER_LID,
  44: LEFT_UPPER_LID,
  46: LEFT_LOWER_LID,
  47: LEFT_LOWER_LID,
  60: LIP_CORNERS_RIGHT,
  61: UPPER_INNER_LIP,
  62: UPPER_INNER_LIP,
  63: UPPER_INNER_LIP,
  64: LIP_CORNERS_LEFT,
  65: LOWER_INNER_LIP,
  66: LOWER_INNER_LIP,
  67: LOWER_INNER_LIP
}

async function collect(dir: string): Promise<Sample[]> {
  const pipeline = await FacePipeline.create(fileURLToPath(new URL('../resources/models', import.meta.url)), DEFAULT_VISION_OPTIONS)
  const samples: Sample[] = []
  for (const row of await readCsv(join(dir, 'keypoints.csv'))) {
    const truth: Point[] = Array.from({ length: 68 }, (_, i) => [Number(row[`x${i}`]), Number(row[`y${i}`])])
    const { image } = await decodeFile(join(dir, row.file))
    const result = await pipeline.detect(image, { mesh: true, landmarkModel: 'mesh' })
    const cx = truth.reduce((s, p) => s + p[0], 0) / 68
    const cy = truth.reduce((s, p) => s + p[1], 0) / 68
    const face = result.faces.find((f) => cx >= f.box.x && cx <= f.box.x + f.box.width && cy >= f.box.y && cy <= f.box.y + f.box.height)
    if (!face?.mesh468) continue
    samples.push({ truth, mesh: face.mesh468, eyeDistance: Math.hypot(truth[36][0] - truth[45][0], truth[36][1] - truth[45][1]) })
  }
  await pipeline.close()
  return samples
}

function pointError(samples: Sample[], point: number, a: number, b: number, w: number): number {
  let sum = 0
  for (const s of samples) {
    const x = s.mesh[a][0] * w + s.mesh[b][0] * (1 - w)
    const y = s.mesh[a][1] * w + s.mesh[b][1] * (1 - w)
    sum += Math.hypot(x - s.truth[point][0], y - s.truth[point][1]) / s.eyeDistance
  }
  return sum / samples.length
}

function fit(samples: Sample[]): MeshToIbugTable {
  const table: [number, number, number][] = []
  for (let point = 0; point < 68; point++) {
    const allowed = ALLOWED_VERTICES[point] ?? Array.from({ length: 468 }, (_, v) => v)
    const nearest = allowed
      .map((v) => [v, pointError(samples, point, v, v, 1)] as const)
      .sort((x, y) => x[1] - y[1])
      .slice(0, CANDIDATES)
      .map(([v]) => v)
    let best: [number, number, number, number] = [nearest[0], nearest[0], 1, Infinity]
    for (const a of nearest) {
      for (const b of nearest) {
        if (b < a) continue
        for (let w = 0.5; w <= 1 + 1e-9; w += WEIGHT_STEP) {
          for (const [p, q] of [[a, b], [b, a]]) {
            const error = pointError(samples, point, p, q, w)
            if (error < best[3]) best = [p, q, Math.round(w * 100) / 100, error]
          }
        }
      }
    }
    table.push([best[0], best[1], best[2]])
  }
  return table
}

function nme(samples: Sample[], table: MeshToIbugTable): number {
  let total = 0
  for (const s of samples) {
    const points = meshToIbug68(s.mesh, table)
    let sum = 0
    for (let i = 0; i < 68; i++) sum += Math.hypot(points[i][0] - s.truth[i][0], points[i][1] - s.truth[i][1])
    total += sum / 68 / s.eyeDistance
  }
  return total / samples.length
}

async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? '../shared/data/landmarks68')
  const samples = await collect(dir)
  const even = samples.filter((_, i) => i % 2 === 0)
  const odd = samples.filter((_, i) => i % 2 === 1)
  const fitEven = fit(even)
  const fitOdd = fit(odd)
  console.log(`frames with a face: ${samples.length}`)
  console.log(`current table NME: ${nme(samples, MESH_TO_IBUG68).toFixed(4)}`)
  console.log(`cross-validated NME of a refit: ${((nme(odd, fitEven) * odd.length + nme(even, fitOdd) * even.length) / samples.length).toFixed(4)}`)
  const full = fit(samples)
  console.log(`refit on all frames (in-sample) NME: ${nme(samples, full).toFixed(4)}`)
  console.log(JSON.stringify(full))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
