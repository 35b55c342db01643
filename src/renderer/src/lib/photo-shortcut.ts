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

/**
 * Space, not held down, without modifiers, and not in a form field (text, checkbox, slider,
 * list), where Space already means something. On a focused button it takes the photo too (the
 * caller prevents the default, so the last-clicked button is not pressed again); Enter still
 * presses buttons.
 */
export function isPhotoShortcut(event: KeyLike): boolean {
  if (event.key !== ' ' || event.repeat || event.ctrlKey || event.altKey || event.metaKey) return false
  const target = event.target as { tagName?: string; isContentEditable?: boolean } | null
  const tag = target?.tagName?.toUpperCase()
  return !(target?.isContentEditable || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT')
}
