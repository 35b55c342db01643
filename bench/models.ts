/**
 * `npm run bench -- --models`: each face-crop classifier's size and time per face (one crop,
 * and the crop with its mirror image in one batch, as stills run them), in one run so the
 * figures compare. Input: a face crop of a photo @vladmandic/face-api ships.
 */
import { stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { CropModel, EXPRESSION_MODELS, SMILE_NET_SPEC, type CropModelSpec, type Roi } from '../src/engine'
import { percentile } from './data'

const RUNS = 60

export async function benchModels(modelDir: string): Promise<void> {
  const require = createRequire(import.meta.url)
  const photo = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample2.jpg')
  const { data, info } = await sharp(photo).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const image = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }
  // The middle face of sample2.jpg.
  const roi: Roi = { cx: 985, cy: 370, width: 240, height: 240, angle: 0 }
  const specs: [string, CropModelSpec][] = [...Object.entries(EXPRESSION_MODELS), ['smile-net', SMILE_NET_SPEC]]
  console.log(`${'model'.padEnd(12)}${'file'.padEnd(30)}${'MB'.padStart(6)}${'ms/face'.padStart(10)}${'+mirror'.padStart(10)}`)
  for (const [name, spec] of specs) {
    const model = await CropModel.open(modelDir, spec).catch((error: unknown) => {
      console.log(`${name.padEnd(12)}${spec.file.padEnd(30)}  not measured: ${error instanceof Error ? error.message : String(error)}`)
      return null
    })
    if (!model) continue
    const times = { single: [] as number[], mirror: [] as number[] }
    try {
      for (let i = 0; i < RUNS + 5; i++) {
        for (const mirror of [false, true]) {
          const t = performance.now()
          await model.run(image, roi, mirror)
          if (i >= 5) times[mirror ? 'mirror' : 'single'].push(performance.now() - t)
        }
      }
    } finally {
      await model.close()
    }
    const mb = (await stat(join(modelDir, spec.file))).size / 1e6
    console.log(`${name.padEnd(12)}${spec.file.padEnd(30)}${mb.toFixed(1).padStart(6)}${percentile(times.single, 50).toFixed(2).padStart(10)}${percentile(times.mirror, 50).toFixed(2).padStart(10)}`)
  }
}
