/**
 * Typed, user-readable errors. They cross process boundaries as plain
 * `{ code, message }` objects and are rebuilt with `SmilecamError.from`.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'FILE_NOT_FOUND',
  'EMPTY_FILE',
  'NOT_AN_IMAGE',
  'CORRUPT_IMAGE',
  'UNSUPPORTED_IMAGE',
  'IMAGE_TOO_LARGE',
  'NO_FACE',
  'FACE_CUT_OFF',
  'RESOLUTION_TOO_LOW',
  'MODEL_MISSING',
  'ENGINE_FAILED',
  'ENGINE_TIMEOUT',
  'ENGINE_CLOSED',
  'INVALID_URL',
  'URL_NOT_ALLOWED',
  'NETWORK_ERROR',
  'TIMEOUT',
  'REDIRECT_LOOP',
  'PROFILE_NOT_FOUND',
  'NO_PROFILE_PHOTO',
  'SIGN_IN_REQUIRED',
  'BLOCKED',
  'RESPONSE_NOT_IMAGE',
  'RESPONSE_TOO_LARGE',
  'CAMERA_DENIED',
  'CAMERA_BUSY',
  'NO_CAMERA',
  'FORBIDDEN',
  'CANCELLED',
  'DISK_FULL',
  'NOT_WRITABLE',
  'NOT_A_FOLDER',
  'FFMPEG_MISSING',
  'FFMPEG_FAILED',
  'DEVICE_BUSY',
  'DEVICE_GONE',
  'NOT_AVAILABLE',
  'INTERNAL'
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ErrorInfo {
  code: ErrorCode
  message: string
}

export class SmilecamError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'SmilecamError'
  }

  toJSON(): ErrorInfo {
    return { code: this.code, message: this.message }
  }

  /** Wraps anything thrown into a SmilecamError, keeping typed ones as they are. */
  static from(error: unknown, fallback: ErrorCode = 'INTERNAL'): SmilecamError {
    if (error instanceof SmilecamError) return error
    if (isErrorInfo(error)) return new SmilecamError(error.code, error.message)
    const message = error instanceof Error ? error.message : String(error)
    return new SmilecamError(fallback, message)
  }
}

export function isErrorInfo(value: unknown): value is ErrorInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorInfo).message === 'string' &&
    (ERROR_CODES as readonly string[]).includes((value as ErrorInfo).code)
  )
}
