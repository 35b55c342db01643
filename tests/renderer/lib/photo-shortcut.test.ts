import { describe, expect, it } from 'vitest'
import { isPhotoShortcut } from '../../../src/renderer/src/lib/photo-shortcut'

const key = (key: string, target: { tagName?: string; isContentEditable?: boolean } | null, extra: Partial<{ repeat: boolean; ctrlKey: boolean }> = {}) => ({
  key,
  repeat: false,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  target: target as EventTarget | null,
  ...extra
})

describe('isPhotoShortcut', () => {
  it('is Space on the page or a button, once per press, without modifiers', () => {
    expect(isPhotoShortcut(key(' ', { tagName: 'BODY' }))).toBe(true)
    expect(isPhotoShortcut(key(' ', { tagName: 'button' }))).toBe(true)
    expect(isPhotoShortcut(key(' ', null))).toBe(true)
    expect(isPhotoShortcut(key('Enter', { tagName: 'BODY' }))).toBe(false)
    expect(isPhotoShortcut(key(' ', { tagName: 'BODY' }, { repeat: true }))).toBe(false)
    expect(isPhotoShortcut(key(' ', { tagName: 'BODY' }, { ctrlKey: true }))).toBe(false)
  })

  it('leaves Space to form fields and editable text', () => {
    for (const tagName of ['INPUT', 'TEXTAREA', 'SELECT']) expect(isPhotoShortcut(key(' ', { tagName }))).toBe(false)
    expect(isPhotoShortcut(key(' ', { tagName: 'DIV', isContentEditable: true }))).toBe(false)
  })
})
