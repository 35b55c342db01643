/**
 * The app:// protocol that serves the packaged renderer: files under the built folder only, each
 * with the full CSP header (a file:// page got none), and the <meta> CSP in index.html is the same
 * policy minus what only a header can say.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RENDERER_PAGE_URL, rendererResponse } from '../../src/main/renderer-protocol'
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from '../../src/shared/csp'

let dir: string
let root: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smilecam-protocol-'))
  root = join(dir, 'renderer')
  await mkdir(join(root, 'assets'), { recursive: true })
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Smilecam</title>')
  await writeFile(join(root, 'assets', 'index-abc.js'), 'export {}')
  await writeFile(join(dir, 'secret.txt'), 'outside the renderer folder')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const get = (url: string, method = 'GET') => rendererResponse(root, { url, method })

describe('rendererResponse', () => {
  it('serves the page and its modules with the full CSP header and the right types', async () => {
    const page = await get(RENDERER_PAGE_URL)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await page.text()).toContain('<title>Smilecam</title>')
    const csp = page.headers.get('content-security-policy') ?? ''
    expect(csp).toBe(CONTENT_SECURITY_POLICY_HEADER)
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"]) expect(csp).toContain(directive)
    const script = await get('app://smilecam/assets/index-abc.js')
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(script.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('serves nothing outside the renderer folder, of another host, or by another method', async () => {
    for (const url of [
      'app://smilecam/%2e%2e/secret.txt',
      'app://smilecam/assets/..%2f..%2fsecret.txt',
      'app://smilecam/missing.js',
      'app://smilecam/assets',
      'app://evil/index.html',
      'file:///etc/passwd'
    ]) {
      const response = await get(url)
      expect(response.status).toBe(404)
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER)
    }
    expect((await get(RENDERER_PAGE_URL, 'POST')).status).toBe(405)
  })
})

describe('the CSP', () => {
  it('index.html carries the same policy in its <meta> tag, object-src and base-uri included', async () => {
    const html = await readFile(join(import.meta.dirname, '../../src/renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1]
    expect(meta).toBe(CONTENT_SECURITY_POLICY)
    expect(meta).toContain("object-src 'none'")
    expect(meta).toContain("base-uri 'none'")
    expect(CONTENT_SECURITY_POLICY_HEADER).toBe(`${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`)
  })
})
