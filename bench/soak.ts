/**
 * Soak test (never part of `npm test`): live frames through the engine host and photo audits
 * through the audit service at the same time, on one engine as in the app, for a long while.
 * Every minute it prints the main process's RSS, heap and handles and the host's RSS and open
 * files, so a leak shows as a line that keeps climbing. Ends with the growth from the first
 * full minute to the last.
 *
 *   nice -n 19 npx tsx bench/soak.ts [--minutes 20] [--interval-s 60]
 *
 * CPU is shared on dev machines: run it nice'd. Frames are 640×480 RGBA from the photos
 * @vladmandic/face-api ships, shifted a little every frame so the tracker follows a moving face.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, readdir, rm, unlink } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import sharp from 'sharp'
import { createAuditService } from '../src/core'
import { VisionEngine } from '../src/engine'
import type { RgbaImage } from '../src/shared/vision'

const MODEL_DIR = fileURLToPath(new URL('../resources/models', import.meta.url))
const FRAME = { width: 640, height: 480 }

interface Sample {
  minute: number
  frames: number
  audits: number
  mainRssMb: number
  heapMb: number
  externalMb: number
  handles: number
  mainFds: number
  hostRssMb: number
  hostFds: number
}

function demoPhotos(): string[] {
  const require = createRequire(import.meta.url)
  const demo = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo')
  return readdirSync(demo)
    .filter((f) => /^sample\d\.jpg$/.test(f))
    .sort()
    .map((f) => join(demo, f))
}

async function frameFrom(file: string): Promise<RgbaImage> {
  const { data, info } = await sharp(file)
    .resize(FRAME.width + 32, FRAME.height + 32, { fit: 'cover' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }
}

/** A FRAME-sized window of `source` at offset (dx, dy): a face that moves a few pixels. */
function shifted(source: RgbaImage, dx: number, dy: number): RgbaImage {
  const out = new Uint8Array(FRAME.width * FRAME.height * 4)
  for (let y = 0; y < FRAME.height; y++) {
    const from = ((y + dy) * source.width + dx) * 4
    out.set(source.data.subarray(from, from + FRAME.width * 4), y * FRAME.width * 4)
  }
  return { ...FRAME, data: out }
}

function statusKb(pid: number | 'self', field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) : NaN
  } catch {
    return NaN
  }
}

function openFiles(pid: number | 'self'): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length
  } catch {
    return NaN
  }
}

/** The engine host: our child process running the host entry. */
function hostPid(): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid !== process.pid) continue
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      if (/(?:^|[/\0])(?:vision-)?host\.(?:ts|js)\0/.test(cmdline)) return Number(entry)
    } catch {
      // gone meanwhile
    }
  }
  return null
}

const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10

