/** Video sessions on the real (converted) models: detect once, then follow with the mesh alone. */
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VideoFaceTracker, boxIou } from '../../src/engine/ops/tracker'
import { FacePipeline, REDETECT_EVERY_FRAMES } from '../../src/engine/pipeline'
import { DEFAULT_VISION_OPTIONS, type RgbaImage } from '../../src/shared/vision'
import { convertMediapipeModels, type ConvertedModels } from '../tools/tflite/converted-models'
import { loadRgba, SAMPLE_IMAGES } from '../tools/tflite/sample-images'

const FRAMES = 2 * REDETECT_EVERY_FRAMES + 3

/** A slow pan across a photo, as a webcam would see it: 384x288 frames. */
async function panFrames(): Promise<RgbaImage[]> {
  const photo = await loadRgba(SAMPLE_IMAGES[0], 640)
  const raw = { raw: { width: photo.width, height: photo.height, channels: 4 as const } }
  const height = Math.min(420, photo.height)
  const frames: RgbaImage[] = []
  for (let i = 0; i < FRAMES; i++) {
    const { data, info } = await sharp(photo.data, raw)
      .extract({ left: 20 + 2 * i, top: Math.round((photo.height - height) / 2), width: 560, height })
      .resize(384, 288, { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true })
    frames.push({ width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) })
  }
  return frames
}

describe('FacePipeline video sessions', () => {
  let models: ConvertedModels
  let pipeline: FacePipeline
  let frames: RgbaImage[]
  beforeAll(async () => {
    models = await convertMediapipeModels()
    pipeline = await FacePipeline.create(models.dir, { ...DEFAULT_VISION_OPTIONS, detector: 'short', maxFaces: 1 })
    frames = await panFrames()
  }, 60_000)
  afterAll(async () => {
    await pipeline?.close()
    await models?.remove()
  })

  it('runs the detector only to acquire and every REDETECT_EVERY_FRAMES frames; tracked boxes stay on the face', async () => {
    const tracker = new VideoFaceTracker()
    const detectedFrames: number[] = []
    for (const [i, frame] of frames.entries()) {
      const result = await pipeline.detect(frame, {}, 1000 + 33 * i, tracker)
      expect(result.faces).toHaveLength(1)
      if (result.timings.detectMs > 0) detectedFrames.push(i)
      else {
        // The box placed from the mesh matches what the detector says on this very frame.
        const still = await pipeline.detect(frame, { landmarkModel: 'mesh', detector: 'short' })
        expect(boxIou(result.faces[0].box, still.faces[0].box)).toBeGreaterThan(0.7)
      }
    }
    expect(detectedFrames).toEqual([0, REDETECT_EVERY_FRAMES, 2 * REDETECT_EVERY_FRAMES])
  }, 60_000)

  it('keeps streams apart (each session acquires its own face) and re-detects after a loss', async () => {
    const a = new VideoFaceTracker()
    const b = new VideoFaceTracker()
    expect((await pipeline.detect(frames[0], {}, 1000, a)).timings.detectMs).toBeGreaterThan(0)
    expect((await pipeline.detect(frames[1], {}, 1033, a)).timings.detectMs).toBe(0)
    // b has seen nothing yet: it must detect even though a is tracking.
    expect((await pipeline.detect(frames[1], {}, 1033, b)).timings.detectMs).toBeGreaterThan(0)
    const blank = { width: 384, height: 288, data: new Uint8Array(384 * 288 * 4).fill(128) }
    const lost = await pipeline.detect(blank, {}, 1066, a)
    expect(lost.faces).toHaveLength(0)
    expect(lost.timings.detectMs).toBeGreaterThan(0)
    const back = await pipeline.detect(frames[2], {}, 1100, a)
    expect(back.faces).toHaveLength(1)
    expect(back.timings.detectMs).toBeGreaterThan(0)
  }, 60_000)
})
