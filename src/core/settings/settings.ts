/** Pure settings logic: read untrusted JSON leniently, merge patches with clamping. */
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../../shared/settings'
import { SETTINGS_SCHEMA, SETTINGS_SECTIONS, checkField, type FieldSpec } from './schema'

export interface SanitizedSettings {
  settings: Settings
  /** One line per field that was missing the mark and fell back to its default. */
  problems: string[]
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function cloneSettings(settings: Settings): Settings {
  return {
    live: { ...settings.live },
    capture: { ...settings.capture },
    audit: { ...settings.audit }
  }
}

/** Field specs of one section as a loosely typed map (the schema is typed per section). */
function sectionSpecs(section: keyof Settings): Record<string, FieldSpec> {
  return SETTINGS_SCHEMA[section] as Record<string, FieldSpec>
}

/**
 * Turns whatever was in the settings file into valid Settings. Missing keys get
 * their default silently (older files); wrong values get their default and a
 * problem line; numbers out of range are clamped.
 */
export function sanitizeSettings(raw: unknown): SanitizedSettings {
  const settings = cloneSettings(DEFAULT_SETTINGS)
  const problems: string[] = []
  if (!isPlainObject(raw)) {
    return { settings, problems: ['the file does not hold a settings object'] }
  }
  for (const section of SETTINGS_SECTIONS) {
    const rawSection = raw[section]
    if (rawSection === undefined) continue
    if (!isPlainObject(rawSection)) {
      problems.push(`${section}: not an object`)
      continue
    }
    const target = settings[section] as unknown as Record<string, unknown>
    for (const [key, spec] of Object.entries(sectionSpecs(section))) {
      if (!(key in rawSection)) continue
      const check = checkField(spec, rawSection[key], true)
      if (check.ok) target[key] = check.value
      else problems.push(`${section}.${key}: ${check.reason}`)
    }
  }
  return { settings, problems }
}

/**
 * Applies a patch on top of `base` and returns new Settings. Unknown keys and
 * values of the wrong type are ignored; numbers are clamped into range.
 * (The IPC boundary rejects such patches before they get here.)
 */
export function mergeSettings(base: Settings, patch: SettingsPatch): Settings {
  const merged = cloneSettings(base)
  if (!isPlainObject(patch)) return merged
  for (const section of SETTINGS_SECTIONS) {
    const patchSection: unknown = patch[section]
    if (!isPlainObject(patchSection)) continue
    const target = merged[section] as unknown as Record<string, unknown>
    for (const [key, spec] of Object.entries(sectionSpecs(section))) {
      if (!(key in patchSection) || patchSection[key] === undefined) continue
      const check = checkField(spec, patchSection[key], true)
      if (check.ok) target[key] = check.value
    }
  }
  return merged
}
