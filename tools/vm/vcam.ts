/**
 * Host side of tools/vm/test-vcam.sh (not part of npm test).
 *   tsx tools/vm/vcam.ts prepare DIR   the e2e clip as DIR/clip.y4m and the getUserMedia page DIR/cam.html
 *   tsx tools/vm/vcam.ts check DIR     reads what the guest captured from /dev/video10 (DIR/frames.y4m via
 *                                      ffmpeg, DIR/chromium.log via Chromium) and says, frame by frame,
 *                                      whether the face is sharp and the background blurred
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { createY4mParser, rgbaToYuv420, type Yuv420Frame } from '../../src/core'
import { buildClip } from '../../tests/e2e/clips'
import { planeDetail } from '../../tests/e2e/frame-compare'

// The regions tests/cli/camera.test.ts checks: inside the face, and window frames behind her.
const FACE: Region = [270, 170, 390, 290]
const BACKGROUNDS: Region[] = [
  [5, 20, 60, 250],
  [110, 10, 160, 190],
  [580, 10, 634, 220]
]
type Region = [number, number, number, number]

function detail(f: Yuv420Frame, region: Region): number {
  return planeDetail(f.y, f.width, region)
}

function describe(f: Yuv420Frame): { face: number; background: number } {
  return { face: detail(f, FACE), background: BACKGROUNDS.reduce((s, r) => s + detail(f, r), 0) / BACKGROUNDS.length }
}

async function readY4m(path: string): Promise<Yuv420Frame[]> {
  const parser = createY4mParser()
  const frames = parser.push(await readFile(path))
  parser.end()
  return frames
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>Smilecam virtual camera check</title>
<script>
const log = (...a) => console.log('VCAM', ...a);
(async () => {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
    const devices = await navigator.mediaDevices.enumerateDevices();
    log('DEVICES', JSON.stringify(devices.filter(d => d.kind === 'videoinput').map(d => d.label)));
    const track = stream.getVideoTracks()[0];
    log('TRACK', track.label, JSON.stringify(track.getSettings()));
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = stream;
    await video.play();
    // Under emulation the first real frame comes late (the element reports 2x2 until then).
    while (video.videoWidth < 16) await new Promise(r => setTimeout(r, 200));
    const canvas = document.createElement('canvas');
    // Two grabs some seconds apart, from the live feed.
    for (const waitMs of [500, 4000]) {
      await new Promise(r => setTimeout(r, waitMs));
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext('2d').drawImage(video, 0, 0);
      log('PNG', canvas.toDataURL('image/png'));
    }
  } catch (e) {
    log('ERROR', e.name, e.message);
  }
  log('DONE');
})();
</script>
`

async function prepare(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const clip = await buildClip('neutral')
  await copyFile(clip.path, join(dir, 'clip.y4m'))
  await writeFile(join(dir, 'cam.html'), PAGE)
  console.log(`prepared ${dir}: clip.y4m (${clip.frameCount} frames ${clip.width}x${clip.height}), cam.html`)
}

function verdict(d: { face: number; background: number }, clip: { face: number; background: number }): string {
  const face = d.face / clip.face
  const background = d.background / clip.background
  const kind = background > 0.8 ? 'SHARP BACKGROUND' : face >= 0.7 ? 'face sharp, background blurred' : 'fully blurred (fail closed)'
  return `face detail ${(100 * face).toFixed(0)}% of the clip's, background ${(100 * background).toFixed(0)}%: ${kind}`
}

async function check(dir: string): Promise<number> {
  const clipFrames = await readY4m(join(dir, 'clip.y4m'))
  const clipDetail = clipFrames.map(describe)
  const clip = {
    face: clipDetail.reduce((s, d) => s + d.face, 0) / clipDetail.length,
    background: clipDetail.reduce((s, d) => s + d.background, 0) / clipDetail.length
  }
  let failures = 0
  const frames = await readY4m(join(dir, 'frames.y4m')).catch(() => [])
  console.log(`ffmpeg read ${frames.length} frames from /dev/video10${frames[0] ? ` (${frames[0].width}x${frames[0].height})` : ''}, one a second:`)
  let masked = 0
  for (const [i, frame] of frames.entries()) {
    const line = verdict(describe(frame), clip)
    if (line.includes('SHARP BACKGROUND')) failures++
    if (line.includes('face sharp')) masked++
    console.log(`  frame ${i}: ${line}`)
  }
  if (frames.length === 0 || masked === 0) failures++
  const log = await readFile(join(dir, 'chromium.log'), 'utf8').catch(() => '')
  for (const line of log.split('\n').filter((l) => /VCAM (DEVICES|TRACK|ERROR)/.test(l))) console.log(`chromium: ${line.replace(/.*VCAM /, '').replace(/", source:.*/, '')}`)
  const pngs = [...log.matchAll(/VCAM PNG data:image\/png;base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1], 'base64'))
  if (pngs.length === 0) failures++
  for (const [i, png] of pngs.entries()) {
    await writeFile(join(dir, `chromium-frame-${i}.png`), png)
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
    const frame = rgbaToYuv420(data, info.width, info.height)
    const line = verdict(describe(frame), clip)
    if (line.includes('SHARP BACKGROUND')) failures++
    console.log(`chromium frame ${i} (${info.width}x${info.height}, chromium-frame-${i}.png): ${line}`)
  }
  console.log(failures === 0 ? 'vcam check: PASS' : `vcam check: FAIL (${failures})`)
  return failures === 0 ? 0 : 1
}

const [command, dir] = process.argv.slice(2)
if (command === 'prepare' && dir) await prepare(dir)
else if (command === 'check' && dir) process.exitCode = await check(dir)
else {
  console.error('usage: tsx tools/vm/vcam.ts prepare|check DIR')
  process.exitCode = 2
}
