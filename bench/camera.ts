/**
 * `npm run bench -- --camera`: the headless camera's mask quality and cost at 640×480.
 *
 *  - maskFlicker on a still clip (one frame of the e2e clip's photo with fresh sensor-like noise
 *    in every frame, so only the noise changes): mean absolute change of the keep-sharp mask
 *    between consecutive frames, before (raw mask, bilinear upsampling) and after our temporal
 *    smoothing and guided-filter refinement, and each alone;
 *  - lag on the moving e2e clip: how far the smoothed mask trails the unsmoothed one;
 *  - cost per frame of the guided filter and of compositing; y4m → y4m frames/s end to end.
 *
 * Before/after crops of the hair edge go to bench/out/camera/. The last line is one JSON object.
 *   npx tsx bench/camera.ts [--frames 60]
 */
import { mkdir } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import sharp from 'sharp'
import { createKeepMask, DEFAULT_KEEP_MASK, type KeepMaskOptions } from '../src/shared/mask/keep-mask'
import { createFlickerMeter, maskChange } from '../src/shared/mask/flicker'
import { guidedUpsample, resampleBilinear } from '../src/shared/mask/guided-filter'
import { maskToFloat } from '../src/shared/mask/ops'
import type { VisionResult } from '../src/shared/vision'
import {
  CAMERA_ANALYSIS_LONG_SIDE,
  blurSigma,
  compositeFrame,
  createFrameProcessor,
  createY4mFileOutput,
  createY4mParser,
  openY4mFile,
  rgbaToYuv420,
  runCamera,
  yuv420ToRgba,
  type Yuv420Frame
} from '../src/core'
import { VisionEngine } from '../src/engine'
import { buildClip, NEUTRAL_FACE, renderShotFrame, CLIP_HEIGHT, CLIP_WIDTH } from '../tests/e2e/clips'
import { percentile } from './data'

const MODEL_DIR = fileURLToPath(new URL('../resources/models', import.meta.url))
const OUT_DIR = fileURLToPath(new URL('./out/camera', import.meta.url))
const FRAMES = Number(process.argv[process.argv.indexOf('--frames') + 1]) || 60
/** Sensor noise of a webcam in good light, in 8-bit levels (standard deviation). */
const NOISE_SIGMA = 3
const FPS = 30

/** A deterministic Gaussian noise source (LCG + Box-Muller). */
function noiseSource(seed: number): () => number {
  let state = seed >>> 0
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return (state + 1) / 4294967297
  }
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())
}

/** The still clip: one photo frame, a fresh noise pattern each frame. */
async function stillFrames(count: number): Promise<Yuv420Frame[]> {
  const rgb = await renderShotFrame(NEUTRAL_FACE, 0)
  const noise = noiseSource(42)
  const frames: Yuv420Frame[] = []
  for (let f = 0; f < count; f++) {
    const rgba = new Uint8ClampedArray(CLIP_WIDTH * CLIP_HEIGHT * 4)
    for (let p = 0; p < CLIP_WIDTH * CLIP_HEIGHT; p++) {
      for (let c = 0; c < 3; c++) rgba[p * 4 + c] = rgb[p * 3 + c] + NOISE_SIGMA * noise()
      rgba[p * 4 + 3] = 255
    }
    frames.push(rgbaToYuv420(rgba, CLIP_WIDTH, CLIP_HEIGHT))
  }
  return frames
}

async function readClip(path: string, count: number): Promise<Yuv420Frame[]> {
  const { readFile } = await import('node:fs/promises')
  return createY4mParser().push(await readFile(path)).slice(0, count)
}

