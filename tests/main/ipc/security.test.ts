import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from '../../../src/shared/csp'
import { isNavigationAllowed, isPermissionGranted } from '../../../src/main/security'

const ours = (url: string | undefined) => url === 'file:///app/index.html'

describe('isPermissionGranted', () => {
  it('grants the camera to our renderer only', () => {
    expect(isPermissionGranted('media', { requestingUrl: 'file:///app/index.html', mediaTypes: ['video'] }, ours)).toBe(true)
    expect(isPermissionGranted('media', { requestingUrl: 'file:///app/index.html', mediaType: 'video' }, ours)).toBe(true)
    expect(isPermissionGranted('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['video'] }, ours)).toBe(false)
    expect(isPermissionGranted('media', { mediaTypes: ['video'] }, ours)).toBe(false)
  })

  it('denies the microphone, unknown media and empty requests', () => {
    const url = 'file:///app/index.html'
    expect(isPermissionGranted('media', { requestingUrl: url, mediaTypes: ['video', 'audio'] }, ours)).toBe(false)
    expect(isPermissionGranted('media', { requestingUrl: url, mediaTypes: ['audio'] }, ours)).toBe(false)
    expect(isPermissionGranted('media', { requestingUrl: url, mediaType: 'unknown' }, ours)).toBe(false)
    expect(isPermissionGranted('media', { requestingUrl: url, mediaTypes: [] }, ours)).toBe(false)
    expect(isPermissionGranted('media', { requestingUrl: url }, ours)).toBe(false)
  })

  it('denies every other permission, even to our renderer', () => {
    for (const permission of ['geolocation', 'notifications', 'display-capture', 'openExternal', 'clipboard-read', 'fullscreen', 'usb']) {
      expect(isPermissionGranted(permission, { requestingUrl: 'file:///app/index.html', mediaTypes: ['video'] }, ours)).toBe(false)
    }
  })
})

describe('navigation and CSP', () => {
  it('allows navigation only to our renderer', () => {
    expect(isNavigationAllowed('file:///app/index.html', ours)).toBe(true)
    expect(isNavigationAllowed('https://www.linkedin.com/', ours)).toBe(false)
  })

  it('has no unsafe script sources and locks down the header', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*(unsafe|\*)/)
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'")
    expect(CONTENT_SECURITY_POLICY_HEADER).toContain("frame-ancestors 'none'")
    expect(CONTENT_SECURITY_POLICY_HEADER).toContain("object-src 'none'")
  })
})
