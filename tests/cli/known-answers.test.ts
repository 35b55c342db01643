/**
 * Known answers on photos an npm package ships (@vladmandic/face-api's demo images, cropped at
 * run time), through the real CLI and models: a swapped label table, a broken smile head or a
 * pass flag computed in two places fails here.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnalyzeLine } from '../../src/cli/analyze'
import type { PhotoReport } from '../../src/shared/audit'

const run = promisify(execFile)
const require = createRequire(import.meta.url)
const demo = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo')
const cli = join(import.meta.dirname, '..', '..', 'bin', 'smilecam.mjs')

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smilecam-known-'))
  // The woman on the right of sample1.jpg, laughing with teeth showing, framed as a portrait.
  await sharp(join(demo, 'sample1.jpg')).extract({ left: 1373, top: 150, width: 380, height: 380 }).jpeg().toFile(join(dir, 'smiling.jpg'))
  // The woman on the left of sample3.jpg: lips closed, not smiling.
  await sharp(join(demo, 'sample3.jpg')).extract({ left: 444, top: 235, width: 510, height: 510 }).jpeg().toFile(join(dir, 'closed-lips.jpg'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function analyze(file: string): Promise<Extract<AnalyzeLine, { faces: unknown }>> {
  const { stdout } = await run(process.execPath, [cli, 'analyze', file, '--json'], { cwd: dir })
  return JSON.parse(stdout) as Extract<AnalyzeLine, { faces: unknown }>
}

describe('known answers (real engine)', () => {
  it('a smiling portrait reads happy, smiling, teeth visible, face large enough', async () => {
    const [face] = (await analyze('smiling.jpg')).faces
    expect(face).toMatchObject({ smiling: true, teethVisible: true, faceLargeEnough: true, sentiment: 'positive' })
    expect(face.emotion.label).toBe('happy')
  })

  it('closed lips read as no teeth and not smiling', async () => {
    const [face] = (await analyze('closed-lips.jpg')).faces
    expect(face).toMatchObject({ smiling: false, teethVisible: false })
    expect(face.emotion.label).not.toBe('happy')
  })

  it('a group photo reads "face too small", and the audit summary says so from the check itself', async () => {
    const group = await analyze(join(demo, 'sample1.jpg'))
    expect(group.faces.length).toBeGreaterThanOrEqual(3)
    expect(group.faces.every((f) => !f.faceLargeEnough)).toBe(true)
    const { stdout } = await run(process.execPath, [cli, 'audit', join(demo, 'sample1.jpg'), '--out', 'group', '--json'], { cwd: dir })
    const { report } = JSON.parse(stdout) as { report: PhotoReport }
    expect(report.checks?.faceSize).toMatchObject({ pass: false, faceLargeEnough: false })
    expect(report.checks?.faceSize.advice).toMatch(/crop tighter/)
    expect(report.verdict).toMatch(/the face is small/)
    expect(report.checks?.blur.pass).toBe(true)
  })
})
