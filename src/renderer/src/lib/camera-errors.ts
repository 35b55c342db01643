/** getUserMedia failures -> typed errors with a message a person can act on. */
import { SmilecamError } from '../../../shared/errors'

export function cameraError(error: unknown): SmilecamError {
  if (error instanceof SmilecamError) return error
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : ''
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new SmilecamError(
        'CAMERA_DENIED',
        'Camera access was denied. Allow camera access for Smilecam (browser site settings or system privacy settings), then try again.'
      )
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return new SmilecamError(
        'CAMERA_BUSY',
        'The camera is in use by another application or could not be started. Close other apps using the camera, then try again.'
      )
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return new SmilecamError('NO_CAMERA', 'No camera was found. Connect a camera, then try again.')
    default: {
      const detail = error instanceof Error && error.message ? ` (${error.message})` : ''
      return new SmilecamError('INTERNAL', `The camera could not be started${detail}.`)
    }
  }
}
