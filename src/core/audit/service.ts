/**
 * The photo audit service: source -> decode -> engine -> four checks -> images, with a small
 * in-memory LRU of recent audits so the UI can re-blur and save without re-running the engine.
 * Used by the Electron main process, the browser-mode server and the CLI; it touches the
 * network and the disk only through the injected functions.
 */
import { randomUUID } from 'node:crypto'
import { basename, extname } from 'node:path'
import {
  DEFAULT_AUDIT_OPTIONS,
  type AuditOptions,
  type AuditProgress,
  type LocalAuditSource,
  type AuditStep,
  type BlurMode,
  type EncodedImage,
  type FixReport,
  type PhotoReport
} from '../../shared/audit'
import { SmilecamError } from '../../shared/errors'
import { circleCrop, faceOutline } from '../../shared/face-geometry'
import type { AuditSaveKind } from '../../shared/ipc'
import type { FaceResult, Point, RgbaImage, VisionOptions, VisionResult } from '../../shared/vision'
import { writeUniqueFile, type WriterFileSystem } from '../files/unique-file'
import { auditFace, checkBlur, facesOnPerson, pickMainFace, type FaceChecks } from './checks'
import { decodeImage, readPhotoFile, type DecodeLimits } from './decode'
import { auditFixedPhoto, fixPhoto } from './fix'
import { blurPhoto, encodeJpeg, renderAnnotated } from './render'

export interface AuditEngine {
  detect(image: RgbaImage, overrides?: Partial<VisionOptions>): Promise<VisionResult>
}

export type ProgressListener = (progress: AuditProgress) => void

export interface FetchedPhoto {
  bytes: Uint8Array
  /** Display name for the report (never a signed URL). */
  name: string
}

export interface AuditServiceDeps {
  engine: AuditEngine
  /** Downloads a URL source (LinkedIn profile or image URL); without it URL sources are refused. */
  fetchUrl?: (url: string, onProgress: ProgressListener) => Promise<FetchedPhoto>
  readFile?: (path: string) => Promise<Uint8Array>
  /** Where `save` writes (tests play a failing disk); files are never overwritten nor left half-written. */
  fs?: WriterFileSystem
  now?: () => number
  /**
   * Memory for recent audits (decoded photo, mask and rendered images), in bytes. The oldest go
   * first; the latest always stays, however large, so it can still be re-blurred and saved.
   */
  cacheBytes?: number
  limits?: Partial<DecodeLimits>
}

export type AuditImageKind = 'original' | 'annotated' | 'blurred'

export interface AuditService {
  run(source: LocalAuditSource, options?: Partial<AuditOptions>, onProgress?: ProgressListener): Promise<PhotoReport>
  image(id: string, kind: AuditImageKind): Promise<EncodedImage>
  /** Re-blurs with a new mode/strength; the result becomes what `save(id, 'blurred')` writes. */
  blur(id: string, mode: BlurMode, strength: number): Promise<EncodedImage>
  /** The "fix my photo" square re-crop (see fix.ts); it becomes what `save(id, 'fixed')` writes. */
  fix(id: string, size?: number): Promise<FixReport>
  /** Writes `<name>-blurred.jpg`, `<name>-annotated.jpg`, `<name>-fixed.jpg` or `<name>-report.json` into `folder`; returns the path. */
  save(id: string, kind: AuditSaveKind, folder: string): Promise<string>
  close(): void
}

/** Base vision overrides of an audit: emotions for the sentiment check, the mask for the blur. */
export const AUDIT_VISION_OVERRIDES: Partial<VisionOptions> = { expression: true, personMask: true }
/**
 * Second looks when the first finds no face: the full-range detector (small, distant faces),
 * then the short-range one, both at a lower threshold. Only faces on the segmented person are
 * accepted from them, which keeps the low threshold from seeing faces in patterns. On the dev
 * smile set this found a face in 15 of the 36 photos the first look missed.
 */
export const RETRY_DETECTIONS: ReadonlyArray<Partial<VisionOptions>> = [
  { detector: 'full', minDetectionScore: 0.3 },
  { detector: 'short', minDetectionScore: 0.3 }
]
/** A 36 MP photo decodes to 144 MB of RGBA: one such audit fits, two do not. */
export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024
const MAX_SUFFIX = 999

