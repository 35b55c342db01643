/**
 * `smilecam camera` end to end: the real CLI, real models and a real clip (built with ffmpeg from
 * a photo an npm package ships, see tests/e2e/clips.ts), y4m in and y4m out.
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SmilecamError } from '../../src/shared/errors'
import { createY4mParser, type Y4mInfo, type Yuv420Frame } from '../../src/core'
import { runCameraCommand } from '../../src/cli/camera'
import type { CliIo } from '../../src/cli/io'
import { buildClip, hasFfmpeg, type BuiltClip } from '../e2e/clips'
import { planeDetail } from '../e2e/frame-compare'

const run = promisify(execFile)
const cli = join(import.meta.dirname, '..', '..', 'bin', 'smilecam.mjs')
const modelDir = join(import.meta.dirname, '..', '..', 'resources', 'models')
const ffmpeg = hasFfmpeg()

let dir: string
let clip: BuiltClip

async function readY4m(path: string): Promise<{ info: Y4mInfo; frames: Yuv420Frame[] }> {
  const parser = createY4mParser()
  const frames = parser.push(await readFile(path))
  parser.end()
  return { info: parser.info!, frames }
}

/** Mean |a - b| of the luma in a rectangle. */
function meanDifference(a: Yuv420Frame, b: Yuv420Frame, x0: number, y0: number, x1: number, y1: number): number {
  let sum = 0
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += Math.abs(a.y[y * a.width + x] - b.y[y * b.width + x])
  return sum / ((x1 - x0) * (y1 - y0))
}

function detail(f: Yuv420Frame, x0: number, y0: number, x1: number, y1: number): number {
  return planeDetail(f.y, f.width, [x0, y0, x1, y1])
}

// Inside the face in every frame of the clip (eyes, nose, mouth; it wobbles by a few pixels).
const FACE = [270, 170, 390, 290] as const
// Window frames behind her, left and right of the hair (sharp edges in the clip).
const BACKGROUNDS: [number, number, number, number][] = [
  [5, 20, 60, 250],
  [110, 10, 160, 190],
  [580, 10, 634, 220]
]

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smilecam-camera-'))
  if (!ffmpeg) return
  // A private copy: the shared clip cache drops a clip when another checkout rebuilds it.
  const path = join(dir, 'clip.y4m')
  const built = await buildClip('neutral')
  await copyFile(built.path, path).catch(async () => copyFile((await buildClip('neutral')).path, path))
  clip = { ...built, path }
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function memoryIo(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = []
  const errors: string[] = []
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), modelDir, cwd: dir }
}

describe.skipIf(!ffmpeg)('smilecam camera', () => {
  it('turns a clip into a clip with every frame, the face intact and the background blurred', async () => {
    const out = join(dir, 'blurred.y4m')
    const { stdout } = await run(process.execPath, [cli, 'camera', '--input', clip.path, '--output', out], { cwd: dir })
    expect(stdout).toMatch(/camera: 120 frames in [\d.]+ s: [\d.]+ frames\/s, 120 masks, 0 fully blurred/)
    const input = await readY4m(clip.path)
    const output = await readY4m(out)
    expect(output.info).toMatchObject({ width: 640, height: 480, fpsNumerator: input.info.fpsNumerator, fpsDenominator: input.info.fpsDenominator })
    expect(output.frames).toHaveLength(clip.frameCount)
    for (const i of [0, 30, 60, 119]) {
      const [a, b] = [input.frames[i], output.frames[i]]
      expect(meanDifference(a, b, ...FACE)).toBeLessThan(1.5)
      for (const region of BACKGROUNDS) {
        expect(meanDifference(a, b, ...region)).toBeGreaterThan(3)
        // What is left is mostly the rounding of smooth ramps to whole levels.
        expect(detail(b, ...region)).toBeLessThan(detail(a, ...region) * 0.45)
      }
    }
  })

  it('copies the clip unchanged with --blur off', async () => {
    const off = join(dir, 'off.y4m')
    await run(process.execPath, [cli, 'camera', '--input', clip.path, '--output', off, '--blur', 'off'], { cwd: dir })
    expect(Buffer.compare(await readFile(off), await readFile(clip.path))).toBe(0)
  })

  it('fails closed when the engine fails: every frame fully blurred, never the raw one', async () => {
    const io = memoryIo()
    const out = join(dir, 'failing.y4m')
    const failing = {
      detectForVideo: () => Promise.reject(new SmilecamError('ENGINE_FAILED', 'The vision engine stopped unexpectedly.')),
      close: () => Promise.resolve()
    }
    expect(await runCameraCommand(['--input', clip.path, '--output', out], io, { createEngine: () => Promise.resolve(failing) })).toBe(0)
    expect(io.lines.join('\n')).toMatch(/120 fully blurred/)
    expect(io.errors.join('\n')).toMatch(/engine failed .* fully blurred/)
    const input = await readY4m(clip.path)
    const output = await readY4m(out)
    expect(output.frames).toHaveLength(120)
    // The face is blurred too.
    expect(detail(output.frames[0], ...FACE)).toBeLessThan(detail(input.frames[0], ...FACE) * 0.6)
  })

  it('stops on SIGTERM with a whole, valid file', async () => {
    const out = join(dir, 'looped.y4m')
    const child = spawn(process.execPath, [cli, 'camera', '--input', clip.path, '--output', out, '--loop', '--blur', 'off'], { cwd: dir })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    // Past one whole pass of the clip, so the loop is known to work.
    while (!existsSync(out) || statSync(out).size < 1.5 * statSync(clip.path).size) await new Promise((r) => setTimeout(r, 50))
    child.kill('SIGTERM')
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(code).toBe(0)
    expect(stdout).toMatch(/frames in .* stopped/)
    const { frames } = await readY4m(out)
    expect(frames.length).toBeGreaterThan(clip.frameCount)
  })

  it('says what is wrong with its arguments', async () => {
    const io = memoryIo()
    await expect(runCameraCommand(['--input', clip.path], io)).rejects.toThrow(/Give both --input and --output/)
    await expect(runCameraCommand(['--input', 'nope.y4m', '--output', 'x.y4m', '--blur', 'off'], io)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' })
    await expect(runCameraCommand(['--input', clip.path, '--output', 'x.y4m', '--blur', 'hair'], io)).rejects.toThrow(/--blur must be/)
    await expect(runCameraCommand(['--input', clip.path, '--output', 'x.y4m', '--strength', '2'], io)).rejects.toThrow(/--strength must be/)
    await expect(runCameraCommand(['--input', clip.path, '--output', 'x.y4m', '--background', '#12'], io)).rejects.toThrow(/#rrggbb/)
    await expect(runCameraCommand(['--input', clip.path, '--output', 'x.y4m', '--mask-age', '10'], io)).rejects.toThrow(/--mask-age must be/)
  })
})
