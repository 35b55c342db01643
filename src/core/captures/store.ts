/**
 * CaptureStore: selfies saved into one folder (default ~/Pictures/Smilecam,
 * passed in). Files are never overwritten and only plain names inside the
 * folder are ever read or deleted.
 */
import { readdir, readFile, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import sharp from 'sharp'
import type { EncodedImage } from '../../shared/audit'
import { SmilecamError } from '../../shared/errors'
import type { CaptureInfo, CaptureRequest } from '../../shared/ipc'
import { sniffImageType } from '../../shared/image-type'
import { writeUniqueFile, type WriterFileSystem } from '../files/unique-file'
import {
  captureBaseName,
  captureFileName,
  extensionFor,
  isValidCaptureName,
  mimeTypeForName
} from './names'

export const THUMBNAIL_SIZE = 320
/** Newest files listed; older ones stay on disk but out of the strip. */
export const MAX_LISTED_CAPTURES = 500

export type CaptureReadSize = 'thumbnail' | 'full'

export interface CaptureStore {
  folder(): string
  setFolder(folder: string): void
  save(capture: CaptureRequest, now?: Date): Promise<CaptureInfo>
  list(): Promise<CaptureInfo[]>
  read(name: string, size: CaptureReadSize): Promise<EncodedImage>
  delete(name: string): Promise<void>
  /** Absolute path of a capture, after the same name checks as read/delete. */
  pathOf(name: string): string
}

export interface CaptureStoreOptions {
  folder: string
  /** Tests play a failing disk with it. */
  fs?: WriterFileSystem
}

interface ImageSize {
  width: number
  height: number
}

async function imageSize(data: Uint8Array | string): Promise<ImageSize> {
  try {
    const meta = await sharp(data).metadata()
    if (!meta.width || !meta.height) throw new Error('no size')
    // EXIF orientations 5-8 swap the displayed width and height.
    const swapped = (meta.orientation ?? 1) >= 5
    return swapped ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height }
  } catch {
    throw new SmilecamError('CORRUPT_IMAGE', 'The capture is not a readable image.')
  }
}

export function createCaptureStore(options: CaptureStoreOptions): CaptureStore {
  let folder = resolve(options.folder)
  // Size cache keyed by name + mtime, so listing does not re-read every file.
  const sizeCache = new Map<string, ImageSize>()

  function pathOf(name: string): string {
    if (!isValidCaptureName(name)) {
      throw new SmilecamError('INVALID_INPUT', 'That is not a capture file name.')
    }
    const path = resolve(folder, name)
    // Belt and braces: the resolved file must sit directly in the folder.
    if (dirname(path) !== folder || basename(path) !== name) {
      throw new SmilecamError('INVALID_INPUT', 'That is not a capture file name.')
    }
    return path
  }

  async function save(capture: CaptureRequest, now: Date = new Date()): Promise<CaptureInfo> {
    const sniffed = sniffImageType(capture.data)
    if (sniffed !== capture.mimeType) {
      throw new SmilecamError('NOT_AN_IMAGE', `The capture is not a ${capture.mimeType === 'image/png' ? 'PNG' : 'JPEG'} image.`)
    }
    const size = await imageSize(capture.data)
    const base = captureBaseName(now)
    const extension = extensionFor(capture.mimeType)
    const path = await writeUniqueFile(folder, capture.data, {
      nameFor: (attempt) => captureFileName(base, extension, attempt),
      what: 'the picture',
      fs: options.fs
    })
    return { name: basename(path), createdMs: now.getTime(), width: size.width, height: size.height }
  }

  async function list(): Promise<CaptureInfo[]> {
    let names: string[]
    try {
      names = await readdir(folder)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new SmilecamError('INTERNAL', `The captures folder could not be read: ${(error as Error).message}`)
    }
    const entries: { name: string; mtimeMs: number; createdMs: number }[] = []
    for (const name of names.filter(isValidCaptureName)) {
      try {
        const info = await stat(join(folder, name))
        if (!info.isFile()) continue
        const createdMs = info.birthtimeMs > 0 ? Math.min(info.birthtimeMs, info.mtimeMs) : info.mtimeMs
        entries.push({ name, mtimeMs: info.mtimeMs, createdMs })
      } catch {
        // Deleted between readdir and stat: skip it.
      }
    }
    entries.sort((a, b) => b.createdMs - a.createdMs || b.name.localeCompare(a.name))
    const captures: CaptureInfo[] = []
    for (const entry of entries.slice(0, MAX_LISTED_CAPTURES)) {
      const key = `${entry.name}:${entry.mtimeMs}`
      let size = sizeCache.get(key)
      if (!size) {
        try {
          size = await imageSize(join(folder, entry.name))
        } catch {
          continue // not a readable image: leave it out of the strip
        }
        sizeCache.set(key, size)
      }
      captures.push({ name: entry.name, createdMs: Math.round(entry.createdMs), ...size })
    }
    return captures
  }

  async function read(name: string, size: CaptureReadSize): Promise<EncodedImage> {
    const path = pathOf(name)
    let data: Buffer
    try {
      data = await readFile(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new SmilecamError('FILE_NOT_FOUND', `The capture ${name} no longer exists.`)
      }
      throw new SmilecamError('INTERNAL', `The capture ${name} could not be read.`)
    }
    if (size === 'full') {
      const dims = await imageSize(data)
      return { mimeType: mimeTypeForName(name), ...dims, data: new Uint8Array(data) }
    }
    try {
      const { data: thumb, info } = await sharp(data)
        .rotate()
        .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 80 })
        .toBuffer({ resolveWithObject: true })
      return { mimeType: 'image/jpeg', width: info.width, height: info.height, data: new Uint8Array(thumb) }
    } catch {
      throw new SmilecamError('CORRUPT_IMAGE', `The capture ${name} is not a readable image.`)
    }
  }

  async function remove(name: string): Promise<void> {
    const path = pathOf(name)
    try {
      await unlink(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new SmilecamError('FILE_NOT_FOUND', `The capture ${name} no longer exists.`)
      }
      throw new SmilecamError('INTERNAL', `The capture ${name} could not be deleted.`)
    }
  }

  return {
    folder: () => folder,
    setFolder(next: string) {
      folder = resolve(next)
      sizeCache.clear()
    },
    save,
    list,
    read,
    delete: remove,
    pathOf
  }
}
