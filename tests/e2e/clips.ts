/**
 * Builds the fake-camera clips for the e2e tests at run time: y4m files that Chromium plays
 * through `--use-file-for-fake-video-capture`. The pictures come from an npm package
 * (@vladmandic/face-api ships demo photos), never from ../shared/data.
 *
 * Both faces come from demo/sample3.jpg (one photo, same light, same camera):
 *  - NEUTRAL_FACE: the blonde woman on the left, mouth closed, no smile.
 *  - SMILING_FACE: the dark-haired woman on the right, open smile with teeth visible.
 * The `smiling` clip cuts from the neutral face to the smiling face (as if a different person
 * stepped in front of the camera), holds the smile, then cuts back, so one pass through the
 * clip holds exactly one smile. Every frame pans and zooms slightly so the view moves like a
 * hand-held webcam rather than a still poster.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import sharp from 'sharp'

export const CLIP_WIDTH = 640
export const CLIP_HEIGHT = 480
export const CLIP_FPS = 30

/** A face in a package photo: the source region (pixels) framed as the camera view, 4:3. */
export interface FaceShot {
  /** File inside node_modules/@vladmandic/face-api/demo. */
  sample: string
  /** Centre of the view in source pixels (roughly the face centre). */
  cx: number
  cy: number
  /** Width of the view in source pixels (height = width * 3 / 4). */
  viewWidth: number
  /** Whether the person in this shot smiles. */
  smiling: boolean
}

export const NEUTRAL_FACE: FaceShot = { sample: 'sample3.jpg', cx: 676, cy: 500, viewWidth: 720, smiling: false }
export const SMILING_FACE: FaceShot = { sample: 'sample3.jpg', cx: 1610, cy: 470, viewWidth: 600, smiling: true }

export interface ClipSegment {
  shot: FaceShot
  durationMs: number
}

export type ClipName = 'smiling' | 'neutral' | 'smile-hold'

export const CLIP_SEGMENTS: Record<ClipName, ClipSegment[]> = {
  // Neutral 1.5 s, smile held 2 s (well over the 400 ms hold time), neutral 2 s tail so the
  // clip does not loop straight back into the smile.
  smiling: [
    { shot: NEUTRAL_FACE, durationMs: 1500 },
    { shot: SMILING_FACE, durationMs: 2000 },
    { shot: NEUTRAL_FACE, durationMs: 2000 }
  ],
  neutral: [{ shot: NEUTRAL_FACE, durationMs: 4000 }],
  // A smile that lasts through a whole calibration (countdown and sampling).
  'smile-hold': [{ shot: SMILING_FACE, durationMs: 6000 }]
}

export interface BuiltClip {
  name: ClipName
  path: string
  width: number
  height: number
  fps: number
  frameCount: number
  durationMs: number
  segments: ClipSegment[]
}

export interface FrameMotion {
  /** Pan of the view centre in source pixels. */
  dx: number
  dy: number
  /** Zoom factor (> 1 = closer). */
  zoom: number
}

/** Amplitudes of the hand-held wobble: a few pixels of pan and about 2 % of zoom. */
const PAN_AMPLITUDE_PX = 6
const ZOOM_AMPLITUDE = 0.02

/**
 * Slight, smooth, non-repeating-looking camera motion for a frame: sums of incommensurate
 * sines, so consecutive frames differ by about a pixel, as with a hand-held webcam.
 */
export function motionAt(frameIndex: number, fps: number = CLIP_FPS): FrameMotion {
  const t = frameIndex / fps
  const dx = PAN_AMPLITUDE_PX * (0.7 * Math.sin(2 * Math.PI * 0.37 * t) + 0.3 * Math.sin(2 * Math.PI * 1.13 * t + 1))
  const dy = PAN_AMPLITUDE_PX * (0.6 * Math.sin(2 * Math.PI * 0.29 * t + 2) + 0.4 * Math.sin(2 * Math.PI * 0.91 * t))
  const zoom = 1 + ZOOM_AMPLITUDE * (0.5 + 0.5 * Math.sin(2 * Math.PI * 0.23 * t))
  return { dx, dy, zoom }
}

export interface Rect {
  left: number
  top: number
  width: number
  height: number
}

/** The integer source rectangle a frame shows, clamped inside the source image. */
export function viewRect(shot: FaceShot, motion: FrameMotion, sourceWidth: number, sourceHeight: number): Rect {
  const width = Math.round(shot.viewWidth / motion.zoom)
  const height = Math.round((width * CLIP_HEIGHT) / CLIP_WIDTH)
  const left = Math.round(shot.cx + motion.dx - width / 2)
  const top = Math.round(shot.cy + motion.dy - height / 2)
  return {
    left: Math.min(Math.max(0, left), sourceWidth - width),
    top: Math.min(Math.max(0, top), sourceHeight - height),
    width,
    height
  }
}

/** Frames per segment, so the clip is exactly the sum of its segment durations at `fps`. */
export function segmentFrameCounts(segments: ClipSegment[], fps: number = CLIP_FPS): number[] {
  return segments.map((segment) => Math.round((segment.durationMs * fps) / 1000))
}

export function hasFfmpeg(ffmpegPath = '/usr/bin/ffmpeg'): boolean {
  return existsSync(ffmpegPath) && spawnSync(ffmpegPath, ['-version'], { stdio: 'ignore' }).status === 0
}

export function faceApiDemoDir(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo')
}

interface DecodedSource {
  data: Buffer
  width: number
  height: number
}

async function decodeSource(path: string): Promise<DecodedSource> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

