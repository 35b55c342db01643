/**
 * Runs only the TF.js converters: `npx tsx tools/convert/tfjs/cli.ts [outDir]`
 * (default resources/models). `npm run models` runs them together with the others.
 */
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { faceApiConverter } from './face-api'
import { humanEmotionConverter } from './human'

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? 'resources/models')
  await mkdir(outDir, { recursive: true })
  for (const converter of [faceApiConverter, humanEmotionConverter]) {
    const started = performance.now()
    const records = await converter.convert(outDir)
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    console.log(`${converter.name}: ${records.map((r) => r.file).join(', ')} (${seconds} s) -> ${outDir}`)
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exit(1)
})
