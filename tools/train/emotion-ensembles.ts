/**
 * The reported emotion's members are chosen on the validation fold of FER Training: each
 * candidate mean of the engine's nets (mirror-averaged, whole image as the face, as
 * `npm run eval -- emotion` runs them) scored on the fold's images. 'fer' is printed for
 * reference only: it was trained on the whole Training split, so its fold score is not held out.
 */
import { join } from 'node:path'
import { decodeFile } from '../../src/core'
import { ExpressionClassifier, type ExpressionModelChoice } from '../../src/engine'
import { EMOTION_LABELS, type EmotionLabel } from '../../src/shared/vision'

export const ENSEMBLE_CANDIDATES: readonly (readonly ExpressionModelChoice[])[] = [['smilecam'], ['face-api'], ['smilecam', 'face-api'], ['fer'], ['smilecam', 'face-api', 'fer']]

export async function compareEmotionEnsembles(modelDir: string, trainDir: string, files: readonly string[]): Promise<Map<string, number>> {
  const classifier = await ExpressionClassifier.create(modelDir, { models: ['smilecam', 'face-api', 'fer'] })
  const correct = new Map(ENSEMBLE_CANDIDATES.map((c) => [c.join(' + '), 0]))
  try {
    for (const file of files) {
      const truth = file.split('/')[0] as EmotionLabel
      const { image } = await decodeFile(join(trainDir, file))
      const byModel = await classifier.classifyEach(image, { cx: image.width / 2, cy: image.height / 2, width: image.width, height: image.height, angle: 0 }, true)
      for (const members of ENSEMBLE_CANDIDATES) {
        const mean = (label: EmotionLabel) => members.reduce((s, m) => s + (byModel.get(m)?.[label] ?? 0), 0)
        const predicted = EMOTION_LABELS.reduce((best, label) => (mean(label) > mean(best) ? label : best))
        const key = members.join(' + ')
        if (predicted === truth) correct.set(key, (correct.get(key) ?? 0) + 1)
      }
    }
  } finally {
    await classifier.close()
  }
  return new Map([...correct].map(([k, n]) => [k, n / files.length]))
}
