import { describe, expect, it } from 'vitest'
import { emotionCaption, overlayTransform } from '../../../src/renderer/src/lib/overlay-painter'
import { EMOTION_LABELS, type EmotionScores } from '../../../src/shared/vision'

describe('overlay transform', () => {
  it('scales engine coordinates to the overlay and mirrors x when asked', () => {
    const plain = overlayTransform({ width: 320, height: 240 }, { width: 640, height: 480 }, false)
    expect(plain([10, 20])).toEqual([20, 40])
    const mirrored = overlayTransform({ width: 320, height: 240 }, { width: 640, height: 480 }, true)
    expect(mirrored([10, 20])).toEqual([620, 40])
    expect(mirrored([320, 0])).toEqual([0, 0])
  })
})

describe('emotionCaption', () => {
  it('label with its percentage, or null without the expression stage', () => {
    const scores = Object.fromEntries(EMOTION_LABELS.map((label) => [label, 0.01])) as EmotionScores
    scores.happy = 0.874
    expect(emotionCaption({ emotion: { label: 'happy', scores } })).toBe('happy 87%')
    expect(emotionCaption({})).toBeNull()
  })
})