interface CachedAudit {
  report: PhotoReport
  image: RgbaImage
  vision: VisionResult
  baseName: string
  blurMode: BlurMode
  blurStrength: number
  blurred?: EncodedImage
  annotated?: EncodedImage
  fixed?: EncodedImage
}

const PROGRESS: Record<AuditStep, number> = {
  fetch: 0.02,
  'sign-in': 0.05,
  download: 0.1,
  decode: 0.2,
  detect: 0.3,
  checks: 0.7,
  render: 0.8,
  done: 1
}

function progress(step: AuditStep, message: string): AuditProgress {
  return { step, fraction: PROGRESS[step], message }
}

/** Validates and completes caller options (IPC validates too; the CLI and server rely on this). */
export function resolveAuditOptions(options: Partial<AuditOptions> = {}): AuditOptions {
  const merged: AuditOptions = { ...DEFAULT_AUDIT_OPTIONS }
  // Only known keys are taken; undefined keeps the default.
  for (const key of Object.keys(DEFAULT_AUDIT_OPTIONS) as Array<keyof AuditOptions>) {
    const value = options[key]
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value
  }
  if (merged.blurMode !== 'person' && merged.blurMode !== 'face') {
    throw new SmilecamError('INVALID_INPUT', 'Blur mode must be "person" or "face".')
  }
  const ranges: Array<[keyof AuditOptions, number, number, string]> = [
    ['blurStrength', 0, 1, 'Blur strength'],
    ['minFaceAreaRatio', 0, 1, 'The face-size threshold'],
    ['marThreshold', 0, 2, 'The mouth-opening threshold']
  ]
  for (const [key, min, max, label] of ranges) {
    const value = merged[key]
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new SmilecamError('INVALID_INPUT', `${label} must be a number from ${min} to ${max}.`)
    }
  }
  return merged
}

/** A file-name-safe base name for saved outputs: "photo.jpg" -> "photo", a URL -> its last path part. */
export function outputBaseName(source: string): string {
  let name = basename(source, extname(source))
  if (/^https?:\/\//i.test(source)) {
    try {
      const url = new URL(source)
      const parts = url.pathname.split('/').filter(Boolean)
      const last = parts[parts.length - 1]
      name = last ? basename(last, extname(last)) : url.hostname
    } catch {
      name = 'photo'
    }
  }
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80)
  return safe || 'photo'
}

function summarizeVerdict(faceCount: number, checks: FaceChecks | undefined): string {
  if (!checks) {
    return 'No face found — use a photo where your face is clearly visible, facing the camera and well lit.'
  }
  const problems: string[] = []
  if (!checks.faceSize.faceLargeEnough) problems.push(`the face is small (${Math.round(checks.faceSize.faceAreaRatio * 100)}% of the circle)`)
  if (!checks.faceSize.faceInsideCircle) problems.push('part of the face falls outside the circle')
  if (!checks.faceSize.resolutionOk) problems.push('the resolution is low')
  if (!checks.sentiment.smiling) problems.push('no smile')
  if (!checks.teeth.teethVisible) problems.push('no teeth showing')
  const several = faceCount > 1 ? ` ${faceCount} faces found; the largest was audited; a profile photo should show only you.` : ''
  if (problems.length === 0) return `Looks good: big enough in the circle, smiling with teeth showing.${several}`
  return `To improve: ${problems.join(', ')}.${several}`
}

export interface AuditDetection {
  vision: VisionResult
  /** The face to audit, if any. */
  face?: FaceResult
  faceCount: number
}

/**
 * Runs the engine for an audit and picks the face to audit. A profile photo is meant to show a
 * face, so when none is found the engine looks again with a lower detector threshold, keeping
 * only faces that lie on the segmented person.
 */
export async function detectForAudit(engine: AuditEngine, image: RgbaImage): Promise<AuditDetection> {
  const vision = await engine.detect(image, AUDIT_VISION_OVERRIDES)
  const picked = pickMainFace(vision.faces, vision.personMask, image.width, image.height)
  if (picked.face || !vision.personMask) return { vision, ...picked }
  for (const retry of RETRY_DETECTIONS) {
    const second = await engine.detect(image, { ...AUDIT_VISION_OVERRIDES, ...retry })
    const onPerson = second.personMask ? facesOnPerson(second.faces, second.personMask, image.width, image.height) : []
    if (onPerson.length > 0) return { vision: second, ...pickMainFace(onPerson, undefined, image.width, image.height) }
  }
  return { vision, faceCount: 0 }
}

