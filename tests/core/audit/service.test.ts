import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { detectFaces, RETRY_DETECTIONS, RETRY_TURNS } from '../../../src/core/audit/detect'
import { createAuditService, type AuditEngine } from '../../../src/core/audit/service'
import type { AuditProgress } from '../../../src/shared/audit'
import type { FaceResult, RgbaImage, VisionOptions, VisionResult } from '../../../src/shared/vision'
import { syntheticFace } from './synthetic-face'

/** An engine that returns fixed faces and a person mask covering the middle third, and records its calls. */
function fakeEngine(faces: (image: RgbaImage) => FaceResult[]): AuditEngine & { calls: Array<Partial<VisionOptions> | undefined> } {
  const calls: Array<Partial<VisionOptions> | undefined> = []
  return {
    calls,
    async detect(image, overrides): Promise<VisionResult> {
      calls.push(overrides)
      const mask = new Uint8Array(9)
      mask[1] = mask[4] = mask[7] = 255
      return {
        width: image.width,
        height: image.height,
        faces: faces(image),
        personMask: overrides?.personMask ? { width: 3, height: 3, data: mask } : undefined,
        timings: { detectMs: 1, landmarksMs: 1, expressionMs: 1, segmentMs: 1, totalMs: 4 }
      }
    }
  }
}

async function photo(width = 300, height = 300): Promise<Uint8Array> {
  const data = await sharp({ create: { width, height, channels: 3, background: { r: 30, g: 90, b: 200 } } })
    .jpeg()
    .toBuffer()
  return new Uint8Array(data)
}

const smilingFace = (image: RgbaImage): FaceResult[] => [
  syntheticFace({ cx: image.width / 2, cy: image.height / 2, scale: image.width / 5 }, { label: 'sad', score: 0.6 }),
  syntheticFace({ cx: image.width / 2, cy: image.height / 2, scale: image.width / 3, mouthGap: 0.08 }, { label: 'happy', score: 0.9 })
]

