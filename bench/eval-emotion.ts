/**
 * 7-class and 3-way sentiment accuracy of an emotion classifier on FER-2013 style
 * folders (../shared/data/emotion/<label>/*.png; each image is a whole face).
 *
 *   npx tsx bench/eval-emotion.ts [dataDir] [--model ensemble|fer|face-api|all] [--no-mirror] [--via-landmarks] [--limit N]
 *
 * --via-landmarks: crop as the photo pipeline does (68 points first, then expressionRoiFromLandmarks)
 * instead of using the whole image as the face.
 */
import { readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { decodeFile } from '../src/core'
import { EMOTION_LABELS, type EmotionLabel, type EmotionScores, type RgbaImage } from '../src/shared/vision'
import { ExpressionClassifier, expressionRoiFromLandmarks, FaceLandmarks68, type ExpressionModelChoice, type Roi } from '../src/engine'
import { sentimentOfLabel, sentimentOfScores, topEmotion } from '../src/shared/emotion'

export interface EmotionClassifierLike {
  classify(image: RgbaImage, roi: Roi): Promise<EmotionScores>
}

export interface EmotionReport {
  images: number
  accuracy: number
  sentimentAccuracy: number
  /** Rows = true label, columns = predicted label, both in EMOTION_LABELS order. */
  confusion: number[][]
  /** Recall per true label. */
  perClassRecall: Record<EmotionLabel, number>
}

/** Evaluates `classifier` on every image of dataDir/<label>/ (the whole image is the face). */
export async function evalEmotion(
  dataDir: string,
  classifier: EmotionClassifierLike,
  limitPerClass = Infinity,
  faceRoi: (image: RgbaImage) => Promise<Roi> = async (image) => ({
    cx: image.width / 2,
    cy: image.height / 2,
    width: image.width,
    height: image.height,
    angle: 0
  })
): Promise<EmotionReport> {
  const confusion = EMOTION_LABELS.map(() => EMOTION_LABELS.map(() => 0))
  let images = 0
  let correct = 0
  let sentimentCorrect = 0
  for (const [row, truth] of EMOTION_LABELS.entries()) {
    const files = (await readdir(join(dataDir, truth)).catch(() => [] as string[])).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort()
    for (const file of files.slice(0, limitPerClass)) {
      const { image } = await decodeFile(join(dataDir, truth, file))
      const scores = await classifier.classify(image, await faceRoi(image))
      const predicted = topEmotion(scores)
      confusion[row][EMOTION_LABELS.indexOf(predicted)]++
      images++
      if (predicted === truth) correct++
      // The product's sentiment: summed class probabilities, as the engine reports it.
      if (sentimentOfScores(scores) === sentimentOfLabel(truth)) sentimentCorrect++
    }
  }
  const perClassRecall = Object.fromEntries(
    EMOTION_LABELS.map((label, i) => {
      const total = confusion[i].reduce((a, b) => a + b, 0)
      return [label, total ? confusion[i][i] / total : NaN]
    })
  ) as Record<EmotionLabel, number>
  return { images, accuracy: correct / images, sentimentAccuracy: sentimentCorrect / images, confusion, perClassRecall }
}

export function formatEmotionReport(name: string, report: EmotionReport): string {
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`
  const header = `${'true \\ predicted'.padEnd(17)}${EMOTION_LABELS.map((l) => l.slice(0, 8).padStart(9)).join('')}   recall`
  const rows = EMOTION_LABELS.map(
    (label, i) => `${label.padEnd(17)}${report.confusion[i].map((n) => String(n).padStart(9)).join('')}   ${pct(report.perClassRecall[label])}`
  )
  return [
    `${name}: ${report.images} images, 7-class accuracy ${pct(report.accuracy)}, sentiment accuracy ${pct(report.sentimentAccuracy)}`,
    header,
    ...rows
  ].join('\n')
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name)
    return i >= 0 ? args[i + 1] : undefined
  }
  const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')))
  const dataDir = resolve(positional[0] ?? '../shared/data/emotion')
  const modelDir = resolve(process.env.SMILECAM_MODEL_DIR ?? 'resources/models')
  const limit = Number(option('--limit') ?? Infinity)
  if ((await readdir(dataDir).catch(() => [])).length === 0) {
    console.log(`eval-emotion: skipped, ${dataDir} not found`)
    return
  }
  const which = option('--model') ?? 'ensemble'
  const mirror = !args.includes('--no-mirror')
  const runs: ExpressionModelChoice[][] =
    which === 'all' ? [['fer', 'face-api'], ['fer'], ['face-api']] : which === 'ensemble' ? [['fer', 'face-api']] : [[which as ExpressionModelChoice]]
  const landmarks = args.includes('--via-landmarks') ? await FaceLandmarks68.create(modelDir) : null
  // The landmark net wants margin around the face, so the 48-px crop is padded to 1.3x.
  const viaLandmarks = async (image: RgbaImage): Promise<Roi> => {
    const side = Math.max(image.width, image.height) * 1.3
    const padded = { cx: image.width / 2, cy: image.height / 2, width: side, height: side, angle: 0 }
    return expressionRoiFromLandmarks(await (landmarks as FaceLandmarks68).estimate(image, padded))
  }
  try {
    for (const models of runs) {
      const classifier = await ExpressionClassifier.create(modelDir, { models, mirror })
      try {
        const name = `${models.join(' + ')}${mirror ? ' (+ mirrored crop)' : ''}${landmarks ? ', crop from 68 points' : ', whole image'}`
        console.log(formatEmotionReport(name, await evalEmotion(dataDir, classifier, limit, landmarks ? viaLandmarks : undefined)))
      } finally {
        await classifier.close()
      }
    }
  } finally {
    await landmarks?.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
