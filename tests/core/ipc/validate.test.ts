import { describe, expect, it } from 'vitest'
import { SmilecamError } from '../../../src/shared/errors'
import { IPC_CHANNELS } from '../../../src/shared/ipc'
import {
  ARG_VALIDATORS,
  MAX_FRAME_PIXELS,
  validateArgs,
  validateAuditSource,
  validateHttpUrl,
  validateSettingsPatch,
  validateVideoFrame,
} from '../../../src/core/ipc/validate'

const JPEG_HEAD = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])
const PNG_HEAD = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])

function frame(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { width: 4, height: 2, data: new Uint8Array(32), timestampMs: 1000, personMask: true, expression: false, ...overrides }
}

function expectInvalid(run: () => unknown, message?: RegExp): void {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(SmilecamError)
    expect((error as SmilecamError).code).toBe('INVALID_INPUT')
    if (message) expect((error as SmilecamError).message).toMatch(message)
    return
  }
  throw new Error('expected INVALID_INPUT')
}

describe('a validator for every channel', () => {
  it('covers IPC_CHANNELS exactly', () => {
    expect(Object.keys(ARG_VALIDATORS).sort()).toEqual([...IPC_CHANNELS].sort())
  })

  it('refuses unknown channels, non-list args and wrong arity', () => {
    expectInvalid(() => validateArgs('fs:readFile' as never, []))
    expectInvalid(() => validateArgs('captures:list', {}))
    expectInvalid(() => validateArgs('captures:list', ['extra']))
    expectInvalid(() => validateArgs('audit:run', [{ kind: 'url', url: 'https://a.example/x.jpg' }]))
    expect(validateArgs('captures:list', [])).toEqual([])
  })
})

describe('video frames', () => {
  it('accepts a well-formed frame and a canvas Uint8ClampedArray without copying', () => {
    const data = new Uint8ClampedArray(32)
    const [checked] = validateArgs('vision:detectForVideo', [frame({ data })])
    expect(checked.data).toBeInstanceOf(Uint8Array)
    expect(checked.data.buffer).toBe(data.buffer)
    expect(checked).toMatchObject({ width: 4, height: 2, timestampMs: 1000, personMask: true, expression: false })
  })

  it('refuses wrong types', () => {
    expectInvalid(() => validateVideoFrame(frame({ width: '4' })))
    expectInvalid(() => validateVideoFrame(frame({ width: 4.5 })))
    expectInvalid(() => validateVideoFrame(frame({ data: Array.from({ length: 32 }, () => 0) })), /byte array/)
    expectInvalid(() => validateVideoFrame(frame({ personMask: 1 })))
    expectInvalid(() => validateVideoFrame(frame({ timestampMs: Number.NaN })))
    expectInvalid(() => validateVideoFrame(frame({ timestampMs: -1 })))
    expectInvalid(() => validateVideoFrame(frame({ extra: 1 })), /unknown field/)
    expectInvalid(() => validateVideoFrame(null))
  })

  it('refuses data whose length is not width*height*4', () => {
    expectInvalid(() => validateVideoFrame(frame({ data: new Uint8Array(31) })), /needs 32/)
    expectInvalid(() => validateVideoFrame(frame({ width: 0, data: new Uint8Array(0) })))
  })

  it('refuses huge frames before looking at the data', () => {
    expectInvalid(() => validateVideoFrame(frame({ width: 4096, height: 4096, data: new Uint8Array(4) })), /too large/)
    expectInvalid(() => validateVideoFrame(frame({ width: 100_000, height: 1, data: new Uint8Array(4) })))
    const side = Math.floor(Math.sqrt(MAX_FRAME_PIXELS))
    expect(validateVideoFrame(frame({ width: side, height: side, data: new Uint8Array(side * side * 4) })).width).toBe(side)
  })
})

describe('audit sources and URLs', () => {
  it('accepts http(s) URLs and scheme-less profile addresses', () => {
    expect(validateHttpUrl('https://www.linkedin.com/in/someone/')).toBe('https://www.linkedin.com/in/someone/')
    expect(validateHttpUrl('http://127.0.0.1:8080/x.jpg')).toBe('http://127.0.0.1:8080/x.jpg')
    expect(validateHttpUrl('  www.linkedin.com/in/someone ')).toBe('www.linkedin.com/in/someone')
    expect(validateHttpUrl('linkedin.com:443/in/x')).toBe('linkedin.com:443/in/x')
  })

  it('refuses other schemes, credentials, spaces and junk', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      'ftp://example.com/a.jpg',
      'https://user:pw@example.com/',
      'https://exa mple.com/',
      '',
      'x'.repeat(3000),
      42
    ]) {
      expectInvalid(() => validateHttpUrl(url))
    }
  })

  it('checks each source kind', () => {
    // No path ever crosses IPC/HTTP: a renderer (or token holder) must not make the app read a file.
    expectInvalid(() => validateAuditSource({ kind: 'file', path: '/home/me/photo.jpg' }), /bytes of a photo or a URL/)
    expectInvalid(() => validateAuditSource({ kind: 'file', path: '/etc/shadow' }))
    expectInvalid(() => validateArgs('audit:run', [{ kind: 'file', path: '/etc/passwd' }, {}]))
    expect(validateAuditSource({ kind: 'bytes', name: 'a.jpg', data: JPEG_HEAD }).kind).toBe('bytes')
    expectInvalid(() => validateAuditSource({ kind: 'bytes', name: 'a.jpg', data: new Uint8Array(0) }), /empty/)
    expectInvalid(() => validateAuditSource({ kind: 'bytes', name: 7, data: JPEG_HEAD }))
    expectInvalid(() => validateAuditSource({ kind: 'url', url: 'file:///etc/passwd' }))
    expectInvalid(() => validateAuditSource({ kind: 'shell', cmd: 'rm' }))
  })

  it('checks audit options, report ids and enums', () => {
    expect(validateArgs('audit:run', [{ kind: 'url', url: 'https://a.example/p' }, { blurStrength: 0.3 }])[1]).toEqual({ blurStrength: 0.3 })
    expectInvalid(() => validateArgs('audit:run', [{ kind: 'url', url: 'https://a.example/p' }, { blurStrength: 3 }]))
    expectInvalid(() => validateArgs('audit:image', ['../../etc', 'original']))
    expectInvalid(() => validateArgs('audit:image', ['abc', 'thumbnail']))
    expectInvalid(() => validateArgs('audit:blur', ['abc', 'person', 1.5]))
    expectInvalid(() => validateArgs('audit:save', ['abc', 'everything']))
    expect(validateArgs('audit:save', ['r-1_a', 'report'])).toEqual(['r-1_a', 'report'])
  })
})

