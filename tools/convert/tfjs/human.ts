/**
 * The emotion classifier shipped by @vladmandic/human (models/emotion.json + .bin, a TF.js
 * graph model; oarriaga/face_classification mini-Xception trained on FER-2013), converted
 * with our graph converter.
 *
 * face_emotion.onnx
 *   input  `image`          float32 NHWC [batch,64,64,1]: grey face crop, (luma/255 - 0.5) * 2, i.e. -1..1
 *   output `probabilities`  float32 [batch,7] softmax, FER order: angry, disgust, fear, happy, sad, surprise, neutral
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Converter, ModelRecord } from '../model-record'
import { convertTfGraphModel, readTfGraphModel } from './graph'
import { packageDir, packageInfo } from './package-dir'

const PACKAGE = '@vladmandic/human'
const MODEL_JSON = 'models/emotion.json'
export const FACE_EMOTION_FILE = 'face_emotion.onnx'

export const humanEmotionConverter: Converter = {
  name: 'human-emotion',
  async convert(outDir: string): Promise<ModelRecord[]> {
    const dir = packageDir(PACKAGE)
    const { version, license } = packageInfo(dir)
    const { model, weights } = await readTfGraphModel(join(dir, MODEL_JSON))
    const bytes = convertTfGraphModel(model, weights, { name: 'face_emotion', inputName: 'image', outputName: 'probabilities' })
    await writeFile(join(outDir, FACE_EMOTION_FILE), bytes)
    return [
      {
        file: FACE_EMOTION_FILE,
        sourcePackage: PACKAGE,
        sourceVersion: version,
        sourceFile: `${MODEL_JSON} + models/emotion.bin`,
        license,
        description:
          '7 emotions (mini-Xception, FER-2013). in `image` [N,64,64,1] grey (luma/255-0.5)*2; out `probabilities` [N,7] angry,disgust,fear,happy,sad,surprise,neutral'
      }
    ]
  }
}