function format(sample: Sample): string {
  return [
    `min ${sample.minute.toFixed(1).padStart(5)}`,
    `frames ${String(sample.frames).padStart(6)}`,
    `audits ${String(sample.audits).padStart(4)}`,
    `main rss ${sample.mainRssMb} MB heap ${sample.heapMb} MB ext ${sample.externalMb} MB handles ${sample.handles} fds ${sample.mainFds}`,
    `host rss ${sample.hostRssMb} MB fds ${sample.hostFds}`
  ].join(' | ')
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '20' }, 'interval-s': { type: 'string', default: '60' } } })
  const minutes = Number(values.minutes)
  const intervalMs = Number(values['interval-s']) * 1000
  const photos = demoPhotos()
  const sources = await Promise.all(photos.map(frameFrom))
  const stills = photos.map((path) => readFileSync(path))
  const outDir = await mkdtemp(join(tmpdir(), 'smilecam-soak-'))

  const engine = await VisionEngine.create({ modelDir: MODEL_DIR })
  const audit = createAuditService({ engine })
  const counts = { frames: 0, audits: 0, dropped: 0, errors: 0 }
  const endAt = Date.now() + minutes * 60_000
  let stopping = false

  // Live: as fast as the host answers (the app drops frames while busy; here we simply wait).
  const live = (async () => {
    for (let n = 0; !stopping; n++) {
      const source = sources[Math.floor(n / 300) % sources.length]
      const phase = (n % 120) / 120
      const frame = shifted(source, Math.round(16 + 15 * Math.sin(phase * 2 * Math.PI)), Math.round(16 + 15 * Math.cos(phase * 2 * Math.PI)))
      try {
        const result = await engine.detectForVideo(frame, n * 33, { personMask: true, expression: true })
        if (result) counts.frames++
        else counts.dropped++
      } catch {
        counts.errors++
      }
    }
  })()

  // Stills: audit, re-blur, save the three outputs, delete them again.
  const stillsLoop = (async () => {
    for (let n = 0; !stopping; n++) {
      try {
        const report = await audit.run({ kind: 'bytes', name: `soak-${n % stills.length}.jpg`, data: new Uint8Array(stills[n % stills.length]) })
        await audit.blur(report.id, n % 2 === 0 ? 'face' : 'person', 0.3 + (n % 5) / 10)
        for (const kind of ['blurred', 'annotated', 'report'] as const) await unlink(await audit.save(report.id, kind, outDir))
        counts.audits++
      } catch {
        counts.errors++
      }
    }
  })()

  const samples: Sample[] = []
  const sample = (minute: number) => {
    const memory = process.memoryUsage()
    const pid = hostPid()
    const entry: Sample = {
      minute,
      frames: counts.frames,
      audits: counts.audits,
      mainRssMb: mb(memory.rss),
      heapMb: mb(memory.heapUsed),
      externalMb: mb(memory.external),
      handles: process.getActiveResourcesInfo().length,
      mainFds: openFiles('self'),
      hostRssMb: pid ? Math.round(statusKb(pid, 'VmRSS') / 102.4) / 10 : NaN,
      hostFds: pid ? openFiles(pid) : NaN
    }
    samples.push(entry)
    console.log(format(entry))
  }

  console.log(`soak: ${minutes} min, 640×480 frames + audits of ${photos.length} photos, one engine host (pid ${hostPid()})`)
  sample(0)
  const startedAt = Date.now()
  while (Date.now() < endAt) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, endAt - Date.now()))))
    sample(Math.round((Date.now() - startedAt) / 6000) / 10)
  }
  stopping = true
  await Promise.allSettled([live, stillsLoop])
  audit.close()
  await engine.close()
  const leftovers = await readdir(outDir)
  await rm(outDir, { recursive: true, force: true })

  // Growth after warm-up (from the first sample at or after minute 1: models, caches and JIT settle first).
  const first = samples.find((s) => s.minute >= 1) ?? samples[0]
  const last = samples[samples.length - 1]
  const perMinute = (a: number, b: number) => (last.minute > first.minute ? Math.round(((b - a) / (last.minute - first.minute)) * 100) / 100 : 0)
  console.log(
    `\ngrowth min ${first.minute} -> ${last.minute}: main rss ${first.mainRssMb} -> ${last.mainRssMb} MB (${perMinute(first.mainRssMb, last.mainRssMb)} MB/min), ` +
      `heap ${first.heapMb} -> ${last.heapMb} MB, handles ${first.handles} -> ${last.handles}, fds ${first.mainFds} -> ${last.mainFds}; ` +
      `host rss ${first.hostRssMb} -> ${last.hostRssMb} MB (${perMinute(first.hostRssMb, last.hostRssMb)} MB/min), host fds ${first.hostFds} -> ${last.hostFds}`
  )
  // Caches (the audit cache holds up to its byte budget) fill in the first minutes; a leak keeps climbing after.
  const mid = samples[Math.floor(samples.length / 2)]
  const slope = (a: number, b: number) => (last.minute > mid.minute ? Math.round(((b - a) / (last.minute - mid.minute)) * 100) / 100 : 0)
  const peak = Math.max(...samples.map((s) => s.mainRssMb))
  console.log(
    `second half (min ${mid.minute} -> ${last.minute}): main rss ${slope(mid.mainRssMb, last.mainRssMb)} MB/min, host rss ${slope(mid.hostRssMb, last.hostRssMb)} MB/min; main rss peak ${peak} MB`
  )
  console.log(`frames ${counts.frames} (${Math.round(counts.frames / (minutes * 60))}/s), audits ${counts.audits}, dropped ${counts.dropped}, errors ${counts.errors}, files left in the output folder ${leftovers.length}`)
}

await main()
