/** The audit's accuracy evals (teeth, smile, emotion), each through the real engine process. */
import { VisionEngine } from '../src/engine'
import type { RgbaImage } from '../src/shared/vision'
import { dataSet } from './data'
import { evalEmotion, formatEmotionReport } from './eval-emotion'
import { runTeethSmileEval } from './eval-teeth-smile'

export async function runAuditEval(task: 'teeth' | 'smile' | 'emotion', modelDir: string): Promise<void> {
  if (task !== 'emotion') {
    await runTeethSmileEval(task, { modelDir })
    return
  }
  const dir = dataSet('emotion')
  if (!dir) return
  const engine = await VisionEngine.create({ modelDir })
  try {
    // FER crops are whole faces: the engine's --assume-face path, as `smilecam analyze --assume-face` runs it.
    const classifier = {
      async classify(image: RgbaImage) {
        const result = await engine.detect(image, { assumeFace: true, expression: true })
        const scores = result.faces[0]?.emotion?.scores
        if (!scores) throw new Error('the engine returned no emotion for an assumed face')
        return scores
      }
    }
    console.log(formatEmotionReport('emotion (FER-2013 PublicTest, targets 7-class >= 65%, sentiment >= 80%)', await evalEmotion(dir, classifier)))
  } finally {
    await engine.close()
  }
}
