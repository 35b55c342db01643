import { topEmotion } from '../../../src/shared/emotion'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EMOTION_LABELS, type EmotionScores, type Point, type RgbaImage } from '../../../src/shared/vision'
import type { Roi } from '../../../src/engine/ops/image'
import { mirrorNhwc } from '../../../src/engine/tasks/crop-model'
import {
  averageScores,
  EXPRESSION_MODELS,
  ExpressionClassifier,
  emotionScoresFromOutput,
  expressionRoiFromLandmarks,
} from '../../../src/engine/tasks/expression'
import { faceApiConverter } from '../../../tools/convert/tfjs/face-api'
import { humanEmotionConverter } from '../../../tools/convert/tfjs/human'
import { packageDir } from '../../../tools/convert/tfjs/package-dir'

const sample2 = join(packageDir('@vladmandic/face-api'), 'demo', 'sample2.jpg')
// The middle face of face-api's sample2.jpg, found by eye.
const faceRoi: Roi = { cx: 985, cy: 370, width: 240, height: 240, angle: 0 }

async function readRgba(path: string, flop = false): Promise<RgbaImage> {
  const { data, info } = await sharp(path).flop(flop).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }
}

function sum(scores: EmotionScores): number {
  return EMOTION_LABELS.reduce((s, l) => s + scores[l], 0)
}

describe('expression label mapping', () => {
  it('each model reads its outputs in the order its source documents', () => {
    // face-api.js FaceExpressions: neutral, happy, sad, angry, fearful, disgusted, surprised.
    expect(EXPRESSION_MODELS['face-api'].labels).toEqual(['neutral', 'happy', 'sad', 'angry', 'fear', 'disgust', 'surprise'])
    // FER2013 classes 0..6: Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral.
    expect(EXPRESSION_MODELS.fer.labels).toEqual(['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'])
  })

  it('re-keys an output by the given label order', () => {
    const scores = emotionScoresFromOutput([0.1, 0.2, 0.3, 0.05, 0.15, 0.12, 0.08], ['surprise', 'neutral', 'sad', 'fear', 'angry', 'happy', 'disgust'])
    expect(scores).toEqual({ surprise: 0.1, neutral: 0.2, sad: 0.3, fear: 0.05, angry: 0.15, happy: 0.12, disgust: 0.08 })
    expect(topEmotion(scores)).toBe('sad')
  })

  it('rejects an output of the wrong size', () => {
    expect(() => emotionScoresFromOutput([1, 0], EXPRESSION_MODELS.fer.labels)).toThrow()
  })

  it('averages score sets', () => {
    const a = emotionScoresFromOutput([1, 0, 0, 0, 0, 0, 0], EXPRESSION_MODELS.fer.labels)
    const b = emotionScoresFromOutput([0, 0, 0, 1, 0, 0, 0], EXPRESSION_MODELS.fer.labels)
    const mean = averageScores([a, b])
    expect(mean.angry).toBe(0.5)
    expect(mean.happy).toBe(0.5)
    expect(sum(mean)).toBe(1)
  })
})

describe('expressionRoiFromLandmarks', () => {
  it('frames the face like FER: a bit larger than the points, centred above them', () => {
    const points: Point[] = Array.from({ length: 68 }, (_, i): Point => [100 + (i % 10) * 10, 200 + Math.floor(i / 10) * 15])
    points[36] = [110, 230]
    points[45] = [190, 230]
    const roi = expressionRoiFromLandmarks(points)
    // Points span x 100..190 and y 200..290: a 90-px box centred at (145, 245).
    expect(roi.angle).toBeCloseTo(0, 9)
    expect(roi.width).toBeCloseTo(99, 6)
    expect(roi.cx).toBeCloseTo(145, 6)
    expect(roi.cy).toBeLessThan(245)
  })
})

describe('mirrorNhwc', () => {
  it('flips each row left-right and keeps channels together', () => {
    // 2 x 1 pixels, 3 channels.
    const out = mirrorNhwc(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 1, 3, new Float32Array(6))
    expect(Array.from(out)).toEqual([4, 5, 6, 1, 2, 3])
  })
})

describe('ExpressionClassifier', () => {
  let modelDir = ''
  let image: RgbaImage
  let mirrored: RgbaImage

  beforeAll(async () => {
    modelDir = await mkdtemp(join(tmpdir(), 'smilecam-expr-'))
    await faceApiConverter.convert(modelDir)
    await humanEmotionConverter.convert(modelDir)
    image = await readRgba(sample2)
    mirrored = await readRgba(sample2, true)
  })

  afterAll(async () => {
    if (modelDir) await rm(modelDir, { recursive: true, force: true })
  })

  it.each([['fer'], ['face-api']] as const)('%s alone gives probabilities over our seven labels', async (choice) => {
    const classifier = await ExpressionClassifier.create(modelDir, { models: [choice], mirror: false })
    try {
      const scores = await classifier.classify(image, faceRoi)
      expect(Object.keys(scores).sort()).toEqual([...EMOTION_LABELS].sort())
      expect(sum(scores)).toBeCloseTo(1, 5)
    } finally {
      await classifier.close()
    }
  })

  it('the default ensemble is the mean of each model on the crop and on the mirrored crop', async () => {
    const ensemble = await ExpressionClassifier.create(modelDir)
    const singles = await Promise.all(
      (['fer', 'face-api'] as const).map((m) => ExpressionClassifier.create(modelDir, { models: [m], mirror: false }))
    )
    try {
      // The mirrored view equals classifying the mirrored photo with the mirrored ROI.
      const mirroredRoi: Roi = { ...faceRoi, cx: image.width - faceRoi.cx }
      const views = []
      for (const single of singles) {
        views.push(await single.classify(image, faceRoi), await single.classify(mirrored, mirroredRoi))
      }
      const expected = averageScores(views)
      const actual = await ensemble.classify(image, faceRoi)
      for (const label of EMOTION_LABELS) expect(actual[label]).toBeCloseTo(expected[label], 4)
    } finally {
      await ensemble.close()
      await Promise.all(singles.map((s) => s.close()))
    }
  })

  it('fails with MODEL_MISSING when a model file is absent', async () => {
    await expect(ExpressionClassifier.create(join(modelDir, 'nowhere'))).rejects.toMatchObject({ code: 'MODEL_MISSING' })
  })

  it('refuses an empty ROI with a typed error', async () => {
    const classifier = await ExpressionClassifier.create(modelDir, { models: ['fer'] })
    try {
      await expect(classifier.classify(image, { ...faceRoi, width: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    } finally {
      await classifier.close()
    }
  })
})
