import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { bearerToken, formatSseEvent, frameFromQuery, isLoopbackHostHeader, resolveStaticPath, tokensEqual } from '../../src/server/http'
import { parseBrowserModeArgs } from '../../src/server/cli'

describe('http helpers', () => {
  it('compares tokens exactly', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true)
    expect(tokensEqual('abd', 'abc')).toBe(false)
    expect(tokensEqual('ab', 'abc')).toBe(false)
    expect(tokensEqual(null, 'abc')).toBe(false)
  })

  it('reads bearer tokens', () => {
    expect(bearerToken('Bearer xyz')).toBe('xyz')
    expect(bearerToken('bearer xyz ')).toBe('xyz')
    expect(bearerToken('Basic xyz')).toBeNull()
    expect(bearerToken(undefined)).toBeNull()
  })

  it('accepts only loopback Host headers on our port', () => {
    expect(isLoopbackHostHeader('127.0.0.1:8080', 8080)).toBe(true)
    expect(isLoopbackHostHeader('localhost:8080', 8080)).toBe(true)
    expect(isLoopbackHostHeader('127.0.0.1:8081', 8080)).toBe(false)
    expect(isLoopbackHostHeader('attacker.example:8080', 8080)).toBe(false)
    expect(isLoopbackHostHeader(undefined, 8080)).toBe(false)
  })

  it('maps URL paths inside the web root only', () => {
    const root = '/srv/web'
    expect(resolveStaticPath(root, '/')).toBe(join(root, 'index.html'))
    expect(resolveStaticPath(root, '/assets/a.js')).toBe(join(root, 'assets/a.js'))
    expect(resolveStaticPath(root, '/../etc/passwd')).toBeNull()
    expect(resolveStaticPath(root, '/%2e%2e/etc/passwd')).toBeNull()
    expect(resolveStaticPath(root, '/assets/..%2f..%2fx')).toBeNull()
    expect(resolveStaticPath(root, '/%00')).toBeNull()
    expect(resolveStaticPath(root, '/%E0%A4%A')).toBeNull()
  })

  it('builds frame objects from the query, leaving bad values for the validator', () => {
    const data = new Uint8Array(4)
    expect(frameFromQuery(new URLSearchParams('width=1&height=1&timestampMs=5&personMask=1'), data)).toEqual({
      width: 1,
      height: 1,
      timestampMs: 5,
      personMask: true,
      expression: false,
      data
    })
    const bad = frameFromQuery(new URLSearchParams('width=x&personMask=true'), data)
    expect(bad.width).toBeNaN()
    expect(bad.height).toBeNaN()
    expect(bad.personMask).toBe('true')
  })

  it('formats SSE messages on one data line', () => {
    expect(formatSseEvent('audit:progress', { message: 'a\nb' })).toBe('event: audit:progress\ndata: {"message":"a\\nb"}\n\n')
  })
})

describe('browser-mode command line', () => {
  it('parses flags relative to the working directory', () => {
    expect(parseBrowserModeArgs(['--port', '8123', '--captures-dir', 'cap', '--linkedin-test-origin', 'http://127.0.0.1:9000/x'], '/w')).toEqual({
      port: 8123,
      capturesDir: '/w/cap',
      linkedinTestOrigin: 'http://127.0.0.1:9000'
    })
    expect(parseBrowserModeArgs(['--help'], '/w')).toBe('help')
    expect(parseBrowserModeArgs([], '/w')).toEqual({})
  })

  it('refuses bad flags with INVALID_INPUT', () => {
    expect(() => parseBrowserModeArgs(['--port', '70000'], '/w')).toThrow(/port/)
    expect(() => parseBrowserModeArgs(['--host', '0.0.0.0'], '/w')).toThrow()
    expect(() => parseBrowserModeArgs(['--linkedin-test-origin', 'nope'], '/w')).toThrow(/URL/)
  })
})
