/**
 * One table that says what every setting may hold. Both the loader
 * (sanitizeSettings, lenient: bad values fall back to defaults) and the IPC
 * validator (strict: bad values are rejected) read it.
 */
import { AUDIT_OPTION_RANGES, BLUR_MODES, type OptionRange } from '../../shared/audit'
import { FACE_FILTERS } from '../../shared/face-filters'
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings'

export type FieldSpec =
  | { kind: 'boolean' }
  | { kind: 'number'; min: number; max: number; integer?: boolean }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'string-or-null'; maxLength: number }
  | { kind: 'folder-or-null' }

export type SettingsSchema = { [S in keyof Settings]: { [K in keyof Settings[S]]: FieldSpec } }

const bool: FieldSpec = { kind: 'boolean' }
const numberIn = ({ min, max }: OptionRange): FieldSpec => ({ kind: 'number', min, max })
const blurStrength = numberIn(AUDIT_OPTION_RANGES.blurStrength)
/** The live smile trigger and the audit's teeth check measure the same MAR. */
const marThreshold = numberIn(AUDIT_OPTION_RANGES.marThreshold)

export const SETTINGS_SCHEMA: SettingsSchema = {
  live: {
    cameraId: { kind: 'string-or-null', maxLength: 512 },
    cameraResolution: { kind: 'enum', values: ['720p', '1080p', 'max'] },
    mirror: bool,
    blurMode: { kind: 'enum', values: ['off', 'person', 'face'] },
    blurStrength,
    showBoxes: bool,
    showLandmarks: bool,
    showEmotion: bool,
    showSmileMeter: bool,
    showHud: bool,
    filter: { kind: 'enum', values: ['none', ...FACE_FILTERS] },
    showFeatureBoxes: bool,
    virtualCameraDevice: { kind: 'string-or-null', maxLength: 256 }
  },
  capture: {
    autoCapture: bool,
    preset: { kind: 'enum', values: ['slight', 'normal', 'big'] },
    marThreshold,
    holdMs: { kind: 'number', min: 0, max: 5000, integer: true },
    cooldownMs: { kind: 'number', min: 0, max: 60_000, integer: true },
    sessionLimit: { kind: 'number', min: 1, max: 100, integer: true },
    countdown: bool,
    sound: bool,
    flash: bool,
    jokes: bool,
    folder: { kind: 'folder-or-null' }
  },
  audit: {
    blurStrength,
    blurMode: { kind: 'enum', values: BLUR_MODES },
    minFaceAreaRatio: numberIn(AUDIT_OPTION_RANGES.minFaceAreaRatio),
    marThreshold
  }
}

export const SETTINGS_SECTIONS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]

export const MAX_PATH_LENGTH = 4096

/** An absolute path without NUL bytes: POSIX `/…`, Windows `C:\…` or `\\server\…`. */
export function isAbsolutePathString(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PATH_LENGTH) return false
  if (value.includes('\0')) return false
  return value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\')
}

export type FieldCheck = { ok: true; value: unknown } | { ok: false; reason: string }

/**
 * Checks one value against its spec. With `clamp`, numbers out of range are
 * pulled into range (the loader wants that); otherwise they are refused.
 */
export function checkField(spec: FieldSpec, value: unknown, clamp: boolean): FieldCheck {
  switch (spec.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, reason: 'must be true or false' }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, reason: 'must be a finite number' }
      let n = spec.integer ? Math.round(value) : value
      if (n < spec.min || n > spec.max) {
        if (!clamp) return { ok: false, reason: `must be between ${spec.min} and ${spec.max}` }
        n = Math.min(spec.max, Math.max(spec.min, n))
      }
      return { ok: true, value: n }
    }
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value)
        ? { ok: true, value }
        : { ok: false, reason: `must be one of ${spec.values.join(', ')}` }
    case 'string-or-null':
      return value === null || (typeof value === 'string' && value.length <= spec.maxLength)
        ? { ok: true, value }
        : { ok: false, reason: `must be null or a string of at most ${spec.maxLength} characters` }
    case 'folder-or-null':
      return value === null || isAbsolutePathString(value)
        ? { ok: true, value }
        : { ok: false, reason: 'must be null or an absolute folder path' }
  }
}
