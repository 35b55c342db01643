import { describe, expect, it } from 'vitest'
import { cameraError } from '../../../src/renderer/src/lib/camera-errors'
import { SmilecamError } from '../../../src/shared/errors'

const domError = (name: string, message = ''): Error => Object.assign(new Error(message), { name })

describe('cameraError', () => {
  it('maps getUserMedia failures to typed codes with actionable messages', () => {
    expect(cameraError(domError('NotAllowedError')).code).toBe('CAMERA_DENIED')
    expect(cameraError(domError('NotAllowedError')).message).toMatch(/denied/i)
    expect(cameraError(domError('NotReadableError')).code).toBe('CAMERA_BUSY')
    expect(cameraError(domError('NotReadableError')).message).toMatch(/in use/i)
    expect(cameraError(domError('NotFoundError')).code).toBe('NO_CAMERA')
    expect(cameraError(domError('OverconstrainedError')).code).toBe('NO_CAMERA')
  })

  it('keeps typed errors and wraps unknown ones with their detail', () => {
    const typed = new SmilecamError('CAMERA_BUSY', 'x')
    expect(cameraError(typed)).toBe(typed)
    const other = cameraError(domError('WeirdError', 'boom'))
    expect(other.code).toBe('INTERNAL')
    expect(other.message).toContain('boom')
    expect(cameraError('nope').code).toBe('INTERNAL')
  })
})