/** Engine results for frames, as the camera asks for them. */
async function analyse(engine: VisionEngine, frames: Yuv420Frame[]): Promise<VisionResult[]> {
  const results: VisionResult[] = []
  for (const [i, frame] of frames.entries()) {
    const scale = CAMERA_ANALYSIS_LONG_SIDE / Math.max(frame.width, frame.height)
    const rgba = yuv420ToRgba(frame, Math.round(frame.width * scale), Math.round(frame.height * scale))
    const result = await engine.detectForVideo(rgba, (i * 1000) / FPS, { personMask: true, detector: 'short' })
    if (!result?.personMask) throw new Error(`no person mask for frame ${i}`)
    results.push(result)
  }
  return results
}

const VARIANTS: Record<string, KeepMaskOptions> = {
  raw: { ...DEFAULT_KEEP_MASK, smoothing: null, refine: null },
  smoothed: { ...DEFAULT_KEEP_MASK, refine: null },
  refined: { ...DEFAULT_KEEP_MASK, smoothing: null },
  'smoothed+refined': DEFAULT_KEEP_MASK
}

/** Each variant's full-size keep masks for the frames. */
function keepMasks(frames: Yuv420Frame[], results: VisionResult[]): Record<string, Float32Array[]> {
  const out: Record<string, Float32Array[]> = {}
  for (const [name, options] of Object.entries(VARIANTS)) {
    const keep = createKeepMask(options)
    out[name] = frames.map((frame, i) => Float32Array.from(keep.update(results[i], 'person', (i * 1000) / FPS, { data: frame.y, width: frame.width, height: frame.height })!))
  }
  return out
}

function flicker(masks: Float32Array[]): number {
  const meter = createFlickerMeter()
  // The first frames settle the smoothing's history; flicker is what a viewer sees after that.
  for (const mask of masks.slice(5)) meter.add(mask)
  return meter.value()
}

/** Crop of a composited frame around the hair edge, upscaled 3x (nearest) for looking at. */
async function saveCrop(frame: Yuv420Frame, name: string): Promise<void> {
  const { width, height } = frame
  const rgba = yuv420ToRgba(frame, width, height)
  await sharp(Buffer.from(rgba.data.buffer), { raw: { width, height, channels: 4 } })
    .extract({ left: 120, top: 60, width: 200, height: 200 })
    .resize(600, 600, { kernel: 'nearest' })
    .png()
    .toFile(join(OUT_DIR, name))
}

