import { DEFAULT_VISION_OPTIONS, type VisionOptions } from '../shared/vision'

/** Applies known option keys over `base`; a key set to `undefined` restores its default. Pure. */
export function applyOptions(base: VisionOptions, partial: Partial<VisionOptions>): VisionOptions {
  const next: Record<string, unknown> = { ...base }
  for (const key of Object.keys(DEFAULT_VISION_OPTIONS) as (keyof VisionOptions)[]) {
    if (!(key in partial)) continue
    const value = partial[key]
    next[key] = value === undefined ? DEFAULT_VISION_OPTIONS[key] : value
  }
  return next as unknown as VisionOptions
}
