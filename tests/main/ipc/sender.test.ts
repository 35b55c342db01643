import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isTrustedRendererUrl } from '../../../src/main/ipc/sender'

const indexFile = '/opt/Smilecam/resources/app.asar/out/renderer/index.html'
const packaged = {}
const dev = { devServerUrl: 'http://localhost:5173/' }

describe('isTrustedRendererUrl', () => {
  it('trusts the packaged page on app://smilecam with any hash or query', () => {
    const url = 'app://smilecam/index.html'
    expect(isTrustedRendererUrl(url, packaged)).toBe(true)
    expect(isTrustedRendererUrl(`${url}#/audit`, packaged)).toBe(true)
    expect(isTrustedRendererUrl(`${url}?x=1`, packaged)).toBe(true)
  })

  it('refuses other files, hosts and schemes in production', () => {
    expect(isTrustedRendererUrl('file:///tmp/evil.html', packaged)).toBe(false)
    // The page is served from app:// now: its file:// path is no longer ours.
    expect(isTrustedRendererUrl(pathToFileURL(indexFile).href, packaged)).toBe(false)
    expect(isTrustedRendererUrl('app://smilecam/other.html', packaged)).toBe(false)
    expect(isTrustedRendererUrl('app://evil/index.html', packaged)).toBe(false)
    expect(isTrustedRendererUrl('file://server/opt/Smilecam/resources/app.asar/out/renderer/index.html', packaged)).toBe(false)
    expect(isTrustedRendererUrl('http://localhost:5173/', packaged)).toBe(false)
    expect(isTrustedRendererUrl('https://www.linkedin.com/in/x', packaged)).toBe(false)
    expect(isTrustedRendererUrl('', packaged)).toBe(false)
    expect(isTrustedRendererUrl(undefined, packaged)).toBe(false)
    expect(isTrustedRendererUrl('not a url', packaged)).toBe(false)
  })

  it('trusts only the dev server origin in development', () => {
    expect(isTrustedRendererUrl('http://localhost:5173/#/live', dev)).toBe(true)
    expect(isTrustedRendererUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isTrustedRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false)
    expect(isTrustedRendererUrl('https://localhost:5173/', dev)).toBe(false)
    expect(isTrustedRendererUrl(pathToFileURL(indexFile).href, dev)).toBe(false)
  })
})
