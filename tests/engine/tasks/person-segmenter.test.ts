import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PersonSegmenter, probabilitiesToMask } from '../../../src/engine/tasks/person-segmenter'
import { convertMediapipeModels, type ConvertedModels } from '../../tools/tflite/converted-models'
import { loadRgba, SAMPLE_IMAGES } from '../../tools/tflite/sample-images'

describe('probabilitiesToMask', () => {
  it('scales 0..1 to 0..255 and clamps', () => {
    expect(Array.from(probabilitiesToMask(Float32Array.from([0, 0.5, 1, -0.2, 1.3, 0.1]), 3, 2).data)).toEqual([0, 128, 255, 0, 255, 26])
  })
})

describe('PersonSegmenter on converted models', () => {
  let models: ConvertedModels
  beforeAll(async () => {
    models = await convertMediapipeModels()
  })
  afterAll(async () => models?.remove())

  for (const [variant, width, height] of [['general', 256, 256], ['landscape', 256, 144]] as const) {
    it(`${variant}: ${width}x${height} mask covering the people, oriented like the image`, async () => {
      const segmenter = await PersonSegmenter.create(models.dir, variant)
      try {
        const image = await loadRgba(SAMPLE_IMAGES[2], 640)
        const mask = await segmenter.segment(image)
        expect([mask.width, mask.height, mask.data.length]).toEqual([width, height, width * height])
        const personShare = mask.data.filter((v) => v >= 128).length / mask.data.length
        expect(personShare).toBeGreaterThan(0.2)
        expect(personShare).toBeLessThan(0.95)
        // Mirroring the image mirrors the mask (person pixels agree with IoU > 0.85).
        const mirrored = await segmenter.segment(await loadRgba(SAMPLE_IMAGES[2], 640, undefined, (s) => s.flop()))
        let intersection = 0
        let union = 0
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const a = mask.data[y * width + x] >= 128
            const b = mirrored.data[y * width + (width - 1 - x)] >= 128
            if (a && b) intersection++
            if (a || b) union++
          }
        }
        expect(intersection / union).toBeGreaterThan(0.85)
        // A flat grey image holds no person.
        const blank = await segmenter.segment({ width: 64, height: 48, data: new Uint8Array(64 * 48 * 4).fill(200) })
        expect(blank.data.filter((v) => v >= 128).length / blank.data.length).toBeLessThan(0.05)
      } finally {
        await segmenter.close()
      }
    })
  }

  it('row 0 is the top of the image: the people reach the bottom edge (MediaPipe agreement is in tests/tools/tflite)', async () => {
    const segmenter = await PersonSegmenter.create(models.dir)
    try {
      // The three people are cut by the bottom edge of sample 3; a vertically flipped mask would show empty bottom rows.
      const image = await loadRgba(SAMPLE_IMAGES[2], 640)
      const mask = await segmenter.segment(image)
      const topHalf = mask.data.subarray(0, mask.data.length / 2)
      const bottomRowShare = mask.data.subarray(mask.data.length - mask.width).filter((v) => v >= 128).length / mask.width
      expect(bottomRowShare).toBeGreaterThan(0.3)
      expect(topHalf.some((v) => v >= 128)).toBe(true)
    } finally {
      await segmenter.close()
    }
  })
})
