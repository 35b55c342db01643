/**
 * The default `fetch` of every download: plain Node http(s) whose sockets may connect to public
 * internet addresses only. The check runs inside the socket's own DNS lookup, so the address
 * checked is the address connected to (a DNS answer that changes between a check and the
 * connect — DNS rebinding — cannot dodge it); IP literals, which skip DNS, are checked up front.
 * Redirects are not followed here: `fetchFollowingRedirects` calls this again for every hop.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import { Readable } from 'node:stream'
import { SmilecamError } from '../../shared/errors'
import { classifyAddress, type AddressKind } from './address-policy'

/** What the guarded fetch reads of a response; `Response` (and Electron's `session.fetch`) fit. */
export interface FetchResponse {
  status: number
  url: string
  headers: { get(name: string): string | null }
  body: ReadableStream<Uint8Array> | null
}

/** The subset of `fetch` we use; Electron's `session.fetch` fits too. */
export type FetchLike = (url: string, init: RequestInit) => Promise<FetchResponse>

/** All addresses of a host name (injectable so tests can play a DNS server). */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>

export interface PublicFetchOptions {
  /**
   * Test-only: origins (`http://127.0.0.1:PORT`) whose connections may reach a non-public address,
   * i.e. a local fixture server. Only code passes it; no flag, setting or environment variable does.
   */
  privateOriginsForTests?: readonly string[]
  resolveHost?: ResolveHost
}

const systemResolve: ResolveHost = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)))
  })

/** URL_NOT_ALLOWED, naming the host and what kind of address it reached (never a path or query). */
export function urlNotAllowed(host: string, address: string, kind: AddressKind): SmilecamError {
  const bare = host.replace(/^\[|\]$/g, '')
  const where = bare === address ? address : `${bare} (${address})`
  const what = kind === 'invalid' ? 'not a valid IP address' : `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} address`
  return new SmilecamError(
    'URL_NOT_ALLOWED',
    `${where} is ${what}; Smilecam downloads photos from public internet addresses only.`
  )
}

function headerObject(init: RequestInit): Record<string, string> {
  const headers: Record<string, string> = {}
  new Headers(init.headers).forEach((value, key) => {
    headers[key] = value
  })
  return headers
}

function toFetchResponse(response: IncomingMessage, url: string): FetchResponse {
  return {
    status: response.statusCode ?? 0,
    url,
    headers: {
      get(name) {
        const value = response.headers[name.toLowerCase()]
        if (value === undefined) return null
        return Array.isArray(value) ? value.join(', ') : String(value)
      }
    },
    body: Readable.toWeb(response) as ReadableStream<Uint8Array>
  }
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void

export function createPublicFetch(options: PublicFetchOptions = {}): FetchLike {
  const resolveHost = options.resolveHost ?? systemResolve
  const privateOrigins = new Set((options.privateOriginsForTests ?? []).map((origin) => new URL(origin).origin))

  return (url, init) =>
    new Promise<FetchResponse>((resolve, reject) => {
      const target = new URL(url)
      if (target.protocol !== 'https:' && target.protocol !== 'http:') {
        throw new SmilecamError('INVALID_URL', 'Only http and https addresses can be downloaded.')
      }
      if (init.redirect === 'follow') throw new SmilecamError('INTERNAL', 'The public fetch follows no redirects itself.')
      const mayBePrivate = privateOrigins.has(target.origin)
      const hostname = target.hostname.replace(/^\[|\]$/g, '')
      const refusal = (address: string): SmilecamError | null => {
        const kind = classifyAddress(address)
        return kind === 'public' || mayBePrivate ? null : urlNotAllowed(target.hostname, address, kind)
      }
      if (isIP(hostname)) {
        const refused = refusal(hostname)
        if (refused) throw refused
      }
      const lookup = (host: string, lookupOptions: { family?: number | string; all?: boolean }, callback: LookupCallback) => {
        resolveHost(host).then(
          (all) => {
            const family = lookupOptions.family === 'IPv4' ? 4 : lookupOptions.family === 'IPv6' ? 6 : Number(lookupOptions.family ?? 0)
            const addresses = family === 4 || family === 6 ? all.filter((entry) => entry.family === family) : all
            // Every answer must be public: the socket may try any of them.
            const refused = all.map((entry) => refusal(entry.address)).find((error) => error !== null)
            if (refused) return callback(refused, '')
            if (addresses.length === 0) return callback(Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), '')
            if (lookupOptions.all) callback(null, addresses)
            else callback(null, addresses[0].address, addresses[0].family)
          },
          (error: Error) => callback(error, '')
        )
      }
      const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, {
        method: 'GET',
        headers: headerObject(init),
        signal: init.signal ?? undefined,
        lookup: lookup as never,
        // A fresh socket per request: nothing pooled outlives the download or skips the lookup.
        agent: false
      })
      request.once('response', (response) => resolve(toFetchResponse(response, url)))
      request.once('error', reject)
      request.end()
    })
}
