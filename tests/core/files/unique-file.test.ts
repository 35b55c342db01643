/**
 * The one unique-file writer: never overwrites, never leaves a partial file or its temp file,
 * and turns a full, read-only or forbidden disk into a typed error. The full disk is a real
 * 64 KB tmpfs where mounting is permitted (root); the always-run variant injects an fs whose
 * writes stop half-way with ENOSPC, as a full disk does.
 */
import { mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createCaptureStore } from '../../../src/core/captures/store'
import { NODE_FILE_SYSTEM, writeUniqueFile, type WriterFileSystem } from '../../../src/core/files/unique-file'
import { SmilecamError } from '../../../src/shared/errors'
import { mountTmpfs, type MountedTmpfs } from '../../fixtures/tmpfs'

const nameFor = (n: number) => (n === 0 ? 'photo.jpg' : `photo-${n}.jpg`)
const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code })

async function failure(promise: Promise<unknown>): Promise<SmilecamError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(SmilecamError)
    return error as SmilecamError
  }
  throw new Error('expected a failure')
}

/** A disk that accepts `capacity` bytes, then fails writes with ENOSPC after writing what fits. */
function fullDisk(capacity: number): WriterFileSystem {
  let used = 0
  return {
    ...NODE_FILE_SYSTEM,
    async open(path, flags, mode) {
      const handle = await open(path, flags, mode)
      const writeAll = async (data: Uint8Array) => {
        const room = Math.max(0, capacity - used)
        await handle.write(data.subarray(0, room))
        used += Math.min(room, data.length)
        if (data.length > room) throw errno('ENOSPC')
      }
      return Object.assign(handle, { writeFile: writeAll })
    }
  }
}

/** Random noise does not compress: a JPEG of it is large. */
async function noiseJpeg(width: number, height: number): Promise<Uint8Array> {
  const pixels = Buffer.alloc(width * height * 3)
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24
  return new Uint8Array(await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer())
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smilecam-writer-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('writeUniqueFile', () => {
  it('writes the bytes under the first free name, creating the folder, leaving no temp file', async () => {
    const folder = join(dir, 'new', 'Smilecam')
    const data = new Uint8Array([1, 2, 3, 4])
    await writeFile(join(dir, 'keep.txt'), 'x')
    const paths = await Promise.all([0, 1, 2, 3].map(() => writeUniqueFile(folder, data, { nameFor, what: 'the photo' })))
    expect(new Set(paths).size).toBe(4)
    expect((await readdir(folder)).sort()).toEqual(['photo-1.jpg', 'photo-2.jpg', 'photo-3.jpg', 'photo.jpg'])
    for (const path of paths) expect([...(await readFile(path))]).toEqual([1, 2, 3, 4])
  })

  it('never overwrites an existing file', async () => {
    await writeFile(join(dir, 'photo.jpg'), 'precious')
    const path = await writeUniqueFile(dir, new Uint8Array([9]), { nameFor, what: 'the photo' })
    expect(path).toBe(join(dir, 'photo-1.jpg'))
    expect(await readFile(join(dir, 'photo.jpg'), 'utf8')).toBe('precious')
  })

  it('a disk that fills up half-way: DISK_FULL, and neither the file nor its temp file is left', async () => {
    const error = await failure(writeUniqueFile(dir, new Uint8Array(10_000), { nameFor, what: 'the photo', fs: fullDisk(4096) }))
    expect(error.code).toBe('DISK_FULL')
    expect(error.message).toMatch(/disk holding .* is full, so the photo was not saved/)
    expect(await readdir(dir)).toEqual([])
  })

  it.each([
    ['EACCES', 'NOT_WRITABLE', /not allowed to write into/],
    ['EPERM', 'NOT_WRITABLE', /not allowed to write into/],
    ['EROFS', 'NOT_WRITABLE', /read-only disk/],
    ['EDQUOT', 'DISK_FULL', /quota/],
    ['EIO', 'INTERNAL', /EIO/]
  ])('%s when creating the file is %s with a clear message', async (code, expected, message) => {
    const fs: WriterFileSystem = { ...NODE_FILE_SYSTEM, open: async () => Promise.reject(errno(code)) }
    const error = await failure(writeUniqueFile(dir, new Uint8Array([1]), { nameFor, what: 'the photo', fs }))
    expect([error.code, error.message]).toEqual([expected, expect.stringMatching(message)])
  })

  it('a "folder" that is a file (ENOTDIR, for real) is NOT_A_FOLDER', async () => {
    await writeFile(join(dir, 'file'), 'x')
    expect((await failure(writeUniqueFile(join(dir, 'file', 'sub'), new Uint8Array([1]), { nameFor, what: 'the photo' }))).code).toBe('NOT_A_FOLDER')
    expect((await failure(writeUniqueFile(join(dir, 'file'), new Uint8Array([1]), { nameFor, what: 'the photo' }))).code).toBe('NOT_A_FOLDER')
  })

  it('without hard links (FAT, network shares) it falls back to exclusive create, still removing a partial file', async () => {
    const noLinks: WriterFileSystem = { ...NODE_FILE_SYSTEM, link: async () => Promise.reject(errno('EPERM')) }
    await writeFile(join(dir, 'photo.jpg'), 'precious')
    expect(await writeUniqueFile(dir, new Uint8Array([7]), { nameFor, what: 'the photo', fs: noLinks })).toBe(join(dir, 'photo-1.jpg'))
    expect(await readFile(join(dir, 'photo.jpg'), 'utf8')).toBe('precious')

    const full = fullDisk(100_000) // room for the temp file only
    const noLinksFull: WriterFileSystem = { ...full, link: async () => Promise.reject(errno('ENOTSUP')) }
    const error = await failure(writeUniqueFile(dir, new Uint8Array(60_000), { nameFor, what: 'the photo', fs: noLinksFull }))
    expect(error.code).toBe('DISK_FULL')
    expect((await readdir(dir)).sort()).toEqual(['photo-1.jpg', 'photo.jpg'])
  })
})

describe('captures on a full disk', () => {
  it('a capture that does not fit fails with DISK_FULL and the strip lists nothing (injected disk)', async () => {
    const store = createCaptureStore({ folder: dir, fs: fullDisk(2048) })
    const error = await failure(store.save({ data: await noiseJpeg(200, 200), mimeType: 'image/jpeg' }))
    expect(error.code).toBe('DISK_FULL')
    expect(await readdir(dir)).toEqual([])
    expect(await store.list()).toEqual([])
  })
})

describe('a real 64 KB tmpfs', () => {
  let tmpfs: MountedTmpfs | null = null
  beforeAll(async () => {
    tmpfs = await mountTmpfs(64)
    if (!tmpfs) console.warn('[unique-file.test] mount not permitted here: the full disk is simulated by the injected-fs tests only')
  })
  afterAll(async () => {
    await tmpfs?.unmount()
  })

  it('a capture larger than the disk: DISK_FULL, nothing left; a small one still fits afterwards', async (context) => {
    if (!tmpfs) return context.skip()
    const store = createCaptureStore({ folder: tmpfs.dir })
    const big = await noiseJpeg(300, 300)
    expect(big.length).toBeGreaterThan(64 * 1024)
    const error = await failure(store.save({ data: big, mimeType: 'image/jpeg' }))
    expect(error.code).toBe('DISK_FULL')
    expect(await readdir(tmpfs.dir)).toEqual([])
    const small = await noiseJpeg(40, 40)
    const saved = await store.save({ data: small, mimeType: 'image/jpeg' })
    expect((await store.list()).map((capture) => capture.name)).toEqual([saved.name])
  })
})