describe('createAuditService', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smilecam-audit-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('audits the largest face with expression and mask overrides, reporting progress in order', async () => {
    const engine = fakeEngine(smilingFace)
    let clock = 0
    const service = createAuditService({ engine, now: () => (clock += 10) })
    const steps: AuditProgress[] = []
    const report = await service.run({ kind: 'bytes', name: 'me.jpg', data: await photo() }, {}, (p) => steps.push(p))
    expect(engine.calls[0]).toMatchObject({ expression: true, personMask: true })
    expect(report).toMatchObject({ source: 'me.jpg', width: 300, height: 300, faceCount: 2 })
    expect(report.face?.emotion?.label).toBe('happy')
    expect(report.checks?.sentiment.smiling).toBe(true)
    expect(report.checks?.teeth.teethVisible).toBe(true)
    expect(report.faceOutline?.length).toBeGreaterThan(17)
    expect(report.verdict).toMatch(/2 faces found; the largest was audited/)
    expect(steps.map((s) => s.step)).toEqual(['decode', 'detect', 'checks', 'render', 'done'])
    const fractions = steps.map((s) => s.fraction)
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions)
    // A clock that advances 10 ms per reading: each stage is read twice, the total around them.
    expect(report.timings).toMatchObject({ decodeMs: 10, detectMs: 10, checksMs: 10, renderMs: 10, totalMs: 90, 'engine.totalMs': 4 })
    service.close()
  })

  it('says "No face found" and still renders images when there is no face', async () => {
    const service = createAuditService({ engine: fakeEngine(() => []) })
    const report = await service.run({ kind: 'bytes', name: 'wall.jpg', data: await photo() })
    expect(report.faceCount).toBe(0)
    expect(report.checks).toBeUndefined()
    expect(report.verdict).toMatch(/^No face found — /)
    const annotated = await service.image(report.id, 'annotated')
    expect(annotated).toMatchObject({ mimeType: 'image/jpeg', width: 300, height: 300 })
    service.close()
  })

  it('re-blurs, serves images and saves without overwriting', async () => {
    const service = createAuditService({ engine: fakeEngine(smilingFace) })
    const report = await service.run({ kind: 'bytes', name: 'me.jpg', data: await photo() })
    const original = await service.image(report.id, 'original')
    expect((await sharp(original.data).metadata()).width).toBe(300)
    const faceOnly = await service.blur(report.id, 'face', 0.9)
    expect(faceOnly.mimeType).toBe('image/jpeg')
    expect(report.checks?.blur).toMatchObject({ mode: 'face', strength: 0.9 })

    const first = await service.save(report.id, 'blurred', dir)
    const second = await service.save(report.id, 'blurred', dir)
    expect(first).toBe(join(dir, 'me-blurred.jpg'))
    expect(second).toBe(join(dir, 'me-blurred-1.jpg'))
    expect(Buffer.compare(await readFile(second), Buffer.from(faceOnly.data))).toBe(0)
    const reportPath = await service.save(report.id, 'report', dir)
    expect(JSON.parse(await readFile(reportPath, 'utf8')).id).toBe(report.id)
    await service.save(report.id, 'annotated', dir)
    expect((await readdir(dir)).sort()).toEqual(['me-annotated.jpg', 'me-blurred-1.jpg', 'me-blurred.jpg', 'me-report.json'])
    // A fresh install has no captures folder yet: Save creates it.
    expect(await service.save(report.id, 'report', join(dir, 'missing', 'Smilecam'))).toBe(join(dir, 'missing', 'Smilecam', 'me-report.json'))
    service.close()
  })

  it('bounds the audits kept in memory by bytes: many small ones fit, large ones push the oldest out', async () => {
    // 120×120 RGBA = 57.6 KB decoded; 600×600 = 1.44 MB. Budget 1 MB.
    const service = createAuditService({ engine: fakeEngine(smilingFace), cacheBytes: 1024 * 1024 })
    const small = await photo(120, 120)
    const smalls = []
    for (let i = 0; i < 5; i++) smalls.push(await service.run({ kind: 'bytes', name: `s${i}.jpg`, data: small }))
    for (const report of smalls) await expect(service.image(report.id, 'original')).resolves.toMatchObject({ width: 120 })
    // One large audit is over the budget on its own: it stays (it is the latest), everything older goes.
    const large = await service.run({ kind: 'bytes', name: 'large.jpg', data: await photo(600, 600) })
    await expect(service.image(large.id, 'original')).resolves.toMatchObject({ width: 600 })
    for (const report of smalls) await expect(service.image(report.id, 'original')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    const next = await service.run({ kind: 'bytes', name: 'next.jpg', data: small })
    await expect(service.image(large.id, 'original')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(service.save(next.id, 'report', dir)).resolves.toMatch(/next-report\.json$/)
    service.close()
  })

  it('keeps only the most recent audits and refuses calls after close', async () => {
    const service = createAuditService({ engine: fakeEngine(smilingFace), cacheBytes: 1 })
    const bytes = await photo(120, 120)
    const a = await service.run({ kind: 'bytes', name: 'a.jpg', data: bytes })
    const b = await service.run({ kind: 'bytes', name: 'b.jpg', data: bytes })
    await expect(service.image(a.id, 'original')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(service.image(b.id, 'original')).resolves.toMatchObject({ width: 120 })
    service.close()
    await expect(service.image(b.id, 'original')).rejects.toMatchObject({ code: 'ENGINE_CLOSED' })
    await expect(service.run({ kind: 'bytes', name: 'b.jpg', data: bytes })).rejects.toMatchObject({ code: 'ENGINE_CLOSED' })
  })

  it('reads files through readFile, URLs through fetchUrl, and refuses URLs without it', async () => {
    const bytes = await photo(100, 100)
    const paths: string[] = []
    const urls: string[] = []
    const service = createAuditService({
      engine: fakeEngine(() => []),
      readFile: async (path) => {
        paths.push(path)
        return bytes
      },
      fetchUrl: async (url, onProgress) => {
        urls.push(url)
        onProgress({ step: 'download', fraction: 0.1, message: 'Downloading' })
        return { bytes, name: 'https://www.linkedin.com/in/jane/' }
      }
    })
    const fromFile = await service.run({ kind: 'file', path: '/photos/me.png' })
    expect(fromFile.source).toBe('me.png')
    expect(paths).toEqual(['/photos/me.png'])
    const steps: string[] = []
    const fromUrl = await service.run({ kind: 'url', url: 'https://www.linkedin.com/in/jane' }, {}, (p) => steps.push(p.step))
    expect(fromUrl.source).toBe('https://www.linkedin.com/in/jane/')
    expect(steps.slice(0, 3)).toEqual(['fetch', 'download', 'decode'])
    service.close()

    const offline = createAuditService({ engine: fakeEngine(() => []) })
    await expect(offline.run({ kind: 'url', url: 'https://example.com/a.jpg' })).rejects.toMatchObject({ code: 'INVALID_URL' })
  })

  it('looks again at a lower threshold when no face is found, accepting only faces on the person', async () => {
    const image: RgbaImage = { width: 300, height: 300, data: new Uint8Array(300 * 300 * 4) }
    // The fake mask covers the middle column (x 100..200).
    const onPerson = syntheticFace({ cx: 150, cy: 150, scale: 30 })
    const offPerson = syntheticFace({ cx: 40, cy: 150, scale: 30 })
    const lowScoreOnly = (faces: FaceResult[]): AuditEngine & { calls: Array<Partial<VisionOptions> | undefined> } => {
      const engine = fakeEngine(() => faces)
      const detect = engine.detect.bind(engine)
      engine.detect = async (img, overrides) => {
        const result = await detect(img, overrides)
        return (overrides?.minDetectionScore ?? 0.5) < 0.5 ? result : { ...result, faces: [] }
      }
      return engine
    }
    const rescued = lowScoreOnly([offPerson, onPerson])
    const found = await detectFaces(rescued, image)
    expect(rescued.calls.map((c) => c?.minDetectionScore)).toEqual([undefined, RETRY_DETECTIONS[0].minDetectionScore])
    expect(rescued.calls[1]).toMatchObject({ expression: true, personMask: true, detector: 'full' })
    expect(found.face).toBe(onPerson)
    expect(found.faces).toEqual([onPerson])
    expect(found.vision.faces).toEqual([onPerson])

    const patternsEngine = lowScoreOnly([offPerson])
    const patternsOnly = await detectFaces(patternsEngine, image)
    expect(patternsEngine.calls).toHaveLength(1 + RETRY_DETECTIONS.length + RETRY_TURNS.length)
    expect(patternsOnly.face).toBeUndefined()
    expect(patternsOnly.faces).toEqual([])

    const firstTime = fakeEngine(() => [onPerson])
    await detectFaces(firstTime, image)
    expect(firstTime.calls).toHaveLength(1)

    // analyze asks for no mask; its retries compute one, so it finds the faces the audit finds.
    const analyzeLike = lowScoreOnly([offPerson, onPerson])
    const analyzed = await detectFaces(analyzeLike, image, { expression: true })
    expect(analyzeLike.calls[0]).toEqual({ expression: true })
    expect(analyzeLike.calls[1]).toMatchObject({ personMask: true, detector: 'full' })
    expect(analyzed.faces).toEqual([onPerson])
  })

  it('looks at the photo turned on its side last, and maps the face found there back', async () => {
    // A 300 x 200 photo whose face is only found once the photo is turned a quarter clockwise
    // (200 x 300): there the fake face sits at (100, 150), on the mask's middle column.
    const image: RgbaImage = { width: 300, height: 200, data: new Uint8Array(300 * 200 * 4) }
    const turnedFace = syntheticFace({ cx: 100, cy: 150, scale: 30 })
    const engine = fakeEngine((img) => (img.width === 200 ? [turnedFace] : []))
    const found = await detectFaces(engine, image)
    expect(engine.calls).toHaveLength(1 + RETRY_DETECTIONS.length + 1)
    // (u, v) in the turned photo is (v, 200 - u) here: the box turns with its centre.
    const box = found.face?.box
    const { x, y, width, height } = turnedFace.box
    expect(box).toEqual({ x: y, y: 200 - x - width, width: height, height: width })
    expect(found.face?.landmarks68[36]).toEqual([turnedFace.landmarks68[36][1], 200 - turnedFace.landmarks68[36][0]])
    // Upright in the turned photo means lying on its side here.
    expect(Math.abs(found.face?.rollDeg ?? 0)).toBeCloseTo(90, 6)
    expect(found.vision).toMatchObject({ width: 300, height: 200 })
    expect(found.vision.personMask).toMatchObject({ width: 3, height: 3 })
  })

  it('passes decode errors through as typed errors', async () => {
    const service = createAuditService({ engine: fakeEngine(() => []) })
    await expect(service.run({ kind: 'bytes', name: 'x.jpg', data: new Uint8Array(0) })).rejects.toMatchObject({ code: 'EMPTY_FILE' })
    await expect(service.run({ kind: 'file', path: join(dir, 'nope.jpg') })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' })
  })
})
