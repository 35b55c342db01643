/** `smilecam audit` batch mode with a fake engine: rows, errors, jobs, Ctrl-C and resume, progress. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAuditCommand, type AuditEngineFactory } from '../../src/cli/audit'
import { BATCH_CSV_COLUMNS, expandBatchInputs } from '../../src/cli/audit-batch'
import { parseCsv } from '../../src/cli/csv'
import type { CliIo } from '../../src/cli/io'
import type { VisionResult } from '../../src/shared/vision'
import { syntheticFace } from '../core/audit/synthetic-face'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smilecam-batch-'))
  await mkdir(join(dir, 'photos'))
  // Noise: lit, contrasty and sharp enough for the photo-quality checks on the fake faces.
  for (const name of ['a.jpg', 'b.png', 'c.webp', 'd.jpg']) {
    await sharp({ create: { width: 600, height: 600, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).toFile(join(dir, 'photos', name))
  }
  await writeFile(join(dir, 'photos', 'broken.jpg'), 'not a photo')
  await writeFile(join(dir, 'photos', 'readme.md'), 'ignored: not an image extension')
  await writeFile(join(dir, 'list.txt'), '# candidates\nphotos/a.jpg\n\nphotos/missing.jpg\nphotos/b.png\n')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function captureIo(tty = false): CliIo & { stdout: string[]; stderr: string[]; bar: string[] } {
  const stdout: string[] = []
  const stderr: string[] = []
  const bar: string[] = []
  return {
    stdout,
    stderr,
    bar,
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
    modelDir: '/nonexistent',
    cwd: dir,
    progress: { tty, write: (t) => bar.push(t) }
  }
}

/** Fake engines: a big smiling face with teeth (passes), each detect taking `delayMs`; counts engines made. */
function fakeFactory(delayMs = 0): AuditEngineFactory & { created: number; closed: number; maxBusy: number } {
  let busy = 0
  const factory = Object.assign(
    async () => {
      factory.created++
      return {
        async detect(image: { width: number; height: number }): Promise<VisionResult> {
          busy++
          factory.maxBusy = Math.max(factory.maxBusy, busy)
          await new Promise((r) => setTimeout(r, delayMs))
          busy--
          const face = syntheticFace({ cx: image.width / 2, cy: image.height / 2, scale: image.width * 0.3, mouthGap: 0.12 }, { label: 'happy', score: 0.95 })
          return { width: image.width, height: image.height, faces: [face], timings: { detectMs: 0, landmarksMs: 0, expressionMs: 0, segmentMs: 0, totalMs: 0 } }
        },
        async close() {
          factory.closed++
        }
      }
    },
    { created: 0, closed: 0, maxBusy: 0 }
  )
  return factory
}

async function csvRows(path: string): Promise<Record<string, string>[]> {
  const [header, ...rows] = parseCsv(await readFile(path, 'utf8'))
  expect(header).toEqual([...BATCH_CSV_COLUMNS])
  return rows.map((r) => Object.fromEntries(header.map((k, i) => [k, r[i]])))
}

