/**
 * The photo audit service: source -> decode -> engine -> four checks -> images, with a small
 * in-memory LRU of recent audits so the UI can re-blur and save without re-running the engine.
 * Used by the Electron main process, the browser-mode server and the CLI; it touches the
 * network and the disk only through the injected functions.
 */
import { randomUUID } from 'node:crypto'
import { basename } from 'node:path'
import {
  type AuditOptions,
  type AuditProgress,
  type LocalAuditSource,
  type BlurMode,
  type EncodedImage,
  type FixReport,
  type PhotoReport
} from '../../shared/audit'
import { SmilecamError } from '../../shared/errors'
import { circleCrop, faceOutline } from '../../shared/face-geometry'
import type { AuditSaveKind } from '../../shared/ipc'
import type { Point, RgbaImage, VisionResult } from '../../shared/vision'
import { writeUniqueFile, type WriterFileSystem } from '../files/unique-file'
import { auditFace, checkBlur } from './checks'
import { decodeImage, readPhotoFile, type DecodeLimits } from './decode'
import { detectFaces, type AuditEngine } from './detect'
import { auditFixedPhoto, fixPhoto } from './fix'
import { photoQualityChecks } from './photo-quality'
import { resolveAuditOptions } from './options'
import { outputBaseName } from './output-name'
import { progress } from './progress'
import { createRecentCache } from './recent-cache'
import { blurPhoto, encodeJpeg, renderAnnotated } from './render'
import { auditVerdict } from './verdict'

export type { AuditEngine } from './detect'

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

/** A 12 MP photo decodes to 48 MB of RGBA (+ its renders): two or three fit; a 36 MP one (144 MB) stays alone. */
export const DEFAULT_CACHE_BYTES = 160 * 1024 * 1024
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

function entryBytes(entry: CachedAudit): number {
  const images = [entry.blurred, entry.annotated, entry.fixed]
  return (
    entry.image.data.byteLength +
    (entry.vision.personMask?.data.byteLength ?? 0) +
    images.reduce((sum, image) => sum + (image?.data.byteLength ?? 0), 0)
  )
}

export function createAuditService(deps: AuditServiceDeps): AuditService {
  const now = deps.now ?? (() => performance.now())
  const readFile = deps.readFile ?? ((path: string) => readPhotoFile(path, deps.limits?.maxBytes))
  const cache = createRecentCache<CachedAudit>(deps.cacheBytes ?? DEFAULT_CACHE_BYTES, entryBytes)
  let closed = false

  function assertOpen(): void {
    if (closed) throw new SmilecamError('ENGINE_CLOSED', 'The photo audit has been shut down.')
  }

  function recall(id: string): CachedAudit {
    assertOpen()
    const entry = cache.recall(id)
    if (!entry) throw new SmilecamError('INVALID_INPUT', 'That audit is no longer in memory; run it again.')
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
      const { vision, faces, face } = await detectFaces(deps.engine, decoded.image)
      const faceCount = faces.length
      timings.detectMs = now() - t
      assertOpen()

      onProgress(progress('checks', 'Checking face size, expression, teeth, eyes, tilt, lighting and focus…'))
      t = now()
      const faceOutlinePoints = face ? faceOutline(face.landmarks68) : undefined
      const checks =
        face && faceOutlinePoints
          ? {
              ...auditFace(face, faceOutlinePoints, decoded.width, decoded.height, resolved, vision.personMask !== undefined),
              ...photoQualityChecks(decoded.image, face.landmarks68)
            }
          : undefined
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
        verdict: auditVerdict(faceCount, checks, checks),
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
      cache.remember(report.id, entry)
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
      cache.trim() // entries grow on re-blur and fix
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
      const faceSize = await auditFixedPhoto(async (image) => (await detectFaces(deps.engine, image)).face, fixed.image)
      assertOpen()
      entry.fixed = fixed.image
      cache.trim()
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