export async function benchCamera(): Promise<void> {
  await mkdir(OUT_DIR, { recursive: true })
  const engine = await VisionEngine.create({ modelDir: MODEL_DIR, maxFaces: 1 })
  try {
    const still = await stillFrames(FRAMES)
    const stillResults = await analyse(engine, still)
    const stillMasks = keepMasks(still, stillResults)
    const clip = await buildClip('neutral')
    const moving = await readClip(clip.path, FRAMES)
    const movingResults = await analyse(engine, moving)
    const movingMasks = keepMasks(moving, movingResults)

    const rows: Record<string, { stillFlicker: number; movingFlicker: number }> = {}
    for (const name of Object.keys(VARIANTS)) rows[name] = { stillFlicker: flicker(stillMasks[name]), movingFlicker: flicker(movingMasks[name]) }
    // Lag: how far the smoothed mask is from the unsmoothed one while the head moves.
    const lag = (smoothedName: string, plainName: string): number =>
      movingMasks[smoothedName].slice(5).reduce((s, m, i) => s + maskChange(m, movingMasks[plainName][i + 5]), 0) / (FRAMES - 5)

    // Costs, on the still frames: refinement vs plain upsampling, and compositing.
    const mask = { values: maskToFloat(stillResults[0].personMask!.data), width: stillResults[0].personMask!.width, height: stillResults[0].personMask!.height }
    const guide = { data: still[0].y, width: CLIP_WIDTH, height: CLIP_HEIGHT }
    const guidedMs: number[] = []
    const bilinearMs: number[] = []
    const composeMs: number[] = []
    // CPU time as well as wall time: on a shared machine the wall clock mostly measures the neighbours.
    const cpuMs = { guided: 0, bilinear: 0, compose: 0 }
    const ROUNDS = 40
    const sigma = blurSigma(0.6, CLIP_WIDTH, CLIP_HEIGHT)
    const timed = (samples: number[], key: keyof typeof cpuMs, run: () => void): void => {
      const cpu = process.cpuUsage()
      const t = performance.now()
      run()
      samples.push(performance.now() - t)
      const used = process.cpuUsage(cpu)
      cpuMs[key] += (used.user + used.system) / 1000 / ROUNDS
    }
    for (let i = 0; i < ROUNDS; i++) {
      timed(guidedMs, 'guided', () => guidedUpsample(mask, guide))
      timed(bilinearMs, 'bilinear', () => resampleBilinear(mask.values, mask.width, mask.height, CLIP_WIDTH, CLIP_HEIGHT))
      timed(composeMs, 'compose', () => compositeFrame(still[i % still.length], stillMasks['smoothed+refined'][i % still.length], { kind: 'blur', sigma }))
    }
    await saveCrop(compositeFrame(moving[30], movingMasks.raw[30], { kind: 'blur', sigma }), 'hair-before.png')
    await saveCrop(compositeFrame(moving[30], movingMasks['smoothed+refined'][30], { kind: 'blur', sigma }), 'hair-after.png')

    // End to end, as `smilecam camera --input clip.y4m --output out.y4m` runs.
    const input = await openY4mFile(clip.path)
    const processor = createFrameProcessor({ mode: 'person', background: { kind: 'blur', strength: 0.6 }, engine })
    const report = await runCamera({ input, output: createY4mFileOutput(join(tmpdir(), 'smilecam-bench-camera.y4m'), input.info), processor })

    console.log(`\ncamera bench: ${FRAMES} frames, 640×480, still clip noise sigma ${NOISE_SIGMA}`)
    console.log(`${'mask'.padEnd(20)}${'flicker still'.padStart(15)}${'flicker moving'.padStart(16)}`)
    for (const [name, row] of Object.entries(rows)) console.log(`${name.padEnd(20)}${row.stillFlicker.toFixed(5).padStart(15)}${row.movingFlicker.toFixed(5).padStart(16)}`)
    console.log(`lag of the smoothing on the moving clip: mean |smoothed - unsmoothed| = ${lag('smoothed+refined', 'refined').toFixed(5)}`)
    console.log(`guided-filter upsampling ${percentile(guidedMs, 50).toFixed(2)} ms/frame p50, ${cpuMs.guided.toFixed(2)} ms CPU (plain bilinear ${percentile(bilinearMs, 50).toFixed(2)} ms, ${cpuMs.bilinear.toFixed(2)} ms CPU)`)
    console.log(`compositing ${percentile(composeMs, 50).toFixed(2)} ms/frame p50, ${cpuMs.compose.toFixed(2)} ms CPU; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`)
    console.log(`y4m → y4m (engine included): ${report.frames} frames, ${report.fps.toFixed(1)} frames/s`)
    console.log(`crops: ${join(OUT_DIR, 'hair-before.png')} ${join(OUT_DIR, 'hair-after.png')}`)
    console.log(
      JSON.stringify({
        maskFlicker: rows['smoothed+refined'].stillFlicker,
        maskFlickerBefore: rows.raw.stillFlicker,
        maskFlickerSmoothedOnly: rows.smoothed.stillFlicker,
        maskFlickerRefinedOnly: rows.refined.stillFlicker,
        maskLagMoving: lag('smoothed+refined', 'refined'),
        guidedFilterMsPerFrame: percentile(guidedMs, 50),
        guidedFilterCpuMsPerFrame: cpuMs.guided,
        composeCpuMsPerFrame: cpuMs.compose,
        bilinearUpsampleMsPerFrame: percentile(bilinearMs, 50),
        composeMsPerFrame: percentile(composeMs, 50),
        y4mFps: report.fps
      })
    )
  } finally {
    await engine.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchCamera().catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
}