export function createAuditService(deps: AuditServiceDeps): AuditService {
  const now = deps.now ?? (() => performance.now())
  const readFile = deps.readFile ?? ((path: string) => readPhotoFile(path, deps.limits?.maxBytes))
  const cacheBytes = deps.cacheBytes ?? DEFAULT_CACHE_BYTES
  const cache = new Map<string, CachedAudit>()
  let closed = false

  function assertOpen(): void {
    if (closed) throw new SmilecamError('ENGINE_CLOSED', 'The photo audit has been shut down.')
  }

  function entryBytes(entry: CachedAudit): number {
    const images = [entry.blurred, entry.annotated, entry.fixed]
    return (
      entry.image.data.byteLength +
      (entry.vision.personMask?.data.byteLength ?? 0) +
      images.reduce((sum, image) => sum + (image?.data.byteLength ?? 0), 0)
    )
  }

  /** Drops the least recently used audits until the rest fit in `cacheBytes` (entries grow on re-blur and fix). */
  function trim(): void {
    let total = 0
    for (const entry of cache.values()) total += entryBytes(entry)
    for (const [id, entry] of cache) {
      if (total <= cacheBytes || cache.size === 1) break
      total -= entryBytes(entry)
      cache.delete(id)
    }
  }

  function remember(id: string, entry: CachedAudit): void {
    cache.set(id, entry)
    trim()
  }

  function recall(id: string): CachedAudit {
    assertOpen()
    const entry = cache.get(id)
    if (!entry) throw new SmilecamError('INVALID_INPUT', 'That audit is no longer in memory; run it again.')
    // Most recently used goes to the end.
    cache.delete(id)
    cache.set(id, entry)
    return entry
  }

  async function loadSource(source: LocalAuditSource, onProgress: ProgressListener): Promise<FetchedPhoto> {
    switch (source.kind) {
      case 'file':
        return { bytes: await readFile(source.path), name: basename(source.path) }
      case 'bytes':
        return { bytes: source.data, name: source.name }
      case 'url':
        if (!deps.fetchUrl) throw new SmilecamError('INVALID_URL', 'Auditing a photo from a web address is not available here.')
        onProgress(progress('fetch', 'Fetching the photo…'))
        return deps.fetchUrl(source.url, onProgress)
      default:
        throw new SmilecamError('INVALID_INPUT', 'Unknown photo source.')
    }
  }

  function outline(entry: CachedAudit): Point[] | undefined {
    return entry.report.faceOutline
  }

  async function renderBlurred(entry: CachedAudit): Promise<EncodedImage> {
    const blurred = await blurPhoto(entry.image, {
      mode: entry.blurMode,
      strength: entry.blurStrength,
      personMask: entry.vision.personMask,
      faceOutline: outline(entry)
    })
    return encodeJpeg(blurred)
  }

  async function renderAnnotatedFor(entry: CachedAudit): Promise<EncodedImage> {
    const face = entry.report.face
    return renderAnnotated(entry.image, {
      circle: circleCrop(entry.image.width, entry.image.height),
      faceOutline: outline(entry),
      box: face?.box,
      landmarks: face?.landmarks68
    })
  }

  /** `<base><ext>`, else `<base>-1<ext>`, …: the folder is created when missing (a fresh install has none). */
  function writeUnique(folder: string, base: string, extension: string, data: Uint8Array): Promise<string> {
    return writeUniqueFile(folder, data, {
      nameFor: (n) => (n === 0 ? `${base}${extension}` : `${base}-${n}${extension}`),
      what: `${base}${extension}`,
      maxAttempts: MAX_SUFFIX + 1,
      fs: deps.fs
    })
  }

  async function imageOf(id: string, kind: AuditImageKind): Promise<EncodedImage> {
    const entry = recall(id)
    if (kind === 'original') return encodeJpeg(entry.image)
    if (kind === 'annotated') return (entry.annotated ??= await renderAnnotatedFor(entry))
    return (entry.blurred ??= await renderBlurred(entry))
  }

  return {
    async run(source, options = {}, onProgress = () => {}) {
      assertOpen()
      const resolved = resolveAuditOptions(options)
      const started = now()
      const timings: Record<string, number> = {}
      const fetched = await loadSource(source, onProgress)

      onProgress(progress('decode', 'Reading the photo…'))
      let t = now()
      const decoded = await decodeImage(fetched.bytes, fetched.name, deps.limits)
      timings.decodeMs = now() - t

      onProgress(progress('detect', 'Looking for faces…'))
      t = now()
      const { vision, face, faceCount } = await detectForAudit(deps.engine, decoded.image)
      timings.detectMs = now() - t
      assertOpen()

      onProgress(progress('checks', 'Checking face size, expression and teeth…'))
      t = now()
      const faceOutlinePoints = face ? faceOutline(face.landmarks68) : undefined
      const checks =
        face && faceOutlinePoints ? auditFace(face, faceOutlinePoints, decoded.width, decoded.height, resolved, vision.personMask !== undefined) : undefined
      timings.checksMs = now() - t

      const report: PhotoReport = {
        id: randomUUID(),
        source: fetched.name,
        width: decoded.width,
        height: decoded.height,
        faceCount,
        face,
        faceOutline: faceOutlinePoints,
        checks,
        verdict: summarizeVerdict(faceCount, checks),
        timings
      }
      const entry: CachedAudit = {
        report,
        image: decoded.image,
        vision,
        baseName: outputBaseName(fetched.name),
        blurMode: resolved.blurMode,
        blurStrength: resolved.blurStrength
      }

      onProgress(progress('render', 'Blurring the background and drawing the annotations…'))
      t = now()
      entry.blurred = await renderBlurred(entry)
      entry.annotated = await renderAnnotatedFor(entry)
      timings.renderMs = now() - t
      timings.totalMs = now() - started
      for (const [stage, ms] of Object.entries(vision.timings)) timings[`engine.${stage}`] = ms
      assertOpen()
      remember(report.id, entry)
      onProgress(progress('done', report.verdict))
      return report
    },

    image: imageOf,

    async blur(id, mode, strength) {
      const entry = recall(id)
      const resolved = resolveAuditOptions({ blurMode: mode, blurStrength: strength })
      entry.blurMode = resolved.blurMode
      entry.blurStrength = resolved.blurStrength
      entry.blurred = await renderBlurred(entry)
      trim()
      if (entry.report.checks) {
        const maskAvailable = mode === 'person' ? entry.vision.personMask !== undefined : outline(entry) !== undefined
        entry.report.checks.blur = checkBlur(resolved.blurMode, resolved.blurStrength, maskAvailable)
      }
      return entry.blurred
    },

    async fix(id, size) {
      const entry = recall(id)
      const face = entry.report.face
      if (!face) throw new SmilecamError('NO_FACE', 'No face was found in this photo, so there is nothing to crop around.')
      const fixed = await fixPhoto({
        image: entry.image,
        face,
        personMask: entry.vision.personMask,
        blurMode: entry.blurMode,
        blurStrength: entry.blurStrength,
        size
      })
      const faceSize = await auditFixedPhoto(async (image) => (await detectForAudit(deps.engine, image)).face, fixed.image)
      assertOpen()
      entry.fixed = fixed.image
      trim()
      const { x, y, side, upscaled, notes } = fixed.crop
      return { image: fixed.image, crop: { x, y, side }, upscaled, notes, faceSize }
    },

    async save(id, kind, folder) {
      const entry = recall(id)
      if (kind === 'fixed') {
        if (!entry.fixed) throw new SmilecamError('INVALID_INPUT', 'Fix the photo before saving the fixed version.')
        return writeUnique(folder, `${entry.baseName}-fixed`, '.jpg', entry.fixed.data)
      }
      if (kind === 'report') {
        const json = new TextEncoder().encode(`${JSON.stringify(entry.report, null, 2)}\n`)
        return writeUnique(folder, `${entry.baseName}-report`, '.json', json)
      }
      const image = await imageOf(id, kind)
      return writeUnique(folder, `${entry.baseName}-${kind}`, '.jpg', image.data)
    },

    close() {
      closed = true
      cache.clear()
    }
  }
}
