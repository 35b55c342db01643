/**
 * Converts the MediaPipe models shipped in the @mediapipe/* npm packages to ONNX.
 * face_landmark.tflite is not a separate file in @mediapipe/face_mesh: it sits in
 * a packed .data bundle whose byte ranges are listed in the loader script.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Converter, ModelRecord } from '../model-record'
import { convertTflite, type ConvertOptions } from './convert'

const LICENSE = 'Apache-2.0'

interface MediapipeModel {
  file: string
  sourcePackage: string
  /** File inside the package, or `bundle.data#inner/path` for packed assets. */
  sourceFile: string
  description: string
  options: ConvertOptions
  read(packageDir: string): Promise<Uint8Array>
}

interface PackedAsset {
  filename: string
  start: number
  end: number
}

/** Reads the `loadPackage({"files": [...]})` metadata from an Emscripten packed-assets loader script. */
export function parsePackedAssetsLoader(script: string): PackedAsset[] {
  const match = /loadPackage\((\{"files":[\s\S]*?\})\);/.exec(script)
  if (!match) throw new Error('packed assets loader: no loadPackage({...}) metadata found')
  const metadata = JSON.parse(match[1]) as { files?: PackedAsset[] }
  if (!Array.isArray(metadata.files)) throw new Error('packed assets loader: metadata has no files list')
  return metadata.files
}

async function readPackedAsset(packageDir: string, loader: string, bundle: string, baseName: string): Promise<Uint8Array> {
  const files = parsePackedAssetsLoader(await readFile(join(packageDir, loader), 'utf8'))
  const entry = files.find((f) => f.filename.split('/').pop() === baseName)
  if (!entry) throw new Error(`${loader}: no ${baseName} in the packed assets`)
  const data = await readFile(join(packageDir, bundle))
  if (entry.end > data.length || entry.start >= entry.end) throw new Error(`${bundle}: byte range of ${baseName} is out of bounds`)
  return new Uint8Array(data.buffer, data.byteOffset + entry.start, entry.end - entry.start)
}

async function readPlain(packageDir: string, file: string): Promise<Uint8Array> {
  const data = await readFile(join(packageDir, file))
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

const FACE_DETECTION = '@mediapipe/face_detection'
const FACE_MESH = '@mediapipe/face_mesh'
const SELFIE = '@mediapipe/selfie_segmentation'
const DETECTOR_OUTPUTS = ['regressors', 'classificators']

export const MEDIAPIPE_MODELS: readonly MediapipeModel[] = [
  {
    file: 'face_detection_short_range.onnx',
    sourcePackage: FACE_DETECTION,
    sourceFile: 'face_detection_short_range.tflite',
    description:
      'BlazeFace short range. input [1,128,128,3] NHWC RGB in [-1,1]; regressors [1,896,16] (box + 6 keypoints, input pixels relative to anchors), classificators [1,896,1] logits',
    options: { graphName: 'face_detection_short_range', outputNames: DETECTOR_OUTPUTS },
    read: (dir) => readPlain(dir, 'face_detection_short_range.tflite')
  },
  {
    file: 'face_detection_full_range.onnx',
    sourcePackage: FACE_DETECTION,
    sourceFile: 'face_detection_full_range.tflite',
    description:
      'BlazeFace full range. input [1,192,192,3] NHWC RGB in [-1,1]; regressors [1,2304,16], classificators [1,2304,1] logits',
    options: { graphName: 'face_detection_full_range', outputNames: DETECTOR_OUTPUTS },
    read: (dir) => readPlain(dir, 'face_detection_full_range.tflite')
  },
  {
    file: 'face_landmark_468.onnx',
    sourcePackage: FACE_MESH,
    sourceFile: 'face_mesh_solution_packed_assets.data#face_landmark.tflite',
    description:
      'Face mesh. input [1,192,192,3] NHWC RGB in [0,1]; landmarks [1,1,1,1404] (468 x y z in input pixels), face_flag [1,1,1,1] presence logit',
    options: { graphName: 'face_landmark_468', outputNames: ['landmarks', 'face_flag'] },
    read: (dir) => readPackedAsset(dir, 'face_mesh_solution_packed_assets_loader.js', 'face_mesh_solution_packed_assets.data', 'face_landmark.tflite')
  },
  {
    file: 'selfie_segmentation.onnx',
    sourcePackage: SELFIE,
    sourceFile: 'selfie_segmentation.tflite',
    description: 'Selfie segmentation (general). input [1,256,256,3] NHWC RGB in [0,1]; mask [1,256,256,1] person probability 0..1',
    options: { graphName: 'selfie_segmentation', outputNames: ['mask'] },
    read: (dir) => readPlain(dir, 'selfie_segmentation.tflite')
  },
  {
    file: 'selfie_segmentation_landscape.onnx',
    sourcePackage: SELFIE,
    sourceFile: 'selfie_segmentation_landscape.tflite',
    description: 'Selfie segmentation (landscape). input [1,144,256,3] NHWC RGB in [0,1]; mask [1,144,256,1] person probability 0..1',
    options: { graphName: 'selfie_segmentation_landscape', outputNames: ['mask'] },
    read: (dir) => readPlain(dir, 'selfie_segmentation_landscape.tflite')
  }
]

/** The installed package's directory and version. */
async function packageInfo(name: string): Promise<{ dir: string; version: string }> {
  const require = createRequire(import.meta.url)
  const manifestPath = require.resolve(`${name}/package.json`)
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { version?: string }
  if (!manifest.version) throw new Error(`${name}: package.json has no version`)
  return { dir: dirname(manifestPath), version: manifest.version }
}

export const mediapipeConverter: Converter = {
  name: 'mediapipe (tflite)',
  async convert(outDir: string): Promise<ModelRecord[]> {
    const records: ModelRecord[] = []
    for (const model of MEDIAPIPE_MODELS) {
      const { dir, version } = await packageInfo(model.sourcePackage)
      const onnx = convertTflite(await model.read(dir), {
        ...model.options,
        docString: `${model.description}. Converted from ${model.sourcePackage}@${version} ${model.sourceFile}`
      })
      await writeFile(join(outDir, model.file), onnx)
      records.push({
        file: model.file,
        sourcePackage: model.sourcePackage,
        sourceVersion: version,
        sourceFile: model.sourceFile,
        license: LICENSE,
        description: model.description
      })
    }
    return records
  }
}
