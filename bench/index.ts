/**
 * `npm run bench`: speed of the engine on 640×480 frames and 1–2 MP photos, per
 * stage, against the @vladmandic/face-api peer in the same run. Prints figures;
 * never part of `npm test`. Images: ../shared/data/headshots when present,
 * otherwise the photos @vladmandic/face-api ships. Ends with the live-mode
 * browser benchmark (bench/live.ts) unless given --engine-only; `--camera` runs the headless
 * camera's benchmark (bench/camera.ts) instead, `--models` the face-crop classifiers' time per
 * face (bench/models.ts).
 */
import { readdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import type { RgbaImage, VisionOptions, VisionResult } from '../src/shared/vision'
import { DEFAULT_VISION_OPTIONS } from '../src/shared/vision'
import { FacePipeline, VisionEngine } from '../src/engine'
import { createFaceApiPeer } from './peer-face-api'
import { dataRoot, percentile } from './data'

const MODEL_DIR = fileURLToPath(new URL('../resources/models', import.meta.url))
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

async function sourceImages(): Promise<string[]> {
  const headshots = join(dataRoot(), 'headshots')
  try {
    const files = (await readdir(headshots)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort()
    if (files.length > 0) return files.slice(0, 30).map((f) => join(headshots, f))
  } catch {
    // No dev data here: fall back to the photos an npm package ships.
  }
  const require = createRequire(import.meta.url)
  const demo = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo')
  return (await readdir(demo)).filter((f) => /^sample\d\.jpg$/.test(f)).map((f) => join(demo, f))
}

async function load(file: string, resize?: { width: number; height: number }): Promise<RgbaImage> {
  let pipeline = sharp(file).rotate()
  if (resize) pipeline = pipeline.resize(resize.width, resize.height, { fit: 'cover' })
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }
}

type Stage = Exclude<keyof VisionResult['timings'], 'modelsMs' | 'modelsCpuMs'>
const STAGES: Stage[] = ['detectMs', 'landmarksMs', 'expressionMs', 'segmentMs', 'totalMs']

async function timeStages(pipeline: FacePipeline, images: RgbaImage[], overrides: Partial<VisionOptions>, video: boolean): Promise<Record<Stage, number[]>> {
  const samples = Object.fromEntries(STAGES.map((s) => [s, [] as number[]])) as Record<Stage, number[]>
  // One untimed pass warms up each session's allocations.
  await pipeline.detect(images[0], overrides, video ? 0 : undefined)
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, image] of images.entries()) {
      const result = await pipeline.detect(image, overrides, video ? (round * images.length + i + 1) * 33 : undefined)
      for (const s of STAGES) samples[s].push(result.timings[s])
    }
  }
  return samples
}

async function timePeer(images: RgbaImage[]): Promise<number[]> {
  const peer = await createFaceApiPeer()
  await peer.detect(images[0])
  const times: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    for (const image of images) {
      const t = performance.now()
      await peer.detect(image)
      times.push(performance.now() - t)
    }
  }
  return times
}

function row(label: string, values: number[]): string {
  return `${label.padEnd(34)}${percentile(values, 50).toFixed(1).padStart(8)}${percentile(values, 90).toFixed(1).padStart(8)}`
}

