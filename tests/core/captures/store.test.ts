import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCaptureStore, THUMBNAIL_SIZE } from '../../../src/core/captures/store'
import { captureBaseName, captureFileName, isValidCaptureName } from '../../../src/core/captures/names'
import { sniffImageType } from '../../../src/shared/image-type'

async function image(width: number, height: number, format: 'jpeg' | 'png'): Promise<Uint8Array> {
  const raw = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } })
  return new Uint8Array(await (format === 'jpeg' ? raw.jpeg() : raw.png()).toBuffer())
}

describe('capture names', () => {
  it('formats local time with zero padding and suffixes', () => {
    const date = new Date(2026, 10, 21, 9, 5, 3)
    expect(captureBaseName(date)).toBe('smilecam-2026-11-21_09-05-03')
    expect(captureFileName('smilecam-x', 'jpg', 0)).toBe('smilecam-x.jpg')
    expect(captureFileName('smilecam-x', 'png', 2)).toBe('smilecam-x-2.png')
  })

  it('accepts plain image names only', () => {
    expect(isValidCaptureName('smilecam-2026-11-21_09-05-03-1.jpg')).toBe(true)
    expect(isValidCaptureName('Holiday photo.JPEG')).toBe(true)
    for (const bad of ['../a.jpg', 'a/b.jpg', 'a\\b.jpg', '.a.jpg', 'a.gif', 'a..png', 'x'.repeat(200) + '.jpg', 5]) {
      expect(isValidCaptureName(bad)).toBe(false)
    }
  })
})

describe('CaptureStore', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smilecam-captures-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('saves into a new folder and never overwrites a name', async () => {
    const folder = join(dir, 'Smilecam')
    const store = createCaptureStore({ folder })
    const jpeg = await image(64, 48, 'jpeg')
    const now = new Date(2026, 10, 21, 10, 15, 30)
    const saved = await Promise.all([store.save({ data: jpeg, mimeType: 'image/jpeg' }, now), store.save({ data: jpeg, mimeType: 'image/jpeg' }, now)])
    const third = await store.save({ data: jpeg, mimeType: 'image/jpeg' }, now)
    expect(saved.map((s) => s.name).sort()).toEqual(['smilecam-2026-11-21_10-15-30-1.jpg', 'smilecam-2026-11-21_10-15-30.jpg'])
    expect(third.name).toBe('smilecam-2026-11-21_10-15-30-2.jpg')
    expect(third).toMatchObject({ width: 64, height: 48, createdMs: now.getTime() })
    expect((await readdir(folder)).sort()).toHaveLength(3)
  })

  it('refuses bytes that are not the declared image type or not decodable', async () => {
    const store = createCaptureStore({ folder: dir })
    const png = await image(8, 8, 'png')
    await expect(store.save({ data: png, mimeType: 'image/jpeg' })).rejects.toMatchObject({ code: 'NOT_AN_IMAGE' })
    const truncated = (await image(64, 64, 'jpeg')).slice(0, 40)
    await expect(store.save({ data: truncated, mimeType: 'image/jpeg' })).rejects.toMatchObject({ code: 'CORRUPT_IMAGE' })
    expect(await readdir(dir)).toEqual([])
  })

  it('lists newest first with sizes, skipping non-images and unreadable files', async () => {
    const store = createCaptureStore({ folder: dir })
    const older = await store.save({ data: await image(30, 20, 'png'), mimeType: 'image/png' }, new Date(2026, 0, 1))
    const newer = await store.save({ data: await image(40, 10, 'jpeg'), mimeType: 'image/jpeg' }, new Date(2026, 0, 2))
    const past = new Date(2020, 0, 1)
    await utimes(join(dir, older.name), past, past)
    await writeFile(join(dir, 'notes.txt'), 'hi')
    await writeFile(join(dir, 'broken.jpg'), 'not a jpeg')
    const listed = await store.list()
    expect(listed.map((c) => c.name)).toEqual([newer.name, older.name])
    expect(listed[0]).toMatchObject({ width: 40, height: 10 })
    expect(listed[1]).toMatchObject({ width: 30, height: 20 })
  })

  it('lists nothing when the folder does not exist yet', async () => {
    expect(await createCaptureStore({ folder: join(dir, 'missing') }).list()).toEqual([])
  })

  it('reads thumbnails and full images', async () => {
    const store = createCaptureStore({ folder: dir })
    const { name } = await store.save({ data: await image(1000, 500, 'png'), mimeType: 'image/png' })
    const thumb = await store.read(name, 'thumbnail')
    expect(thumb).toMatchObject({ mimeType: 'image/jpeg', width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE / 2 })
    expect(sniffImageType(thumb.data)).toBe('image/jpeg')
    const full = await store.read(name, 'full')
    expect(full).toMatchObject({ mimeType: 'image/png', width: 1000, height: 500 })
    await expect(store.read('smilecam-none.jpg', 'full')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' })
  })

  it('deletes only plain names inside the folder', async () => {
    const inner = join(dir, 'inner')
    const store = createCaptureStore({ folder: inner })
    const { name } = await store.save({ data: await image(8, 8, 'jpeg'), mimeType: 'image/jpeg' })
    await writeFile(join(dir, 'outside.jpg'), 'x')
    await expect(store.delete('../outside.jpg')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    expect(() => store.pathOf('../outside.jpg')).toThrow()
    await store.delete(name)
    expect(await readdir(inner)).toEqual([])
    expect(await readdir(dir)).toContain('outside.jpg')
    await expect(store.delete(name)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' })
  })

  it('switches folders', async () => {
    const store = createCaptureStore({ folder: join(dir, 'a') })
    store.setFolder(join(dir, 'b'))
    const saved = await store.save({ data: await image(8, 8, 'jpeg'), mimeType: 'image/jpeg' })
    expect(store.folder()).toBe(join(dir, 'b'))
    expect(await readdir(join(dir, 'b'))).toEqual([saved.name])
  })
})
