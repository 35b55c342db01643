import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createVirtualCameraService } from '../../src/core/vcam/service'
import { createHandlers, type HandlerDeps, type VideoEngine } from '../../src/core/handlers'
import { createCaptureStore } from '../../src/core/captures/store'
import { createSettingsStore } from '../../src/core/settings/store'
import type { AuditProgress, PhotoReport } from '../../src/shared/audit'
import type { VisionResult } from '../../src/shared/vision'

const RESULT: VisionResult = {
  width: 2,
  height: 1,
  faces: [],
  timings: { detectMs: 1, landmarksMs: 0, expressionMs: 0, segmentMs: 0, totalMs: 1 }
}

describe('createHandlers', () => {
  let dir: string
  let deps: HandlerDeps
  let events: [string, unknown][]

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smilecam-handlers-'))
    events = []
    const engine: VideoEngine = {
      detectForVideo: vi.fn(async () => RESULT)
    }
    const audit: HandlerDeps['audit'] = {
      run: vi.fn(async (_source, _options, onProgress: (p: AuditProgress) => void) => {
        onProgress({ step: 'detect', fraction: 0.5, message: 'Finding faces' })
        return { id: 'r1' } as PhotoReport
      }),
      image: vi.fn(),
      blur: vi.fn(),
      fix: vi.fn(),
      save: vi.fn(async (_id, kind, folder) => join(folder, `r1-${kind}.jpg`))
    }
    deps = {
      engine,
      audit,
      linkedin: {
        signOut: vi.fn(async () => undefined),
        status: vi.fn(async () => ({ signedIn: true, canSignIn: true })),
        signIn: vi.fn(async () => ({ signedIn: true, canSignIn: true }))
      },
      captures: createCaptureStore({ folder: join(dir, 'default') }),
      settings: createSettingsStore({ file: join(dir, 'settings.json') }),
      dialogs: { chooseFolder: vi.fn(async () => join(dir, 'chosen')), openPath: vi.fn(async () => true) },
      emit: (channel, payload) => events.push([channel, payload]),
      defaultCapturesFolder: join(dir, 'default'),
      vcam: createVirtualCameraService({ platform: 'linux', listDevices: async () => [] })
    }
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('passes frames to detectForVideo with per-frame stage switches and returns null for dropped frames', async () => {
    const handlers = createHandlers(deps)
    const data = new Uint8Array(8)
    const frame = { width: 2, height: 1, data, timestampMs: 33, personMask: true, expression: false }
    expect(await handlers['vision:detectForVideo'](frame)).toBe(RESULT)
    expect(deps.engine.detectForVideo).toHaveBeenCalledWith({ width: 2, height: 1, data }, 33, { personMask: true, expression: false })
    vi.mocked(deps.engine.detectForVideo).mockResolvedValueOnce(null)
    expect(await handlers['vision:detectForVideo'](frame)).toBeNull()
  })

  it('fills audit options from settings and forwards progress as events', async () => {
    const handlers = createHandlers(deps)
    await deps.settings.update({ audit: { marThreshold: 0.12 } })
    await handlers['audit:run']({ kind: 'url', url: 'https://x.example/p.jpg' }, { blurStrength: 0.9 })
    expect(deps.audit.run).toHaveBeenCalledWith(
      { kind: 'url', url: 'https://x.example/p.jpg' },
      { blurStrength: 0.9, blurMode: 'person', minFaceAreaRatio: 0.25, marThreshold: 0.12 },
      expect.any(Function)
    )
    expect(events).toEqual([['audit:progress', { step: 'detect', fraction: 0.5, message: 'Finding faces' }]])
  })

  it('saves audit outputs into the captures folder', async () => {
    const handlers = createHandlers(deps)
    expect(await handlers['audit:save']('r1', 'blurred')).toBe(join(dir, 'default', 'r1-blurred.jpg'))
  })

  it('chooses a folder, persists it and saves captures there; null resets to the default', async () => {
    const handlers = createHandlers(deps)
    expect(await handlers['captures:chooseFolder']()).toBe(join(dir, 'chosen'))
    expect((await deps.settings.load()).settings.capture.folder).toBe(join(dir, 'chosen'))
    const jpeg = new Uint8Array(await sharp({ create: { width: 4, height: 4, channels: 3, background: '#888' } }).jpeg().toBuffer())
    const info = await handlers['captures:save']({ data: jpeg, mimeType: 'image/jpeg' })
    await handlers['captures:open'](info.name)
    expect(deps.dialogs.openPath).toHaveBeenCalledWith(join(dir, 'chosen', info.name))
    expect((await handlers['captures:list']()).map((c) => c.name)).toEqual([info.name])

    await handlers['settings:set']({ capture: { folder: null } })
    expect(deps.captures.folder()).toBe(join(dir, 'default'))
    expect(await handlers['captures:list']()).toEqual([])
  })

  it('refuses folders that did not come from the dialog, accepts repeating the chosen one', async () => {
    const handlers = createHandlers(deps)
    await expect(handlers['settings:set']({ capture: { folder: '/home/me/.config/autostart' } })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect((await deps.settings.load()).settings.capture.folder).toBeNull()
    const chosen = await handlers['captures:chooseFolder']()
    const next = await handlers['settings:set']({ capture: { folder: chosen } })
    expect(next.capture.folder).toBe(chosen)
    expect(deps.captures.folder()).toBe(chosen)
  })

  it('keeps the folder when the dialog is cancelled', async () => {
    vi.mocked(deps.dialogs.chooseFolder).mockResolvedValueOnce(null)
    const handlers = createHandlers(deps)
    expect(await handlers['captures:chooseFolder']()).toBeNull()
    expect(deps.captures.folder()).toBe(join(dir, 'default'))
    expect((await deps.settings.load()).settings.capture.folder).toBeNull()
  })
})
