/**
 * "Send to virtual camera" end to end in browser mode: the real UI with the fake camera, the
 * switch on, ffmpeg writing the composited frames into a y4m file sink (the server's test
 * device). Every frame that arrives must have a blurred background (fail closed: also the first
 * ones, before the engine's first mask) and the face as it was.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from './app'
import { createPageTracker, e2eSkipReason, openPage } from './browser'
import { buildClip, CLIP_HEIGHT, CLIP_WIDTH, clipFrames, type BuiltClip } from './clips'
import { BACKGROUND_REGION, compareRegion, FACE_REGION, matchClipFrame, type RawFrame } from './frame-compare'
import type { PageElement, PageGlobals } from './page-types'

const skipReason = e2eSkipReason()
if (skipReason) it.skip(skipReason, () => undefined)

/** The y4m as RGB frames, decoded by ffmpeg. */
function decodeY4m(path: string): RawFrame[] {
  const out = spawnSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 30 })
  if (out.status !== 0) throw new Error(`ffmpeg could not read ${path}: ${out.stderr.toString()}`)
  const size = CLIP_WIDTH * CLIP_HEIGHT * 3
  const frames: RawFrame[] = []
  for (let offset = 0; offset + size <= out.stdout.length; offset += size) {
    frames.push({ width: CLIP_WIDTH, height: CLIP_HEIGHT, channels: 3, data: new Uint8Array(out.stdout.buffer, out.stdout.byteOffset + offset, size) })
  }
  return frames
}

describe.skipIf(skipReason)('virtual camera in browser mode (file sink)', () => {
  const pages = createPageTracker()
  let app: RunningApp
  let clip: BuiltClip
  let sinkPath: string
  let sinkDir: string | undefined

  beforeAll(async () => {
    clip = await buildClip('neutral')
    sinkDir = await mkdtemp(join(tmpdir(), 'smilecam-vcam-sink-'))
    sinkPath = join(sinkDir, 'vcam.y4m')
    app = await startApp({
      settings: { live: { blurMode: 'person', blurStrength: 1, showHud: true }, capture: { autoCapture: false } },
      vcamFileSink: sinkPath
    })
  }, 120_000)
  afterAll(async () => {
    await pages.closeAll()
    await app?.close()
    if (sinkDir) await rm(sinkDir, { recursive: true, force: true })
  })

  it('switch on: frames arrive, every one with the background blurred and the face intact', async () => {
    const { page, errors } = pages.track(await openPage({ camera: { kind: 'clip', clipPath: clip.path }, url: app.url }), 'shared')
    const sw = page.getByTestId('vcam-switch')
    await expect.poll(async () => sw.isEnabled(), { timeout: 30_000 }).toBe(true)
    await sw.check()
    await expect.poll(() => (existsSync(sinkPath) ? statSync(sinkPath).size : 0), { timeout: 60_000 }).toBeGreaterThan(40 * CLIP_WIDTH * CLIP_HEIGHT * 1.5)
    // Until the engine answers, the frames went out blurred all over; wait for masked ones too.
    await page.waitForFunction(
      () => {
        const { document } = globalThis as unknown as PageGlobals
        return Number((document.querySelector('[data-testid="hud-fps"]') as PageElement | null)?.getAttribute('data-fps') ?? 0) > 0
      },
      undefined,
      { timeout: 60_000 }
    )
    await page.waitForTimeout(3000)
    await sw.uncheck()
    await expect.poll(async () => (await page.getByTestId('vcam-switch').isChecked()), { timeout: 5000 }).toBe(false)
    await page.waitForTimeout(1000) // ffmpeg finishes the file
    errors.assertClean()

    const frames = decodeY4m(sinkPath)
    expect(frames.length).toBeGreaterThan(40)
    const source = [] as Uint8Array[]
    for await (const data of clipFrames(clip.segments)) source.push(data)
    const measures = []
    // Every 4th frame (matching each against the clip costs time), first and last included.
    for (let i = 0; i < frames.length; i += i + 4 >= frames.length && i !== frames.length - 1 ? frames.length - 1 - i : 4) {
      const { frame } = await matchClipFrame(frames[i], source, CLIP_WIDTH, CLIP_HEIGHT)
      measures.push({ i, face: compareRegion(frames[i], frame, FACE_REGION), background: compareRegion(frames[i], frame, BACKGROUND_REGION) })
    }
    console.log(`virtual camera frames: ${frames.length}; background sharpness per sampled frame: ${measures.map((m) => m.background.sharpness.toFixed(2)).join(' ')}`)
    // No frame with a sharp background left the app…
    for (const m of measures) expect(m.background.sharpness, `frame ${m.i}`).toBeLessThan(0.6)
    // …and once masks came, the face was sent as it was.
    const masked = measures.filter((m) => m.face.sharpness > 0.8)
    expect(masked.length).toBeGreaterThan(measures.length / 3)
    for (const m of masked) expect(m.face.diff).toBeLessThan(12)
  }, 180_000)
})
