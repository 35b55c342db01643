/**
 * Boundary checks for every IPC channel: one pure validator per channel that
 * turns untrusted arguments into typed ones or throws
 * SmilecamError('INVALID_INPUT'). Used by Electron IPC and the browser-mode
 * server alike; no Electron import.
 */
import type { AuditOptions, AuditSource, NumericAuditOption } from '../../shared/audit'
import { AUDIT_OPTION_RANGES, BLUR_MODES, FIX_MAX_SIZE, FIX_MIN_SIZE } from '../../shared/audit'
import { SmilecamError } from '../../shared/errors'
import {
  type AuditViewKind,
  IPC_CHANNELS,
  type AuditSaveKind,
  type CaptureRequest,
  type IpcArgs,
  type IpcChannel,
  type VideoFrameRequest
} from '../../shared/ipc'
import type { SettingsPatch } from '../../shared/settings'
import { MAX_VCAM_FPS, MAX_VCAM_PIXELS, type VcamFrame, type VcamStartRequest } from '../../shared/vcam'
import { sniffImageType } from '../../shared/image-type'
import { isValidCaptureName } from '../captures/names'
import { SETTINGS_SCHEMA, SETTINGS_SECTIONS, checkField, type FieldSpec } from '../settings/schema'

/** Frames are downscaled before they cross; anything bigger than 1080p is a mistake or an attack. */
export const MAX_FRAME_PIXELS = 1920 * 1080
export const MAX_FRAME_SIDE = 4096
/** Encoded photos (audit input, captures). */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024
export const MAX_URL_LENGTH = 2048
export const MAX_SOURCE_NAME_LENGTH = 255
const REPORT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

function invalid(message: string): SmilecamError {
  return new SmilecamError('INVALID_INPUT', message)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  if (value instanceof Uint8Array || value instanceof Uint8ClampedArray) return false
  return true
}

/** An object with no keys outside `allowed` (typos and smuggled fields are refused). */
function expectObject(value: unknown, what: string, allowed: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalid(`${what} must be an object.`)
  const extra = Object.keys(value).filter((key) => !allowed.includes(key))
  if (extra.length > 0) throw invalid(`${what} has unknown field(s): ${extra.slice(0, 5).join(', ')}.`)
  return value
}

function expectBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw invalid(`${what} must be true or false.`)
  return value
}

function expectNumber(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${what} must be a number.`)
  if (value < min || value > max) throw invalid(`${what} must be between ${min} and ${max}.`)
  return value
}

function expectInteger(value: unknown, what: string, min: number, max: number): number {
  const n = expectNumber(value, what, min, max)
  if (!Number.isInteger(n)) throw invalid(`${what} must be a whole number.`)
  return n
}

function expectEnum<T extends string>(value: unknown, what: string, values: readonly T[]): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw invalid(`${what} must be one of ${values.join(', ')}.`)
  }
  return value as T
}

/** Accepts Uint8Array and Uint8ClampedArray (canvas pixels), returns a Uint8Array view (no copy). */
function expectBytes(value: unknown, what: string, maxLength: number): Uint8Array {
  let bytes: Uint8Array
  if (value instanceof Uint8Array) bytes = value
  else if (value instanceof Uint8ClampedArray) bytes = new Uint8Array(value.buffer, value.byteOffset, value.length)
  else throw invalid(`${what} must be a byte array.`)
  if (bytes.length === 0) throw invalid(`${what} is empty.`)
  if (bytes.length > maxLength) throw invalid(`${what} is too large (${bytes.length} bytes, at most ${maxLength}).`)
  return bytes
}

function expectArgs(args: unknown, count: number, channel: string): unknown[] {
  if (!Array.isArray(args)) throw invalid(`${channel}: arguments must be a list.`)
  if (args.length !== count) throw invalid(`${channel} takes ${count} argument(s), got ${args.length}.`)
  return args
}

function expectReportId(value: unknown): string {
  if (typeof value !== 'string' || !REPORT_ID_PATTERN.test(value)) throw invalid('The report id is not valid.')
  return value
}

export function validateCaptureName(value: unknown): string {
  if (!isValidCaptureName(value)) throw invalid('That is not a capture file name.')
  return value
}

/**
 * An http(s) URL, or a host/path without a scheme (users paste
 * `www.linkedin.com/in/…`). Other schemes (file:, javascript:, data:) and
 * embedded credentials are refused. Returns the string as given.
 */
export function validateHttpUrl(value: unknown): string {
  if (typeof value !== 'string') throw invalid('The URL must be text.')
  const text = value.trim()
  if (text.length === 0) throw invalid('The URL is empty.')
  if (text.length > MAX_URL_LENGTH) throw invalid('The URL is too long.')
  if (/[\s\0]/.test(text)) throw invalid('The URL must not contain spaces.')
  const schemeMatch = /^([a-z][a-z0-9+.-]*):/i.exec(text)
  const hasScheme = text.includes('://') || (schemeMatch !== null && !/^[^/]*:\d+(\/|$)/.test(text))
  let parsed: URL
  try {
    parsed = new URL(hasScheme ? text : `https://${text}`)
  } catch {
    throw invalid('That is not a valid web address.')
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalid('Only http and https web addresses are accepted.')
  }
  if (parsed.username || parsed.password) throw invalid('Web addresses with a user name or password are not accepted.')
  if (!parsed.hostname) throw invalid('The web address has no host.')
  return text
}