async function main(): Promise<void> {
  if (process.argv.includes('--camera')) {
    // The headless camera's own figures (mask flicker, refinement cost, y4m frames/s): bench/camera.ts.
    const { benchCamera } = await import('./camera')
    return benchCamera()
  }
  if (process.argv.includes('--models')) {
    const { benchModels } = await import('./models')
    return benchModels(MODEL_DIR)
  }
  const files = await sourceImages()
  console.log(`bench: ${files.length} source images, ${ROUNDS} rounds, models in ${MODEL_DIR}`)
  const frames = await Promise.all(files.map((f) => load(f, { width: 640, height: 480 })))
  const photos = await Promise.all(files.map((f) => load(f, { width: 1600, height: 1067 })))
  const headshots = await Promise.all(files.map((f) => load(f, { width: 400, height: 400 })))

  const loadStarted = performance.now()
  const pipeline = await FacePipeline.create(MODEL_DIR, DEFAULT_VISION_OPTIONS)
  const pipelineLoadMs = performance.now() - loadStarted

  const frameStages = await timeStages(pipeline, frames, { personMask: true, detector: 'short' }, true)
  // What live mode asks for: the same plus expressions (emotion labels, smile score).
  const liveStages = await timeStages(pipeline, frames, { personMask: true, expression: true, detector: 'short' }, true)
  const photoStages = await timeStages(pipeline, photos, {}, false)
  const headshotStages = await timeStages(pipeline, headshots, {}, false)
  const rssMb = process.resourceUsage().maxRSS / 1024
  await pipeline.close()

  // The same work through the host process, as the app and CLI run it (adds IPC and a copy).
  const engine = await VisionEngine.create({ modelDir: MODEL_DIR })
  const engineFrame: number[] = []
  await engine.detectForVideo(frames[0], 0, { personMask: true, detector: 'short' })
  for (const [i, frame] of frames.entries()) {
    const t = performance.now()
    await engine.detectForVideo(frame, (i + 1) * 33, { personMask: true, detector: 'short' })
    engineFrame.push(performance.now() - t)
  }
  const engineLoadMs = engine.loadMs
  await engine.close()

  const peerFrames = await timePeer(frames)
  const peerHeadshots = await timePeer(headshots)

  console.log(`\n${'stage (ms)'.padEnd(34)}${'p50'.padStart(8)}${'p90'.padStart(8)}`)
  for (const s of STAGES) console.log(row(`640×480 frame ${s.replace('Ms', '')}`, frameStages[s]))
  console.log(row('640×480 frame via host process', engineFrame))
  console.log(row('640×480 live frame (+expression) total', liveStages.totalMs))
  for (const s of STAGES) console.log(row(`1600×1067 photo ${s.replace('Ms', '')}`, photoStages[s]))
  console.log(row('400×400 headshot total', headshotStages.totalMs))
  console.log(row('peer face-api 640×480 (det+68)', peerFrames))
  console.log(row('peer face-api 400×400 (det+68)', peerHeadshots))

  const ourFrame = percentile(frameStages.detectMs.map((d, i) => d + frameStages.landmarksMs[i]), 50)
  const ourHeadshot = percentile(headshotStages.totalMs, 50)
  console.log(`\nmodel load: in-process ${pipelineLoadMs.toFixed(0)} ms, host process ${engineLoadMs.toFixed(0)} ms (target <= 1500)`)
  console.log(`peak RSS (bench process, models + images): ${rssMb.toFixed(0)} MB`)
  console.log(`frame p50 detect+landmarks+mask: ${percentile(frameStages.totalMs, 50).toFixed(1)} ms (target <= 15)`)
  console.log(`photo p50 warm: ${percentile(photoStages.totalMs, 50).toFixed(1)} ms (target <= 100)`)
  console.log(`speed vs peer, 640×480 det+landmarks: ${(percentile(peerFrames, 50) / ourFrame).toFixed(1)}× faster (target >= 3)`)
  console.log(`speed vs peer, 400×400 headshot: ${(percentile(peerHeadshots, 50) / ourHeadshot).toFixed(1)}× faster`)

  if (!process.argv.includes('--engine-only')) {
    // Live mode end to end: the real UI in Chromium with a fake camera, blur on, at 640×480.
    const { benchLive } = await import('./live')
    await benchLive()
  }
}

async function liveOnly(json: boolean): Promise<void> {
  const { liveReport } = await import('./live-report')
  const report = await liveReport()
  if (!report) process.exit(1)
  if (json) console.log(JSON.stringify(report))
}

const run = process.argv.includes('--live') ? liveOnly(process.argv.includes('--json')) : main()
run.catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
