/**
 * The packaged renderer is served from `app://smilecam/…` by a protocol handler, not from
 * `file://`: a file page gets no response headers, so its CSP would be the <meta> tag alone
 * (which cannot carry frame-ancestors) and it would keep file:// privileges. Every answer carries
 * the full CSP header. Pure apart from reading files, so it is tested without Electron.
 */
import { readFile, stat } from 'node:fs/promises'
import { CONTENT_SECURITY_POLICY_HEADER } from '../shared/csp'
import { contentTypeFor, resolveStaticPath } from '../core'

export const RENDERER_SCHEME = 'app'
export const RENDERER_HOST = 'smilecam'
export const RENDERER_PAGE_URL = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`

/** For `protocol.registerSchemesAsPrivileged`: a standard, secure origin (modules, fetch, storage work as on https). */
export const RENDERER_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, codeCache: true } as const

const HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY_HEADER,
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer'
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' } })
}

/** Answers one `app://` request with a file under `root` (the built renderer folder), or 404. */
export async function rendererResponse(root: string, request: { url: string; method: string }): Promise<Response> {
  let url: URL
  try {
    url = new URL(request.url)
  } catch {
    return notFound()
  }
  if (url.protocol !== `${RENDERER_SCHEME}:` || url.host !== RENDERER_HOST) return notFound()
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers: HEADERS })
  const file = resolveStaticPath(root, url.pathname)
  if (!file) return notFound()
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) return notFound()
  const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(file))
  return new Response(body, { status: 200, headers: { ...HEADERS, 'content-type': contentTypeFor(file), 'cache-control': 'no-cache' } })
}