export function validateVideoFrame(value: unknown): VideoFrameRequest {
  const frame = expectObject(value, 'The frame', ['width', 'height', 'data', 'timestampMs', 'personMask', 'expression'])
  const width = expectInteger(frame.width, 'Frame width', 1, MAX_FRAME_SIDE)
  const height = expectInteger(frame.height, 'Frame height', 1, MAX_FRAME_SIDE)
  if (width * height > MAX_FRAME_PIXELS) {
    throw invalid(`The frame is too large (${width}x${height}); downscale it to at most ${MAX_FRAME_PIXELS} pixels.`)
  }
  const data = expectBytes(frame.data, 'Frame data', MAX_FRAME_PIXELS * 4)
  if (data.length !== width * height * 4) {
    throw invalid(`Frame data has ${data.length} bytes; ${width}x${height} RGBA needs ${width * height * 4}.`)
  }
  return {
    width,
    height,
    data,
    timestampMs: expectNumber(frame.timestampMs, 'Frame timestamp', 0, Number.MAX_SAFE_INTEGER),
    personMask: expectBoolean(frame.personMask, 'personMask'),
    expression: expectBoolean(frame.expression, 'expression')
  }
}

/** Device paths are checked against the listed devices by the service; here only their shape. */
const MAX_DEVICE_PATH_LENGTH = 256

function expectEvenSize(frame: Record<string, unknown>, what: string): { width: number; height: number } {
  const width = expectInteger(frame.width, `${what} width`, 2, MAX_FRAME_SIDE)
  const height = expectInteger(frame.height, `${what} height`, 2, MAX_FRAME_SIDE)
  if (width % 2 !== 0 || height % 2 !== 0) throw invalid(`${what} width and height must be even (YUYV), not ${width}x${height}.`)
  if (width * height > MAX_VCAM_PIXELS) throw invalid(`${what} is too large (${width}x${height}).`)
  return { width, height }
}

export function validateVcamStart(value: unknown): VcamStartRequest {
  const request = expectObject(value, 'The virtual camera request', ['device', 'width', 'height', 'fps'])
  if (typeof request.device !== 'string' || request.device.length === 0 || request.device.length > MAX_DEVICE_PATH_LENGTH || request.device.includes('\0')) {
    throw invalid('The virtual camera device must be a device path.')
  }
  return { device: request.device, ...expectEvenSize(request, 'The virtual camera frame'), fps: expectNumber(request.fps, 'Frame rate', 1, MAX_VCAM_FPS) }
}

export function validateVcamFrame(value: unknown): VcamFrame {
  const frame = expectObject(value, 'The virtual camera frame', ['width', 'height', 'data'])
  const { width, height } = expectEvenSize(frame, 'The virtual camera frame')
  const data = expectBytes(frame.data, 'Frame data', MAX_VCAM_PIXELS * 4)
  if (data.length !== width * height * 4) throw invalid(`Frame data has ${data.length} bytes; ${width}x${height} RGBA needs ${width * height * 4}.`)
  return { width, height, data }
}

export function validateAuditSource(value: unknown): AuditSource {
  if (!isPlainObject(value)) throw invalid('The photo source must be an object.')
  switch (value.kind) {
    case 'bytes': {
      const source = expectObject(value, 'The photo source', ['kind', 'name', 'data'])
      if (typeof source.name !== 'string' || source.name.length > MAX_SOURCE_NAME_LENGTH || source.name.includes('\0')) {
        throw invalid(`The photo name must be text of at most ${MAX_SOURCE_NAME_LENGTH} characters.`)
      }
      return { kind: 'bytes', name: source.name, data: expectBytes(source.data, 'The photo', MAX_IMAGE_BYTES) }
    }
    case 'url': {
      const source = expectObject(value, 'The photo source', ['kind', 'url'])
      return { kind: 'url', url: validateHttpUrl(source.url) }
    }
    default:
      throw invalid('The photo source must be the bytes of a photo or a URL.')
  }
}

export function validateAuditOptions(value: unknown): Partial<AuditOptions> {
  const numeric = Object.keys(AUDIT_OPTION_RANGES) as NumericAuditOption[]
  const options = expectObject(value, 'Audit options', ['blurMode', ...numeric])
  const out: Partial<AuditOptions> = {}
  if (options.blurMode !== undefined) out.blurMode = expectEnum(options.blurMode, 'blurMode', BLUR_MODES)
  for (const key of numeric) {
    const { min, max } = AUDIT_OPTION_RANGES[key]
    if (options[key] !== undefined) out[key] = expectNumber(options[key], key, min, max)
  }
  return out
}

