/**
 * `smilecam analyze` end to end: the real CLI entry, real models, real decoding,
 * on a photo an npm package ships (cropped at run time) and on broken files.
 */
import { execFile } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const require = createRequire(import.meta.url)
const demo = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo')
const sample = join(demo, 'sample2.jpg')
/** Faces in face-api's demo group photos, counted by eye: every face is clearly visible. */
const DEMO_FACES: Record<string, number> = { 'sample1.jpg': 3, 'sample2.jpg': 3, 'sample3.jpg': 3, 'sample4.jpg': 4, 'sample5.jpg': 5, 'sample6.jpg': 4 }
const cli = join(import.meta.dirname, '..', '..', 'bin', 'smilecam.mjs')

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smilecam-cli-'))
  await sharp(sample).resize(800, 534).jpeg().toFile(join(dir, 'group.jpg'))
  await writeFile(join(dir, 'empty.jpg'), new Uint8Array(0))
  await writeFile(join(dir, 'notes.jpg'), 'this is not an image')
  // A folder tree: photos at two levels, plus files that are not images.
  await mkdir(join(dir, 'party', 'more'), { recursive: true })
  const names = Object.keys(DEMO_FACES)
  for (const [i, name] of names.entries()) await copyFile(join(demo, name), join(dir, 'party', i < 3 ? '' : 'more', name))
  await writeFile(join(dir, 'party', 'notes.txt'), 'guest list')
  await writeFile(join(dir, 'party', 'more', 'clip.y4m'), 'YUV4MPEG2')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function analyze(...args: string[]): Promise<{ code: number; lines: Record<string, unknown>[]; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [cli, 'analyze', ...args], { cwd: dir })
    return { code: 0, stdout, lines: stdout.trim().split('\n').map((l) => JSON.parse(l)) }
  } catch (error) {
    const e = error as { code: number; stdout: string }
    return { code: e.code, stdout: e.stdout, lines: e.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) }
  }
}

describe('smilecam analyze --json', () => {
  it('prints one line per input with 68 landmarks per face, largest face first, and goes on after bad files', async () => {
    const { code, lines } = await analyze('group.jpg', 'empty.jpg', 'notes.jpg', 'missing.jpg', '--json')
    expect(code).toBe(1)
    expect(lines).toHaveLength(4)
    const [photo, empty, notes, missing] = lines as never as [
      { file: string; width: number; height: number; faces: { box: { width: number; height: number }; score: number; landmarks68: number[][]; mar: number; ear: number; faceAreaRatio: number; faceLargeEnough: boolean }[]; timings: Record<string, number> },
      { error: { code: string } },
      { error: { code: string } },
      { error: { code: string } }
    ]
    expect(photo.file).toBe('group.jpg')
    expect(photo.faces).toHaveLength(3)
    expect([photo.width, photo.height]).toEqual([800, 534])
    expect(photo.faces.length).toBeGreaterThan(0)
    for (const face of photo.faces) {
      expect(face.landmarks68).toHaveLength(68)
      expect(face.score).toBeGreaterThan(0.5)
      expect(face.mar).toBeGreaterThanOrEqual(0)
      expect(face.ear).toBeGreaterThan(0)
      expect(Object.keys(face).sort()).toEqual(
        ['box', 'score', 'landmarks68', 'mar', 'ear', 'smile', 'smiling', 'emotion', 'sentiment', 'teethVisible', 'faceAreaRatio', 'faceLargeEnough'].sort()
      )
      for (const [x, y] of face.landmarks68) {
        expect(x).toBeGreaterThan(-50)
        expect(x).toBeLessThan(850)
        expect(y).toBeGreaterThan(-50)
        expect(y).toBeLessThan(584)
      }
    }
    // A group photo: no face fills a quarter of the circular crop.
    expect(photo.faces.every((f) => f.faceAreaRatio > 0 && f.faceAreaRatio < 0.25 && !f.faceLargeEnough)).toBe(true)
    const areas = photo.faces.map((f) => f.box.width * f.box.height)
    expect(areas).toEqual([...areas].sort((a, b) => b - a))
    expect(Object.keys(photo.timings).sort()).toEqual(['decodeMs', 'detectMs', 'landmarksMs', 'totalMs'])
    expect(empty.error.code).toBe('EMPTY_FILE')
    expect(notes.error).toEqual({ code: 'NOT_AN_IMAGE', message: '"notes.jpg" is not an image file Smilecam can read (JPEG, PNG, WebP, AVIF, TIFF, GIF).' })
    expect(missing.error.code).toBe('FILE_NOT_FOUND')
  })

  it('takes folders recursively (images only), names each file by the path as given, and finds every face of the demo group photos', async () => {
    const { code, lines } = await analyze('party', '--json')
    expect(code).toBe(0)
    const found = Object.fromEntries((lines as never as { file: string; faces: unknown[] }[]).map((l) => [l.file, l.faces.length]))
    expect(found).toEqual({
      [join('party', 'sample1.jpg')]: 3,
      [join('party', 'sample2.jpg')]: 3,
      [join('party', 'sample3.jpg')]: 3,
      [join('party', 'more', 'sample4.jpg')]: 4,
      [join('party', 'more', 'sample5.jpg')]: 5,
      [join('party', 'more', 'sample6.jpg')]: 4
    })
    const nested = await analyze(join(dir, 'party', 'more', 'sample5.jpg'), '--json')
    expect(nested.lines[0]).toMatchObject({ file: join(dir, 'party', 'more', 'sample5.jpg') })
    await writeFile(join(dir, 'notes-only.txt'), 'x')
    await mkdir(join(dir, 'no-photos'), { recursive: true })
    const none = await run(process.execPath, [cli, 'analyze', 'no-photos'], { cwd: dir }).catch((e: { code: number; stderr: string }) => e)
    expect(none).toMatchObject({ code: 2, stderr: expect.stringMatching(/No image files .* in "no-photos"/) })
  })

  it('documents itself and rejects unknown options', async () => {
    const help = await run(process.execPath, [cli, 'analyze', '--help'])
    expect(help.stdout).toContain('--assume-face')
    await expect(run(process.execPath, [cli, 'analyze', '--bogus', 'x.jpg'])).rejects.toMatchObject({ code: 2 })
  })
})
