/**
 * SSRF guard: downloads reach public addresses only. A real server on 127.0.0.1 is the target;
 * every spelling of a loopback address must be refused before a single request reaches it, at
 * connect time (a DNS answer is checked where the socket uses it) and on every redirect hop.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchImageUrl, fetchPhotoForAudit } from '../../../src/core/linkedin/fetch-photo'
import { classifyAddress } from '../../../src/core/net/address-policy'
import { createPublicFetch, type ResolveHost } from '../../../src/core/net/public-fetch'
import { downloadImage, resolveFetchOptions } from '../../../src/core/net/guarded-fetch'
import { failure } from '../linkedin/expect-failure'

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46])

interface Target {
  server: Server
  port: number
  origin: string
  hits: string[]
}

async function startTarget(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Target> {
  const hits: string[] = []
  const server = createServer((req, res) => {
    hits.push(req.url ?? '')
    handler(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return { server, port, origin: `http://127.0.0.1:${port}`, hits }
}

const serveJpeg = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': JPEG.length })
  res.end(JPEG)
}

let target: Target
let redirector: Target

beforeAll(async () => {
  target = await startTarget(serveJpeg)
  redirector = await startTarget((req, res) => {
    const location = decodeURIComponent((req.url ?? '').replace(/^\/to\//, ''))
    res.writeHead(302, { location, 'content-length': 0 })
    res.end()
  })
})
afterAll(async () => {
  for (const { server } of [target, redirector]) await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:7f00:1::', 'loopback'],
    ['2001:db8::1', 'documentation'],
    ['not-an-ip', 'invalid']
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind)
  })

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '13.107.42.14', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450:4001::200e'])(
    '%s is public',
    (address) => {
      expect(classifyAddress(address)).toBe('public')
    }
  )
})

describe('image-URL downloads refuse non-public addresses', () => {
  it.each([
    '127.0.0.1',
    '2130706433', // 127.0.0.1 as one decimal number
    '0x7f000001',
    '0x7f.0.0.1',
    '017700000001', // octal
    '127.1',
    '0.0.0.0',
    '0',
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]',
    '[::1]',
    '[0:0:0:0:0:ffff:127.0.0.1]',
    'localhost'
  ])('http://%s:PORT/ is URL_NOT_ALLOWED and never reaches the server', async (host) => {
    const before = target.hits.length
    const error = await failure(fetchImageUrl(`http://${host}:${target.port}/p.jpg`, { timeoutMs: 5_000 }))
    expect(error.code).toBe('URL_NOT_ALLOWED')
    expect(error.message).toMatch(/public internet addresses only/)
    expect(target.hits.length).toBe(before)
  })

  it('refuses a redirect hop into a private address (the first hop is allowed for the test)', async () => {
    const before = target.hits.length
    const hop = `${redirector.origin}/to/${encodeURIComponent(`${target.origin}/p.jpg`)}`
    const error = await failure(fetchImageUrl(hop, { timeoutMs: 5_000, privateOriginsForTests: [redirector.origin] }))
    expect(error.code).toBe('URL_NOT_ALLOWED')
    expect(redirector.hits.length).toBeGreaterThan(0)
    expect(target.hits.length).toBe(before)
  })

  it('checks the address the socket connects to: a name resolving to loopback is refused (DNS rebinding)', async () => {
    let lookups = 0
    // A hostile DNS server: the first answer is public, every later one points at this machine.
    const rebinding: ResolveHost = async () => (lookups++ === 0 ? [{ address: '93.184.215.14', family: 4 }] : [{ address: '127.0.0.1', family: 4 }])
    await rebinding('warm-up.example') // the "check" a pre-flight resolver would have made
    const before = target.hits.length
    const options = resolveFetchOptions({ fetchImpl: createPublicFetch({ resolveHost: rebinding }), timeoutMs: 5_000 })
    const error = await failure(downloadImage(`http://photos.example:${target.port}/p.jpg`, options))
    expect(error.code).toBe('URL_NOT_ALLOWED')
    expect(error.message).toContain('photos.example (127.0.0.1)')
    expect(target.hits.length).toBe(before)
  })

  it('refuses a name whose answers mix public and private addresses', async () => {
    const mixed: ResolveHost = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '::1', family: 6 }
    ]
    const options = resolveFetchOptions({ fetchImpl: createPublicFetch({ resolveHost: mixed }), timeoutMs: 5_000 })
    expect((await failure(downloadImage(`http://photos.example:${target.port}/p.jpg`, options))).code).toBe('URL_NOT_ALLOWED')
  })

  it('connects through the checked answer: a name the test allows reaches the fixture server', async () => {
    const local: ResolveHost = async () => [{ address: '127.0.0.1', family: 4 }]
    const fetchImpl = createPublicFetch({ resolveHost: local, privateOriginsForTests: [`http://photos.example:${target.port}`] })
    const image = await downloadImage(`http://photos.example:${target.port}/p.jpg`, resolveFetchOptions({ fetchImpl, timeoutMs: 5_000 }))
    expect(image.mimeType).toBe('image/jpeg')
    expect(Buffer.from(image.bytes).equals(JPEG)).toBe(true)
  })

  it('the test allowance is per origin: another port on 127.0.0.1 stays refused', async () => {
    const error = await failure(fetchImageUrl(`${target.origin}/p.jpg`, { timeoutMs: 5_000, privateOriginsForTests: [redirector.origin] }))
    expect(error.code).toBe('URL_NOT_ALLOWED')
  })

  it('a LinkedIn-looking audit URL to loopback is refused too (the audit entry point)', async () => {
    expect((await failure(fetchPhotoForAudit(`http://2130706433:${target.port}/p.jpg`))).code).toBe('URL_NOT_ALLOWED')
  })
})