describe('captures', () => {
  it('accepts plain capture names and refuses traversal', () => {
    expect(validateArgs('captures:read', ['smilecam-2026-11-21_10-15-30-1.jpg'])).toEqual(['smilecam-2026-11-21_10-15-30-1.jpg'])
    for (const name of ['../secret.jpg', '..\\secret.jpg', 'a/b.jpg', '/etc/x.png', '.hidden.jpg', 'notes.txt', 'x..jpg', '', 'a\0.jpg']) {
      expectInvalid(() => validateArgs('captures:delete', [name]))
    }
  })

  it('checks capture bytes against the declared type', () => {
    expect(validateArgs('captures:save', [{ data: JPEG_HEAD, mimeType: 'image/jpeg' }])[0].mimeType).toBe('image/jpeg')
    expect(validateArgs('captures:save', [{ data: PNG_HEAD, mimeType: 'image/png' }])[0].mimeType).toBe('image/png')
    expectInvalid(() => validateArgs('captures:save', [{ data: PNG_HEAD, mimeType: 'image/jpeg' }]))
    expectInvalid(() => validateArgs('captures:save', [{ data: JPEG_HEAD, mimeType: 'image/gif' }]))
    expectInvalid(() => validateArgs('captures:save', [{ data: 'ffd8ff', mimeType: 'image/jpeg' }]))
  })
})

describe('settings patches', () => {
  it('accepts valid partial patches', () => {
    expect(validateSettingsPatch({ live: { mirror: false, blurStrength: 0.2 }, capture: { folder: null } })).toEqual({
      live: { mirror: false, blurStrength: 0.2 },
      capture: { folder: null }
    })
  })
  it('refuses wrong types, out-of-range values, unknown keys and folder paths', () => {
    expectInvalid(() => validateSettingsPatch({ live: { mirror: 'yes' } }))
    expectInvalid(() => validateSettingsPatch({ live: { blurStrength: 7 } }), /between/)
    expectInvalid(() => validateSettingsPatch({ live: { blurMode: 'sepia' } }))
    expectInvalid(() => validateSettingsPatch({ theme: {} }))
    expectInvalid(() => validateSettingsPatch({ live: { autoplay: true } }))
    expectInvalid(() => validateSettingsPatch({ capture: { folder: 'relative/dir' } }))
    expectInvalid(() => validateSettingsPatch([]))
  })
})

describe('virtual camera', () => {
  it('start: a device path, even size, sane fps; nothing else', () => {
    expect(validateArgs('vcam:start', [{ device: '/dev/video10', width: 640, height: 480, fps: 30 }])).toEqual([{ device: '/dev/video10', width: 640, height: 480, fps: 30 }])
    expectInvalid(() => validateArgs('vcam:start', [{ device: '/dev/video10', width: 641, height: 480, fps: 30 }]), /even/)
    expectInvalid(() => validateArgs('vcam:start', [{ device: '', width: 640, height: 480, fps: 30 }]))
    expectInvalid(() => validateArgs('vcam:start', [{ device: '/dev/video10\0x', width: 640, height: 480, fps: 30 }]))
    expectInvalid(() => validateArgs('vcam:start', [{ device: '/dev/video10', width: 640, height: 480, fps: 500 }]))
    expectInvalid(() => validateArgs('vcam:start', [{ device: '/dev/video10', width: 640, height: 480, fps: 30, args: ['-y'] }]), /unknown/)
    expectInvalid(() => validateArgs('vcam:start', [{ device: '/dev/video10', width: 8000, height: 8000, fps: 30 }]))
  })

  it('frame: RGBA bytes matching an even size', () => {
    const data = new Uint8Array(4 * 2 * 4)
    expect(validateArgs('vcam:frame', [{ width: 4, height: 2, data }])).toEqual([{ width: 4, height: 2, data }])
    expectInvalid(() => validateArgs('vcam:frame', [{ width: 4, height: 2, data: new Uint8Array(31) }]))
    expectInvalid(() => validateArgs('vcam:frame', [{ width: 3, height: 2, data: new Uint8Array(24) }]))
    expectInvalid(() => validateArgs('vcam:frame', [{ width: 4, height: 2, data: [1, 2, 3] }]))
    expect(validateArgs('vcam:status', [])).toEqual([])
    expectInvalid(() => validateArgs('vcam:stop', ['now']))
  })
})
