/** Converts the MediaPipe models into a temporary directory for tests (about a second). */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ModelRecord } from '../../../tools/convert/model-record'
import { mediapipeConverter } from '../../../tools/convert/tflite/mediapipe'

export interface ConvertedModels {
  dir: string
  records: ModelRecord[]
  seconds: number
  remove(): Promise<void>
}

export async function convertMediapipeModels(): Promise<ConvertedModels> {
  const dir = await mkdtemp(join(tmpdir(), 'smilecam-mediapipe-'))
  const started = performance.now()
  const records = await mediapipeConverter.convert(dir)
  return { dir, records, seconds: (performance.now() - started) / 1000, remove: () => rm(dir, { recursive: true, force: true }) }
}
