/**
 * Runs the product engine over labelled photos and writes what the learned decisions train on:
 * for the face the audit picks, the three expression nets' probabilities (mirror-averaged), the
 * 68 points, MAR, EAR and the inner-mouth appearance. One JSON object per line.
 * With `cropsFile`, also the grey face crop the smile net sees (SMILE_NET_SIZE² bytes of luma
 * per line, zeros where no face was found), for training that net.
 */
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { decodeFile, detectFaces } from '../../src/core'
import { cropToTensor, ExpressionClassifier, EXPRESSION_MODELS_RUN, expressionRoiFromLandmarks, FacePipeline, SMILE_NET_SIZE } from '../../src/engine'
import { DEFAULT_VISION_OPTIONS, type EmotionScores, type InnerMouthAppearance, type Point } from '../../src/shared/vision'

export interface LabelledPhoto {
  /** Path relative to the data folder. */
  file: string
  label: 0 | 1
}

export interface FaceFeatures {
  file: string
  label: 0 | 1
  face: null | {
    expressions: Record<string, EmotionScores>
    landmarks68: Point[]
    mar: number
    ear: number
    innerMouth?: InnerMouthAppearance
  }
}

/** smile/ and no_smile/ folders: the folder is the label. */
export async function folderLabelledPhotos(dir: string, positive: string, negative: string): Promise<LabelledPhoto[]> {
  const photos: LabelledPhoto[] = []
  for (const [folder, label] of [
    [positive, 1],
    [negative, 0]
  ] as const) {
    const files = (await readdir(join(dir, folder))).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort()
    photos.push(...files.map((f) => ({ file: `${folder}/${f}`, label })))
  }
  return photos
}

/** headshots/labels.csv: file,teeth,... */
export async function csvLabelledPhotos(csvPath: string, column: string): Promise<LabelledPhoto[]> {
  const [header, ...rows] = (await readFile(csvPath, 'utf8')).trim().split(/\r?\n/)
  const index = header.split(',').indexOf(column)
  return rows.map((row) => {
    const cells = row.split(',')
    return { file: cells[0], label: cells[index] === '1' ? 1 : 0 }
  })
}

export async function extractFaceFeatures(modelDir: string, dataDir: string, photos: readonly LabelledPhoto[], outFile: string, cropsFile?: string): Promise<void> {
  const pipeline = await FacePipeline.create(modelDir, { ...DEFAULT_VISION_OPTIONS })
  const classifier = await ExpressionClassifier.create(modelDir, { models: EXPRESSION_MODELS_RUN })
  await writeFile(outFile, '')
  if (cropsFile) await writeFile(cropsFile, '')
  const crop = new Float32Array(SMILE_NET_SIZE * SMILE_NET_SIZE)
  const started = performance.now()
  try {
    for (const [i, photo] of photos.entries()) {
      const decoded = await decodeFile(join(dataDir, photo.file))
      const { face } = await detectFaces(pipeline, decoded.image)
      let line: FaceFeatures = { ...photo, face: null }
      crop.fill(0)
      if (face) {
        const roi = expressionRoiFromLandmarks(face.landmarks68)
        if (cropsFile) cropToTensor(decoded.image, roi, SMILE_NET_SIZE, SMILE_NET_SIZE, { mean: 0, scale: 1, grayscale: true }, crop)
        const byModel = await classifier.classifyEach(decoded.image, roi, true)
        line = {
          ...photo,
          face: { expressions: Object.fromEntries(byModel), landmarks68: face.landmarks68, mar: face.mar, ear: face.ear, innerMouth: face.innerMouth }
        }
      }
      await appendFile(outFile, `${JSON.stringify(line)}\n`)
      if (cropsFile) await appendFile(cropsFile, Uint8Array.from(crop, (v) => Math.round(v)))
      if ((i + 1) % 500 === 0) console.log(`  ${i + 1}/${photos.length} photos, ${((performance.now() - started) / (i + 1)).toFixed(0)} ms each`)
    }
  } finally {
    await classifier.close()
    await pipeline.close()
  }
}
