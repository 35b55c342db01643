/** The keyboard shortcut that takes a photo on the live page (shown on the button). */

export const PHOTO_SHORTCUT_LABEL = 'Space'

interface KeyLike {
  key: string
  repeat: boolean
  ctrlKey: boolean
  altKey: boolean
  metaKey: boolean
  target: EventTarget | null
}

/** Space, not held down, without modifiers, and not while typing or on a control Space already activates. */
export function isPhotoShortcut(event: KeyLike): boolean {
  if (event.key !== ' ' || event.repeat || event.ctrlKey || event.altKey || event.metaKey) return false
  const target = event.target as { tagName?: string; isContentEditable?: boolean } | null
  const tag = target?.tagName?.toUpperCase()
  return !(target?.isContentEditable || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || tag === 'BUTTON')
}
