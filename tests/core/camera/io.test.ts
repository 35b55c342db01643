import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openV4l2Input, type SpawnFunction } from '../../../src/core'
import { hasFfmpeg } from '../../e2e/clips'

const FAKE_FFMPEG = fileURLToPath(new URL('./fake-ffmpeg.mjs', import.meta.url))

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smilecam-io-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('openV4l2Input', () => {
  it('asks ffmpeg for the device as y4m 4:2:0 on stdout, and maps a busy camera to DEVICE_BUSY', async () => {
    const record = join(dir, 'record.json')
    const fake: SpawnFunction = (command, args, options) =>
      spawn(command, args, { ...options, env: { ...process.env, FAKE_FFMPEG: JSON.stringify({ record, failAtStart: true, stderr: '[video4linux2,v4l2 @ 0x1] Cannot open video device /dev/video0: Device or resource busy' }) } })
    await expect(openV4l2Input('/dev/video0', { ffmpegPath: FAKE_FFMPEG, spawn: fake })).rejects.toMatchObject({ code: 'DEVICE_BUSY' })
    expect(JSON.parse(readFileSync(record, 'utf8')).argv).toEqual(['-hide_banner', '-loglevel', 'error', '-nostats', '-f', 'v4l2', '-i', '/dev/video0', '-f', 'yuv4mpegpipe', '-pix_fmt', 'yuv420p', '-'])
  })

  it('reports a missing ffmpeg', async () => {
    await expect(openV4l2Input('/dev/video0', { ffmpegPath: join(dir, 'nothing') })).rejects.toMatchObject({ code: 'FFMPEG_MISSING' })
  })

  it.skipIf(!hasFfmpeg())('reads the frames ffmpeg sends (a test pattern standing in for the camera)', async () => {
    const pattern: SpawnFunction = (command, _args, options) =>
      spawn(command, ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=15', '-frames:v', '5', '-f', 'yuv4mpegpipe', '-pix_fmt', 'yuv420p', '-'], options)
    const input = await openV4l2Input('/dev/video0', { ffmpegPath: '/usr/bin/ffmpeg', spawn: pattern })
    expect(input.live).toBe(true)
    expect(input.info).toMatchObject({ width: 64, height: 48, fpsNumerator: 15, fpsDenominator: 1 })
    const frames = []
    for await (const frame of input.frames()) frames.push(frame)
    expect(frames).toHaveLength(5)
    expect(frames[4].y).toHaveLength(64 * 48)
  })
})
