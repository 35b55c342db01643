/**
 * Speed of the audit's image work on a still (default 1600×1200, about 2 MP): sharp (libvips)
 * and our own code as used by src/core/audit/render.ts, against opencv-wasm for the same jobs.
 *
 *   npx tsx bench/audit-render.ts [photo.jpg] [--reps N]
 *
 * Without a photo a synthetic noisy image is used. Times are medians over N runs (default 5)
 * after one warm-up; the machine is shared, so expect noise.
 */
import sharp from 'sharp'
import { blurBackground, blurSigma, decodeFile, encodeJpeg, fillPolygon, personAlpha, polygonAlpha, renderAnnotated } from '../src/core'
import { circleCrop } from '../src/shared/face-geometry'
import type { Point, RgbaImage } from '../src/shared/vision'
import { percentile } from './data'

async function syntheticPhoto(width: number, height: number): Promise<RgbaImage> {
  const { data, info } = await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 50 } } })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }
}

async function median(reps: number, job: () => Promise<unknown> | unknown): Promise<number> {
  await job()
  const times: number[] = []
  for (let i = 0; i < reps; i++) {
    const started = performance.now()
    await job()
    times.push(performance.now() - started)
  }
  return percentile(times, 50)
}

function ellipse(cx: number, cy: number, rx: number, ry: number, n = 26): Point[] {
  return Array.from({ length: n }, (_, i): Point => [cx + rx * Math.cos((2 * Math.PI * i) / n), cy + ry * Math.sin((2 * Math.PI * i) / n)])
}

async function main(argv: string[]): Promise<void> {
  const repsAt = argv.indexOf('--reps')
  const reps = repsAt >= 0 ? Number(argv[repsAt + 1]) : 5
  const file = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--reps')
  const image = file ? (await decodeFile(file)).image : await syntheticPhoto(1600, 1200)
  const { width, height } = image
  const sigma = blurSigma(0.5, width, height)
  const face = ellipse(width / 2, height * 0.4, width * 0.15, height * 0.25)
  const lowResMask = { width: 256, height: 256, data: fillPolygon(ellipse(128, 150, 70, 120), 256, 256) }
  const alpha = await personAlpha(lowResMask, width, height)
  const rows: Array<[string, number]> = []

  rows.push(['mask: upscale 256² + feather (sharp)', await median(reps, () => personAlpha(lowResMask, width, height))])
  rows.push(['polygon fill, 26 points (ours)', await median(reps, () => fillPolygon(face, width, height))])
  rows.push(['face mask: fill + feather (ours + sharp)', await median(reps, () => polygonAlpha(face, width, height))])
  rows.push([`background blur sigma ${sigma.toFixed(1)} incl. composite (sharp)`, await median(reps, () => blurBackground(image, alpha, sigma))])
  rows.push(['annotated image, SVG overlay + JPEG (sharp)', await median(reps, () => renderAnnotated(image, { circle: circleCrop(width, height), faceOutline: face, landmarks: face }))])
  rows.push(['JPEG q90 encode (sharp)', await median(reps, () => encodeJpeg(image))])

  const { cv } = (await import('opencv-wasm')).default
  const rgba = new cv.Mat(height, width, cv.CV_8UC4)
  rgba.data.set(image.data)
  rows.push([
    `opencv-wasm GaussianBlur 8UC4 sigma ${sigma.toFixed(1)}`,
    await median(Math.min(reps, 2), () => {
      const out = new cv.Mat()
      cv.GaussianBlur(rgba, out, new cv.Size(0, 0), sigma, sigma, cv.BORDER_REFLECT)
      out.delete()
    })
  ])
  rows.push([
    `opencv-wasm GaussianBlur 32FC4 sigma ${sigma.toFixed(1)} (premultiplied path)`,
    await median(reps, () => {
      const f = new cv.Mat()
      rgba.convertTo(f, cv.CV_32FC4)
      const out = new cv.Mat()
      cv.GaussianBlur(f, out, new cv.Size(0, 0), sigma, sigma, cv.BORDER_REFLECT)
      f.delete()
      out.delete()
    })
  ])
  rows.push([
    'opencv-wasm fillPoly LINE_AA, 26 points',
    await median(reps, () => {
      const mask = cv.Mat.zeros(height, width, cv.CV_8UC1)
      const points = cv.matFromArray(face.length, 1, cv.CV_32SC2, face.flat().map(Math.round))
      const polygons = new cv.MatVector()
      polygons.push_back(points)
      cv.fillPoly(mask, polygons, new cv.Scalar(255), cv.LINE_AA)
      mask.delete()
      points.delete()
      polygons.delete()
    })
  ])
  rgba.delete()

  console.log(`${file ?? 'synthetic photo'}: ${width}×${height} (${((width * height) / 1e6).toFixed(1)} MP), median of ${reps}`)
  for (const [name, ms] of rows) console.log(`  ${name.padEnd(62)} ${ms.toFixed(1).padStart(8)} ms`)
}

await main(process.argv.slice(2))