async function renderFrame(source: DecodedSource, rect: Rect): Promise<Buffer> {
  return sharp(source.data, { raw: { width: source.width, height: source.height, channels: 3 } })
    .extract(rect)
    .resize(CLIP_WIDTH, CLIP_HEIGHT, { kernel: 'lanczos3' })
    .raw()
    .toBuffer()
}

/** Renders one frame of a shot exactly as the clip shows it (for pixel comparisons). */
export async function renderShotFrame(shot: FaceShot, frameIndex: number): Promise<Buffer> {
  const source = await decodeSource(join(faceApiDemoDir(), shot.sample))
  return renderFrame(source, viewRect(shot, motionAt(frameIndex), source.width, source.height))
}

/** A content key so a cached clip is rebuilt whenever its recipe or its source photos change. */
function clipKey(name: ClipName): string {
  const segments = CLIP_SEGMENTS[name]
  const hash = createHash('sha256')
  hash.update(JSON.stringify({ name, segments, CLIP_WIDTH, CLIP_HEIGHT, CLIP_FPS, PAN_AMPLITUDE_PX, ZOOM_AMPLITUDE }))
  for (const segment of segments) {
    const stat = statSync(join(faceApiDemoDir(), segment.shot.sample))
    hash.update(`${segment.shot.sample}:${stat.size}:${stat.mtimeMs}`)
  }
  return hash.digest('hex').slice(0, 16)
}

/** Encodes raw RGB frames into a y4m file (4:2:0, what Chromium's file capture reads). */
async function encodeY4m(frames: AsyncIterable<Buffer>, outPath: string, ffmpegPath: string): Promise<void> {
  const ffmpeg = spawn(
    ffmpegPath,
    [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${CLIP_WIDTH}x${CLIP_HEIGHT}`, '-r', String(CLIP_FPS), '-i', 'pipe:0',
      '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', outPath
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] }
  )
  let stderr = ''
  ffmpeg.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<void>((resolve, reject) => {
    ffmpeg.on('error', reject)
    ffmpeg.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr}`))))
  })
  try {
    for await (const frame of frames) {
      if (!ffmpeg.stdin.write(frame)) await new Promise((resolve) => ffmpeg.stdin.once('drain', resolve))
    }
  } finally {
    ffmpeg.stdin.end()
  }
  await exited
}

/** Every frame of a clip as raw RGB (640x480x3), in order, exactly as encoded into the y4m. */
export async function* clipFrames(segments: ClipSegment[]): AsyncGenerator<Buffer> {
  const sources = new Map<string, DecodedSource>()
  const counts = segmentFrameCounts(segments)
  let frameIndex = 0
  for (const [i, segment] of segments.entries()) {
    let source = sources.get(segment.shot.sample)
    if (!source) {
      source = await decodeSource(join(faceApiDemoDir(), segment.shot.sample))
      sources.set(segment.shot.sample, source)
    }
    for (let k = 0; k < counts[i]; k++, frameIndex++) {
      yield renderFrame(source, viewRect(segment.shot, motionAt(frameIndex), source.width, source.height))
    }
  }
}

export interface ClipBuilderOptions {
  /** Where clips are cached; defaults to a folder in the OS temp dir keyed by nothing but content. */
  cacheDir?: string
  ffmpegPath?: string
}

/**
 * Builds (or reuses from the cache) a named clip. Cache entries are content-addressed, written
 * to a temporary name and renamed, so concurrent test files never read a half-written clip.
 */
export async function buildClip(name: ClipName, options: ClipBuilderOptions = {}): Promise<BuiltClip> {
  const cacheDir = options.cacheDir ?? join(tmpdir(), 'smilecam-e2e-clips')
  const ffmpegPath = options.ffmpegPath ?? '/usr/bin/ffmpeg'
  mkdirSync(cacheDir, { recursive: true })
  const segments = CLIP_SEGMENTS[name]
  const path = join(cacheDir, `${name}-${clipKey(name)}.y4m`)
  const frameCount = segmentFrameCounts(segments).reduce((a, b) => a + b, 0)
  if (!existsSync(path)) {
    const partial = `${path}.${process.pid}.partial`
    await encodeY4m(clipFrames(segments), partial, ffmpegPath)
    renameSync(partial, path)
    removeOtherVersions(cacheDir, name, path)
  }
  return {
    name,
    path,
    width: CLIP_WIDTH,
    height: CLIP_HEIGHT,
    fps: CLIP_FPS,
    frameCount,
    durationMs: (frameCount * 1000) / CLIP_FPS,
    segments
  }
}

/** Older recipes of the same clip are ~100 MB each; drop them once the new one is there. */
function removeOtherVersions(cacheDir: string, name: ClipName, keep: string): void {
  for (const file of readdirSync(cacheDir)) {
    const path = join(cacheDir, file)
    if (path !== keep && file.startsWith(`${name}-`) && file.endsWith('.y4m')) rmSync(path, { force: true })
  }
}

/** Writes a PNG contact sheet of a clip's frames (every `step`-th), for looking at what the camera shows. */
export async function writeClipPreview(name: ClipName, outPath: string, step = 15): Promise<void> {
  const tiles: Buffer[] = []
  let index = 0
  for await (const frame of clipFrames(CLIP_SEGMENTS[name])) {
    if (index++ % step === 0) {
      tiles.push(
        await sharp(frame, { raw: { width: CLIP_WIDTH, height: CLIP_HEIGHT, channels: 3 } }).resize(160, 120).png().toBuffer()
      )
    }
  }
  const columns = 6
  const rows = Math.ceil(tiles.length / columns)
  await sharp({ create: { width: columns * 160, height: rows * 120, channels: 3, background: '#000' } })
    .composite(tiles.map((input, i) => ({ input, left: (i % columns) * 160, top: Math.floor(i / columns) * 120 })))
    .png()
    .toFile(outPath)
}