export function validateCaptureRequest(value: unknown): CaptureRequest {
  const capture = expectObject(value, 'The capture', ['data', 'mimeType'])
  const mimeType = expectEnum(capture.mimeType, 'mimeType', ['image/jpeg', 'image/png'] as const)
  const data = expectBytes(capture.data, 'The capture', MAX_IMAGE_BYTES)
  if (sniffImageType(data) !== mimeType) throw invalid(`The capture bytes are not a ${mimeType} image.`)
  return { data, mimeType }
}

/**
 * A settings patch: known sections and keys, values of the right type and
 * range. (Which capture folder may be set is the handler's rule: only the one
 * the user picked in the folder dialog.)
 */
export function validateSettingsPatch(value: unknown): SettingsPatch {
  const patch = expectObject(value, 'The settings change', SETTINGS_SECTIONS)
  const out: Record<string, Record<string, unknown>> = {}
  for (const section of SETTINGS_SECTIONS) {
    if (patch[section] === undefined) continue
    const specs = SETTINGS_SCHEMA[section] as Record<string, FieldSpec>
    const sectionPatch = expectObject(patch[section], `Settings section ${section}`, Object.keys(specs))
    const sectionOut: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(sectionPatch)) {
      if (item === undefined) continue
      const check = checkField(specs[key], item, false)
      if (!check.ok) throw invalid(`Setting ${section}.${key} ${check.reason}.`)
      sectionOut[key] = check.value
    }
    out[section] = sectionOut
  }
  return out as SettingsPatch
}

type ArgValidators = { [C in IpcChannel]: (args: unknown) => IpcArgs<C> }

const noArgs =
  <C extends IpcChannel>(channel: C) =>
  (args: unknown): IpcArgs<C> => {
    expectArgs(args, 0, channel)
    return [] as unknown as IpcArgs<C>
  }

export const ARG_VALIDATORS: ArgValidators = {
  'vision:detectForVideo': (args) => {
    const [frame] = expectArgs(args, 1, 'vision:detectForVideo')
    return [validateVideoFrame(frame)]
  },
  'audit:run': (args) => {
    const [source, options] = expectArgs(args, 2, 'audit:run')
    return [validateAuditSource(source), validateAuditOptions(options)]
  },
  'audit:image': (args) => {
    const [id, kind] = expectArgs(args, 2, 'audit:image')
    return [expectReportId(id), expectEnum<AuditViewKind>(kind, 'Image kind', ['original', 'blurred'])]
  },
  'audit:blur': (args) => {
    const [id, mode, strength] = expectArgs(args, 3, 'audit:blur')
    return [expectReportId(id), expectEnum(mode, 'Blur mode', BLUR_MODES), expectNumber(strength, AUDIT_OPTION_RANGES.blurStrength.label, AUDIT_OPTION_RANGES.blurStrength.min, AUDIT_OPTION_RANGES.blurStrength.max)]
  },
  'audit:save': (args) => {
    const [id, kind] = expectArgs(args, 2, 'audit:save')
    return [expectReportId(id), expectEnum<AuditSaveKind>(kind, 'Save kind', ['blurred', 'annotated', 'report', 'fixed'])]
  },
  'audit:fix': (args) => {
    const [id, size] = expectArgs(args, 2, 'audit:fix')
    return [expectReportId(id), expectInteger(size, 'Fixed photo size', FIX_MIN_SIZE, FIX_MAX_SIZE)]
  },
  'linkedin:signOut': noArgs('linkedin:signOut'),
  'linkedin:status': noArgs('linkedin:status'),
  'linkedin:signIn': noArgs('linkedin:signIn'),
  'captures:save': (args) => {
    const [capture] = expectArgs(args, 1, 'captures:save')
    return [validateCaptureRequest(capture)]
  },
  'captures:list': noArgs('captures:list'),
  'captures:read': (args) => [validateCaptureName(expectArgs(args, 1, 'captures:read')[0])],
  'captures:delete': (args) => [validateCaptureName(expectArgs(args, 1, 'captures:delete')[0])],
  'captures:open': (args) => [validateCaptureName(expectArgs(args, 1, 'captures:open')[0])],
  'captures:chooseFolder': noArgs('captures:chooseFolder'),
  'settings:get': noArgs('settings:get'),
  'settings:set': (args) => [validateSettingsPatch(expectArgs(args, 1, 'settings:set')[0])],
  'vcam:status': noArgs('vcam:status'),
  'vcam:start': (args) => [validateVcamStart(expectArgs(args, 1, 'vcam:start')[0])],
  'vcam:frame': (args) => [validateVcamFrame(expectArgs(args, 1, 'vcam:frame')[0])],
  'vcam:stop': noArgs('vcam:stop')
}

export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && (IPC_CHANNELS as readonly string[]).includes(value)
}

/** Validates the arguments of any channel; unknown channels are refused. */
export function validateArgs<C extends IpcChannel>(channel: C, args: unknown): IpcArgs<C> {
  if (!isIpcChannel(channel)) throw invalid('Unknown request.')
  return ARG_VALIDATORS[channel](args) as IpcArgs<C>
}
