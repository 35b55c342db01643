/** The converter on the real @mediapipe/* packages: files, provenance, I/O contract, determinism. */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MEDIAPIPE_MODELS } from '../../../tools/convert/tflite/mediapipe'
import { readTfliteModel } from '../../../tools/convert/tflite/schema'
import { convertMediapipeModels, type ConvertedModels } from './converted-models'

/** The public contract of each file: NHWC input "input", named outputs with TFLite's shapes. */
const CONTRACT: Record<string, { input: number[]; outputs: Record<string, number[]> }> = {
  'face_detection_short_range.onnx': { input: [1, 128, 128, 3], outputs: { regressors: [1, 896, 16], classificators: [1, 896, 1] } },
  'face_detection_full_range.onnx': { input: [1, 192, 192, 3], outputs: { regressors: [1, 2304, 16], classificators: [1, 2304, 1] } },
  'face_landmark_468.onnx': { input: [1, 192, 192, 3], outputs: { landmarks: [1, 1, 1, 1404], face_flag: [1, 1, 1, 1] } },
  'selfie_segmentation.onnx': { input: [1, 256, 256, 3], outputs: { mask: [1, 256, 256, 1] } },
  'selfie_segmentation_landscape.onnx': { input: [1, 144, 256, 3], outputs: { mask: [1, 144, 256, 1] } }
}

async function packageVersion(name: string): Promise<string> {
  return (JSON.parse(await readFile(join('node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
}

describe('mediapipe converter', () => {
  let converted: ConvertedModels
  beforeAll(async () => {
    converted = await convertMediapipeModels()
  })
  afterAll(async () => converted?.remove())

  it('writes every model, with provenance read from the packages', async () => {
    expect(converted.records.map((r) => r.file).sort()).toEqual(Object.keys(CONTRACT).sort())
    for (const record of converted.records) {
      expect(record.sourceVersion).toBe(await packageVersion(record.sourcePackage))
      expect(record.license).toBe('Apache-2.0')
    }
  })

  it('extracts face_landmark.tflite from the packed assets at the loader-listed range', async () => {
    const model = MEDIAPIPE_MODELS.find((m) => m.file === 'face_landmark_468.onnx')
    expect(model).toBeDefined()
    const bytes = await model!.read(join('node_modules', '@mediapipe/face_mesh'))
    const tflite = readTfliteModel(bytes)
    expect(tflite.tensors[tflite.inputs[0]].shape).toEqual([1, 192, 192, 3])
    expect(tflite.outputs.map((i) => tflite.tensors[i].shape)).toEqual([[1, 1, 1, 1404], [1, 1, 1, 1]])
  })

  for (const [file, contract] of Object.entries(CONTRACT)) {
    it(`${file}: NHWC input, named outputs, deterministic`, async () => {
      const session = await ort.InferenceSession.create(join(converted.dir, file))
      try {
        expect(session.inputNames).toEqual(['input'])
        const meta = session.inputMetadata[0]
        expect(meta.isTensor && meta.shape).toEqual(contract.input)
        expect([...session.outputNames].sort()).toEqual(Object.keys(contract.outputs).sort())
        const size = contract.input.reduce((a, b) => a * b, 1)
        const input = Float32Array.from({ length: size }, (_, i) => ((i * 7919) % 255) / 255)
        const first = await session.run({ input: new ort.Tensor('float32', input, contract.input) })
        const second = await session.run({ input: new ort.Tensor('float32', input, contract.input) })
        for (const [name, dims] of Object.entries(contract.outputs)) {
          expect(first[name].dims).toEqual(dims)
          const values = first[name].data as Float32Array
          expect(values.every(Number.isFinite)).toBe(true)
          expect(Array.from(second[name].data as Float32Array)).toEqual(Array.from(values))
        }
      } finally {
        await session.release()
      }
    })
  }

  it('produces byte-identical files on every run', async () => {
    const again = await convertMediapipeModels()
    try {
      for (const { file } of converted.records) {
        const [a, b] = await Promise.all([readFile(join(converted.dir, file)), readFile(join(again.dir, file))])
        expect(a.equals(b), file).toBe(true)
      }
    } finally {
      await again.remove()
    }
  })
})
