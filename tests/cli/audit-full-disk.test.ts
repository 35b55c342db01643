/**
 * `smilecam audit --out` into a real 64 KB tmpfs (mounted where permitted: root): the outputs do
 * not fit, the command fails with DISK_FULL, and whatever it leaves is whole — no truncated or
 * 0-byte image and no temp file (before, a 0-byte `-blurred.jpg` stayed and the next run wrote `-1`).
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAuditCommand, type AuditEngineFactory } from '../../src/cli/audit'
import type { CliIo } from '../../src/cli/io'
import { syntheticFace } from '../core/audit/synthetic-face'
import { mountTmpfs, type MountedTmpfs } from '../fixtures/tmpfs'

/** One face in the middle: the audit writes its blurred and annotated images and the report. */
const oneFaceEngine: AuditEngineFactory = async () => ({
  detect: async (image) => ({
    width: image.width,
    height: image.height,
    faces: [syntheticFace({ cx: image.width / 2, cy: image.height / 2, scale: image.width / 4 })],
    timings: { detectMs: 0, landmarksMs: 0, expressionMs: 0, segmentMs: 0, totalMs: 0 }
  }),
  close: async () => undefined
})

let tmpfs: MountedTmpfs | null = null
let work: string

beforeAll(async () => {
  tmpfs = await mountTmpfs(64)
  if (!tmpfs) console.warn('[audit-full-disk.test] mount not permitted here; tests/core/files/unique-file.test.ts simulates ENOSPC instead')
  work = await mkdtemp(join(tmpdir(), 'smilecam-audit-full-'))
  // Noise does not compress: the annotated JPEG alone is far larger than the disk.
  const width = 600
  const pixels = Buffer.alloc(width * width * 3)
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24
  await writeFile(join(work, 'noise.jpg'), await sharp(pixels, { raw: { width, height: width, channels: 3 } }).jpeg({ quality: 95 }).toBuffer())
})

afterAll(async () => {
  await tmpfs?.unmount()
  await rm(work, { recursive: true, force: true })
})

describe('smilecam audit --out on a full disk', () => {
  it('fails with DISK_FULL and leaves no partial file', async (context) => {
    if (!tmpfs) return context.skip()
    const io: CliIo = { out: () => undefined, err: () => undefined, modelDir: '/nonexistent', cwd: work }
    for (let run = 0; run < 2; run++) {
      await expect(runAuditCommand(['noise.jpg', '--out', tmpfs.dir], io, { createEngine: oneFaceEngine })).rejects.toMatchObject({
        code: 'DISK_FULL',
        message: expect.stringMatching(/is full, so noise-\w+\.jpg was not saved/)
      })
    }
    const left = await readdir(tmpfs.dir)
    expect(left.filter((name) => name.startsWith('.'))).toEqual([])
    for (const name of left) {
      const path = join(tmpfs.dir, name)
      expect((await stat(path)).size).toBeGreaterThan(0)
      if (name.endsWith('.jpg')) await sharp(await readFile(path), { failOn: 'truncated' }).raw().toBuffer()
    }
  })
})