describe('expandBatchInputs', () => {
  it('takes image files of a folder (sorted), lines of a list relative to it, and plain files, without repeats', async () => {
    const items = await expandBatchInputs(['photos', 'list.txt', 'photos/a.jpg', 'https://example.com/p.jpg'], dir)
    expect(items.map((i) => i.name)).toEqual([
      join('photos', 'a.jpg'),
      join('photos', 'b.png'),
      join('photos', 'broken.jpg'),
      join('photos', 'c.webp'),
      join('photos', 'd.jpg'),
      join('photos', 'missing.jpg'),
      'https://example.com/p.jpg'
    ])
    expect(items[6].source).toEqual({ kind: 'url', url: 'https://example.com/p.jpg' })
    await expect(expandBatchInputs(['nope.txt'], dir)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' })
  })
})

describe('smilecam audit (batch)', () => {
  it('writes one row per photo, an error row for unreadable files, one engine per job, exit 1 on a failure', async () => {
    const factory = fakeFactory(150)
    const io = captureIo()
    const code = await runAuditCommand(['photos', 'list.txt', '--csv', 'all.csv', '--jobs', '2'], io, { createEngine: factory })
    expect(code).toBe(1)
    expect(factory.created).toBe(2)
    expect(factory.closed).toBe(2)
    expect(factory.maxBusy).toBe(2)
    const rows = await csvRows(join(dir, 'all.csv'))
    expect(rows.map((r) => r.file).sort()).toEqual(['a.jpg', 'b.png', 'broken.jpg', 'c.webp', 'd.jpg', 'missing.jpg'].map((f) => join('photos', f)))
    const byFile = Object.fromEntries(rows.map((r) => [r.file.replace(/^photos./, ''), r]))
    expect(byFile['broken.jpg']).toMatchObject({ pass: 'false', error: expect.stringMatching(/^NOT_AN_IMAGE: /) })
    expect(byFile['missing.jpg'].error).toMatch(/^FILE_NOT_FOUND: /)
    expect(byFile['a.jpg']).toMatchObject({
      faceCount: '1',
      faceLargeEnough: 'true',
      smiling: 'true',
      teethVisible: 'true',
      emotion: 'happy',
      eyesOpen: 'true',
      headLevel: 'true',
      lightingOk: 'true',
      sharp: 'true',
      wellPlaced: 'true',
      pass: 'true',
      error: ''
    })
    expect(Number(byFile['a.jpg'].faceAreaRatio)).toBeGreaterThan(0.25)
    // Plain progress lines (not a TTY) and a summary.
    expect(io.stderr.filter((l) => /^\d+\/6 /.test(l))).toHaveLength(6)
    expect(io.stderr.at(-1)).toMatch(/Audited 6 photo\(s\).*4 passed, 0 failed a check, 2 could not be audited/)
  })

  it('keeps finished rows on interrupt and a rerun with the same --csv skips them (and retries errors)', async () => {
    const controller = new AbortController()
    const io = captureIo()
    const origErr = io.err
    io.err = (line) => {
      origErr(line)
      if (/^2\/\d+ /.test(line)) controller.abort()
    }
    const interrupt = { signal: controller.signal, dispose: () => {} }
    const first = fakeFactory(30)
    expect(await runAuditCommand(['photos', '--csv', 'resume.csv', '--jobs', '1'], io, { createEngine: first, interrupt })).toBe(130)
    const partial = await csvRows(join(dir, 'resume.csv'))
    expect(partial.map((r) => r.file)).toEqual([join('photos', 'a.jpg'), join('photos', 'b.png')])
    expect(io.stderr.at(-1)).toMatch(/Interrupted after 2 photo\(s\)/)
    expect(first.closed).toBe(1)

    const again = captureIo()
    const second = fakeFactory()
    expect(await runAuditCommand(['photos', '--csv', 'resume.csv', '--jobs', '1'], again, { createEngine: second })).toBe(1)
    expect(again.stderr[0]).toMatch(/Skipping 2 photo\(s\)/)
    const full = await csvRows(join(dir, 'resume.csv'))
    expect(full.map((r) => r.file)).toEqual(['a.jpg', 'b.png', 'broken.jpg', 'c.webp', 'd.jpg'].map((f) => join('photos', f)))

    // A third run has nothing left but the error row, which it tries again.
    const third = captureIo()
    expect(await runAuditCommand(['photos', '--csv', 'resume.csv'], third, { createEngine: fakeFactory() })).toBe(1)
    expect(third.stderr[0]).toMatch(/Skipping 4 photo\(s\)/)
    expect((await csvRows(join(dir, 'resume.csv'))).map((r) => r.file)).toHaveLength(5)
  })

  it('draws a progress bar on a terminal, writes rows to stdout without --csv, and refuses bad options', async () => {
    const io = captureIo(true)
    expect(await runAuditCommand(['photos/a.jpg', 'photos/b.png', '--jobs', '1'], io, { createEngine: fakeFactory() })).toBe(0)
    expect(io.stdout[0]).toBe(BATCH_CSV_COLUMNS.join(','))
    expect(io.stdout).toHaveLength(3)
    expect(io.bar.some((t) => /^\r\[#+\] 2\/2 .*\/s {2}ETA /.test(t))).toBe(true)
    await expect(runAuditCommand(['photos', '--jobs', '0'], captureIo(), { createEngine: fakeFactory() })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(runAuditCommand(['photos', '--json'], captureIo(), { createEngine: fakeFactory() })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await writeFile(join(dir, 'other.csv'), 'name,score\nx,1\n')
    await expect(runAuditCommand(['photos', '--csv', 'other.csv'], captureIo(), { createEngine: fakeFactory() })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})
