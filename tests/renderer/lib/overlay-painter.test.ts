import { describe, expect, it } from 'vitest'
import { emotionCaption, overlayTransform, paintOverlayCanvas } from '../../../src/renderer/src/lib/overlay-painter'
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

describe('paintOverlayCanvas', () => {
  it('sizes the canvas to the view and paints boxes in view pixels, mirrored when asked', () => {
    const ops: string[] = []
    const canvas = { width: 300, height: 150 } as HTMLCanvasElement
    const context = {
      canvas,
      clearRect: (...rect: number[]) => ops.push(`clear ${rect.join(',')}`),
      strokeRect: (...rect: number[]) => ops.push(`box ${rect.join(',')}`),
      fillRect: () => ops.push('point'),
      fillText: () => ops.push('text'),
      measureText: () => ({ width: 10 })
    }
    canvas.getContext = (() => context) as unknown as HTMLCanvasElement['getContext']
    const face = { box: { x: 10, y: 20, width: 30, height: 40 }, landmarks68: [], score: 0.9 }
    paintOverlayCanvas(canvas, { width: 640, height: 480 }, { width: 320, height: 240, faces: [face as never] }, {
      showBoxes: true,
      showLandmarks: false,
      showEmotion: false,
      mirror: true
    })
    expect([canvas.width, canvas.height]).toEqual([640, 480])
    // x: 640 - (10 + 30) * 2 = 560 .. 640 - 10 * 2 = 620; y doubled.
    expect(ops).toEqual(['clear 0,0,640,480', 'box 560,40,60,80'])
  })
})
