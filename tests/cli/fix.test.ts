/**
 * `smilecam fix`: typed refusals with a fake engine, then the real CLI on a real group photo an
 * npm package ships (faces ~3 % of the circle), whose fixed version must pass its own audit.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runFixCommand } from '../../src/cli/fix'
import type { CliIo } from '../../src/cli/io'
import type { AuditEngineFactory } from '../../src/cli/audit'
import type { VisionResult } from '../../src/shared/vision'
import { syntheticFace, type SyntheticFaceShape } from '../core/audit/synthetic-face'

const run = promisify(execFile)
const require = createRequire(import.meta.url)
const groupPhoto = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample1.jpg')
const cli = join(import.meta.dirname, '..', '..', 'bin', 'smilecam.mjs')

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smilecam-fix-cli-'))
  await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 90, g: 120, b: 140 } } })
    .jpeg()
    .toFile(join(dir, 'plain.jpg'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function captureIo(): CliIo & { stdout: string[] } {
  const stdout: string[] = []
  return { stdout, out: (l) => stdout.push(l), err: () => {}, modelDir: '/nonexistent', cwd: dir }
}

/** A fake engine that "finds" one face of the given shape in whatever image it is shown. */
function fakeEngine(shape: (width: number, height: number) => SyntheticFaceShape): AuditEngineFactory {
  return async () => ({
    async detect(image: { width: number; height: number }): Promise<VisionResult> {
      const face = syntheticFace(shape(image.width, image.height), { label: 'happy', score: 0.9 })
      return { width: image.width, height: image.height, faces: [face], timings: { detectMs: 0, landmarksMs: 0, expressionMs: 0, segmentMs: 0, totalMs: 0 } }
    },
    async close() {}
  })
}

describe('runFixCommand (fake engine)', () => {
  it('says why a photo cannot be fixed: too few pixels, face cut off', async () => {
    const tiny = fakeEngine(() => ({ cx: 600, cy: 450, scale: 30 }))
    await expect(runFixCommand(['plain.jpg', '--out', 'out'], captureIo(), { createEngine: tiny })).rejects.toMatchObject({
      code: 'RESOLUTION_TOO_LOW',
      message: expect.stringMatching(/only \d+×\d+ pixels/)
    })
    const cut = fakeEngine(() => ({ cx: 1150, cy: 450, scale: 150 }))
    await expect(runFixCommand(['plain.jpg', '--out', 'out'], captureIo(), { createEngine: cut })).rejects.toMatchObject({ code: 'FACE_CUT_OFF' })
    await expect(runFixCommand(['plain.jpg', '--size', '200'], captureIo(), { createEngine: cut })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(runFixCommand(['plain.jpg', '--size', '512.5'], captureIo(), { createEngine: cut })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })

  it('writes <name>-fixed.jpg at --size and never overwrites', async () => {
    // Big face in the source; the fixed photo's own detection is centred at 40 % of the circle.
    const engine = fakeEngine((w, h) => (w === 1200 ? { cx: 600, cy: 450, scale: 300 } : { cx: w / 2, cy: h / 2, scale: w * 0.3 }))
    for (const expected of ['plain-fixed.jpg', 'plain-fixed-1.jpg']) {
      const io = captureIo()
      expect(await runFixCommand(['plain.jpg', '--out', 'sized', '--size', '512'], io, { createEngine: engine })).toBe(0)
      expect(io.stdout.join('\n')).toContain(join(dir, 'sized', expected))
    }
    expect((await readdir(join(dir, 'sized'))).sort()).toEqual(['plain-fixed-1.jpg', 'plain-fixed.jpg'])
    const meta = await sharp(join(dir, 'sized', 'plain-fixed.jpg')).metadata()
    expect([meta.width, meta.height, meta.format]).toEqual([512, 512, 'jpeg'])
  })
})

describe('smilecam fix (real engine)', () => {
  it('turns a small-face group photo into a square whose own audit passes the face-size check', async () => {
    const before = await run(process.execPath, [cli, 'audit', groupPhoto, '--out', 'before', '--json'], { cwd: dir })
    const audited = JSON.parse(before.stdout) as { report: { checks: { faceSize: { faceAreaRatio: number; faceLargeEnough: boolean } } } }
    expect(audited.report.checks.faceSize.faceLargeEnough).toBe(false)

    const { stdout } = await run(process.execPath, [cli, 'fix', groupPhoto, '--out', 'fixed', '--json'], { cwd: dir })
    const fixed = JSON.parse(stdout) as {
      file: string
      width: number
      height: number
      upscaled: boolean
      notes: string[]
      pass: boolean
      faceSize: { faceAreaRatio: number; faceLargeEnough: boolean; faceInsideCircle: boolean; resolutionOk: boolean }
    }
    expect(fixed.file).toBe(join(dir, 'fixed', 'sample1-fixed.jpg'))
    expect(fixed.width).toBe(fixed.height)
    expect(fixed.width).toBeGreaterThanOrEqual(400)
    expect(fixed.pass).toBe(true)
    expect(fixed.faceSize.faceLargeEnough).toBe(true)
    expect(fixed.faceSize.faceInsideCircle).toBe(true)
    // Measured by a fresh detection on the written pixels: near the 40 % the crop aimed for.
    expect(fixed.faceSize.faceAreaRatio).toBeGreaterThan(0.3)
    expect(fixed.faceSize.faceAreaRatio).toBeLessThan(0.5)
    // This photo has ~350 px around the face, so it says it upscaled to 400.
    if (fixed.upscaled) expect(fixed.notes.join(' ')).toMatch(/upscaled/)

    // And the written file audits the same way through the ordinary audit command.
    const again = await run(process.execPath, [cli, 'audit', fixed.file, '--out', 'after', '--json'], { cwd: dir })
    expect((JSON.parse(again.stdout) as typeof audited).report.checks.faceSize.faceLargeEnough).toBe(true)
  })
})
