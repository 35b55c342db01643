/**
 * `smilecam audit`: argument handling and outputs with a fake engine (fast), then the real CLI
 * entry on the real models with a photo an npm package ships (cropped at run time).
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAuditCommand, type AuditEngineFactory } from '../../src/cli/audit'
import type { CliIo } from '../../src/cli/io'
import type { PhotoReport } from '../../src/shared/audit'
import type { VisionOptions, VisionResult } from '../../src/shared/vision'
import { syntheticFace } from '../core/audit/synthetic-face'

const run = promisify(execFile)
const require = createRequire(import.meta.url)
const sample = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample1.jpg')
const cli = join(import.meta.dirname, '..', '..', 'bin', 'smilecam.mjs')

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smilecam-audit-cli-'))
  await sharp({ create: { width: 500, height: 500, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .jpeg()
    .toFile(join(dir, 'me.jpg'))
  await writeFile(join(dir, 'notes.jpg'), 'this is not an image')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function captureIo(cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = []
  const stderr: string[] = []
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), modelDir: '/nonexistent', cwd }
}

function fakeFactory(calls: Array<Partial<VisionOptions> | undefined>, withFace = true): AuditEngineFactory & { closed: number } {
  const factory = Object.assign(
    async () => ({
      async detect(image: { width: number; height: number }, overrides?: Partial<VisionOptions>): Promise<VisionResult> {
        calls.push(overrides)
        const face = syntheticFace({ cx: image.width / 2, cy: image.height / 2, scale: image.width / 4, mouthGap: 0.02 }, { label: 'neutral', score: 0.8 })
        return { width: image.width, height: image.height, faces: withFace ? [face] : [], timings: { detectMs: 0, landmarksMs: 0, expressionMs: 0, segmentMs: 0, totalMs: 0 } }
      },
      async close() {
        factory.closed++
      }
    }),
    { closed: 0 }
  )
  return factory
}

describe('runAuditCommand (fake engine)', () => {
  it('writes the three outputs, prints a summary, and never overwrites', async () => {
    const out = join(dir, 'out')
    const calls: Array<Partial<VisionOptions> | undefined> = []
    const factory = fakeFactory(calls)
    const io = captureIo(dir)
    expect(await runAuditCommand(['me.jpg', '--out', 'out', '--blur-strength', '0.7', '--face-only'], io, { createEngine: factory })).toBe(0)
    expect(calls[0]).toMatchObject({ expression: true, personMask: true })
    expect(factory.closed).toBe(1)
    expect((await readdir(out)).sort()).toEqual(['me-annotated.jpg', 'me-blurred.jpg', 'me-report.json'])
    const summary = io.stdout.join('\n')
    expect(summary).toMatch(/me\.jpg: 500×500, 1 face/)
    expect(summary).toMatch(/face size/)
    expect(summary).toMatch(/teeth/)
    const report = JSON.parse(await readFile(join(out, 'me-report.json'), 'utf8')) as PhotoReport
    expect(report.checks?.blur).toMatchObject({ mode: 'face', strength: 0.7 })
    expect(report.checks?.sentiment.emotion).toBe('neutral')

    const again = captureIo(dir)
    expect(await runAuditCommand(['me.jpg', '--out', 'out', '--json'], again, { createEngine: factory })).toBe(0)
    const printed = JSON.parse(again.stdout[0]) as { report: PhotoReport; files: Record<string, string> }
    expect(printed.files.blurred).toBe(join(out, 'me-blurred-1.jpg'))
    expect(printed.report.checks?.blur.mode).toBe('person')
    expect(again.stderr).toEqual([])
  })

  it('writes no blurred photo for a photo without a face: only the report, then NO_FACE (exit 1)', async () => {
    const factory = fakeFactory([], false)
    const io = captureIo(dir)
    await expect(runAuditCommand(['me.jpg', '--out', 'faceless'], io, { createEngine: factory })).rejects.toMatchObject({ code: 'NO_FACE' })
    expect(await readdir(join(dir, 'faceless'))).toEqual(['me-report.json'])
    const report = JSON.parse(await readFile(join(dir, 'faceless', 'me-report.json'), 'utf8')) as PhotoReport
    expect(report).toMatchObject({ faceCount: 0 })
    expect(report.verdict).toMatch(/^No face found/)
    expect(io.stdout.join('\n')).toMatch(/0 face\(s\)[\s\S]*me-report\.json/)
    expect(factory.closed).toBe(1)
  })

  it('rejects bad arguments and bad images with typed errors', async () => {
    const factory = fakeFactory([])
    await expect(runAuditCommand([], captureIo(dir), { createEngine: factory })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(runAuditCommand(['me.jpg', '--blur-strength', '3'], captureIo(dir), { createEngine: factory })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(runAuditCommand(['me.jpg', '--bogus'], captureIo(dir), { createEngine: factory })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(runAuditCommand(['notes.jpg', '--out', 'bad'], captureIo(dir), { createEngine: factory })).rejects.toMatchObject({ code: 'NOT_AN_IMAGE' })
    await expect(runAuditCommand(['missing.jpg', '--out', 'bad'], captureIo(dir), { createEngine: factory })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' })
    // The engine is closed even when the audit fails.
    expect(factory.closed).toBe(2)
  })
})

describe('smilecam audit (real engine)', () => {
  it('audits a real photo end to end and exits 1 with the message on a broken file', async () => {
    await sharp(sample).jpeg().toFile(join(dir, 'person.jpg'))
    const { stdout } = await run(process.execPath, [cli, 'audit', 'person.jpg', '--out', 'real', '--json'], { cwd: dir })
    const { report, files } = JSON.parse(stdout) as { report: PhotoReport; files: Record<string, string> }
    expect(report.faceCount).toBeGreaterThanOrEqual(1)
    expect(report.checks?.faceSize.faceAreaRatio).toBeGreaterThan(0)
    expect(Object.keys(report.checks?.sentiment.scores ?? {})).toHaveLength(7)
    expect((await sharp(files.blurred).metadata()).format).toBe('jpeg')
    expect((await sharp(files.annotated).metadata()).format).toBe('jpeg')

    // A phone photo stored sideways with EXIF orientation 6 ("rotate 90° clockwise to display")
    // is audited upright: same face found, width and height as displayed.
    const upright = await sharp(sample).metadata()
    await sharp(sample).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toFile(join(dir, 'phone.jpg'))
    const phone = JSON.parse((await run(process.execPath, [cli, 'audit', 'phone.jpg', '--out', 'real', '--json'], { cwd: dir })).stdout) as {
      report: PhotoReport
    }
    expect([phone.report.width, phone.report.height]).toEqual([upright.width, upright.height])
    expect(phone.report.faceCount).toBe(report.faceCount)
    expect(Math.abs((phone.report.face?.box.x ?? 0) - (report.face?.box.x ?? 0))).toBeLessThan(0.05 * report.width)

    const failed = await run(process.execPath, [cli, 'audit', 'notes.jpg', '--out', 'real'], { cwd: dir }).then(
      () => null,
      (e: { code: number; stderr: string }) => e
    )
    expect(failed?.code).toBe(1)
    expect(failed?.stderr).toMatch(/not an image file Smilecam can read/)

    // A real photo without a face (an empty wall): exit 1, NO_FACE, and no blurred copy of the whole photo.
    const wall = await run(process.execPath, [cli, 'audit', 'me.jpg', '--out', 'wall'], { cwd: dir }).then(
      () => null,
      (e: { code: number; stderr: string }) => e
    )
    expect(wall?.code).toBe(1)
    expect(wall?.stderr).toMatch(/^smilecam: No face found in me\.jpg; nothing was blurred/m)
    expect(await readdir(join(dir, 'wall'))).toEqual(['me-report.json'])
  })
})
