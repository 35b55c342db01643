/**
 * The one way Smilecam writes a new file (captures, audit outputs): never overwriting, never
 * leaving half a file behind. The bytes go to a hidden temp file in the same folder, are flushed
 * to disk (fsync), and only then get their real name with `link`, which fails instead of
 * replacing a file that exists (so two writers can race safely); the temp name is removed on
 * success and on every failure. A full disk, a read-only disk, a folder we may not write to and
 * a "folder" that is a file become typed errors saying so.
 */
import { randomUUID } from 'node:crypto'
import * as fsPromises from 'node:fs/promises'
import { join } from 'node:path'
import { SmilecamError } from '../../shared/errors'

/** The file-system calls the writer makes; injectable so tests can play a failing disk. */
export interface WriterFileSystem {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>
  open(path: string, flags: string, mode?: number): Promise<fsPromises.FileHandle>
  link(existingPath: string, newPath: string): Promise<void>
  unlink(path: string): Promise<void>
}

export const NODE_FILE_SYSTEM: WriterFileSystem = fsPromises

export interface UniqueFileOptions {
  /** `attempt` 0, 1, 2… -> the file name to try (`photo.jpg`, `photo-1.jpg`, …). */
  nameFor(attempt: number): string
  /** What is being saved, for messages ("the capture", "the report"). */
  what: string
  maxAttempts?: number
  fs?: WriterFileSystem
}

const DEFAULT_MAX_ATTEMPTS = 1000

/** File systems without hard links (FAT, exFAT, some network shares) answer `link` with these. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK'])

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** An OS error from writing into `folder`, as a typed error with a message a user can act on. */
export function writeError(error: unknown, folder: string, what: string): SmilecamError {
  if (error instanceof SmilecamError) return error
  switch (errnoOf(error)) {
    case 'ENOSPC':
      return new SmilecamError('DISK_FULL', `The disk holding "${folder}" is full, so ${what} was not saved. Free some space or choose another folder.`)
    case 'EDQUOT':
      return new SmilecamError('DISK_FULL', `Your disk quota for "${folder}" is used up, so ${what} was not saved. Free some space or choose another folder.`)
    case 'EROFS':
      return new SmilecamError('NOT_WRITABLE', `"${folder}" is on a read-only disk, so ${what} was not saved. Choose another folder.`)
    case 'EACCES':
    case 'EPERM':
      return new SmilecamError('NOT_WRITABLE', `Smilecam is not allowed to write into "${folder}", so ${what} was not saved. Choose a folder you can write to.`)
    case 'ENOTDIR':
    case 'EEXIST':
      return new SmilecamError('NOT_A_FOLDER', `"${folder}" (or a folder above it) is a file, not a folder, so ${what} was not saved. Choose a folder.`)
    case 'ENOENT':
      return new SmilecamError('FILE_NOT_FOUND', `The folder "${folder}" does not exist, so ${what} was not saved.`)
    default:
      return new SmilecamError('INTERNAL', `${what[0].toUpperCase()}${what.slice(1)} could not be saved in "${folder}" (${errnoOf(error) ?? 'unknown error'}).`)
  }
}

async function writeAllAndSync(fs: WriterFileSystem, path: string, data: Uint8Array): Promise<void> {
  const handle = await fs.open(path, 'wx', 0o644)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

async function removeQuietly(fs: WriterFileSystem, path: string): Promise<void> {
  await fs.unlink(path).catch(() => undefined)
}

/**
 * Writes `data` as a new file in `folder` (created if missing) under the first free name from
 * `nameFor`; returns its path. Errors: DISK_FULL, NOT_WRITABLE, NOT_A_FOLDER, INTERNAL.
 */
export async function writeUniqueFile(folder: string, data: Uint8Array, options: UniqueFileOptions): Promise<string> {
  const fs = options.fs ?? NODE_FILE_SYSTEM
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
  try {
    await fs.mkdir(folder, { recursive: true })
  } catch (error) {
    throw writeError(error, folder, options.what)
  }
  // Hidden, and not an image name, so no listing ever shows it while it is being written.
  const temp = join(folder, `.smilecam-${randomUUID()}.partial`)
  try {
    await writeAllAndSync(fs, temp, data)
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const path = join(folder, options.nameFor(attempt))
      try {
        await fs.link(temp, path)
        return path
      } catch (error) {
        const code = errnoOf(error)
        if (code === 'EEXIST') continue
        if (code !== undefined && NO_HARD_LINKS.has(code)) return await writeWithoutLinks(fs, folder, data, options, attempt)
        throw error
      }
    }
    throw new SmilecamError('INTERNAL', `"${folder}" already holds ${maxAttempts} files named like ${options.nameFor(0)}.`)
  } catch (error) {
    throw writeError(error, folder, options.what)
  } finally {
    await removeQuietly(fs, temp)
  }
}

/**
 * For file systems without hard links: exclusive create under the final name, and the file is
 * removed again if writing it fails, so a full disk still leaves nothing behind.
 */
async function writeWithoutLinks(
  fs: WriterFileSystem,
  folder: string,
  data: Uint8Array,
  options: UniqueFileOptions,
  firstAttempt: number
): Promise<string> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
  for (let attempt = firstAttempt; attempt < maxAttempts; attempt++) {
    const path = join(folder, options.nameFor(attempt))
    let created = false
    try {
      const handle = await fs.open(path, 'wx', 0o644)
      created = true
      try {
        await handle.writeFile(data)
        await handle.sync()
      } finally {
        await handle.close()
      }
      return path
    } catch (error) {
      if (!created && errnoOf(error) === 'EEXIST') continue
      if (created) await removeQuietly(fs, path)
      throw error
    }
  }
  throw new SmilecamError('INTERNAL', `"${folder}" already holds ${maxAttempts} files named like ${options.nameFor(0)}.`)
}
