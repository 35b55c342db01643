/**
 * An in-memory SmilecamApi for renderer unit tests, built from the IPC contract like the real
 * bridges: records every call by channel, keeps settings and captures in memory, and lets a test
 * script the answers of the engine-backed calls.
 */
import { createContractApi, type SmilecamApi } from '../../src/shared/api'
import type { AuditOptions, AuditProgress, AuditSource, EncodedImage, FixReport, PhotoReport } from '../../src/shared/audit'
import type { CaptureInfo, IpcArgs, IpcChannel, IpcHandlers, VideoFrameRequest } from '../../src/shared/ipc'
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../../src/shared/settings'
import type { ErrorInfo } from '../../src/shared/errors'
import type { VcamFrame, VcamStatus } from '../../src/shared/vcam'
import type { VisionResult } from '../../src/shared/vision'

export interface FakeBridge {
  api: SmilecamApi
  calls: { channel: IpcChannel; args: unknown[] }[]
  settings: Settings
  captures: (CaptureInfo & { data: Uint8Array })[]
  /** Pushes a progress event to every audit.onProgress listener. */
  emitProgress(progress: AuditProgress): void
  /** The virtual camera's state as the main side holds it (tests change it freely). */
  vcam: VcamStatus
  /** Frames the virtual camera received. */
  vcamFrames: VcamFrame[]
  /** The main side's feed stops by itself with this reason (vcam:stopped). */
  stopVcam(reason: ErrorInfo): void
}

export interface FakeBridgeScript {
  auditRun?: (source: AuditSource, options: Partial<AuditOptions>) => Promise<PhotoReport>
  auditFix?: (reportId: string) => Promise<FixReport>
  detect?: (frame: VideoFrameRequest) => Promise<VisionResult | null>
  settingsGet?: () => Promise<{ settings: Settings; warning?: string }>
  settingsSet?: (patch: SettingsPatch, stored: Settings) => Promise<Settings>
}

export const TINY_PNG: EncodedImage = { mimeType: 'image/png', width: 1, height: 1, data: Uint8Array.of(137, 80, 78, 71) }

/** Rejections look like the preload's: plain `{ code, message }` objects. */
function failure(code: string, message: string): { name: string; code: string; message: string } {
  return { name: 'SmilecamError', code, message }
}

export function createFakeBridge(script: FakeBridgeScript = {}): FakeBridge {
  const calls: FakeBridge['calls'] = []
  const settings: Settings = structuredClone(DEFAULT_SETTINGS)
  const captures: FakeBridge['captures'] = []
  const progressListeners = new Set<(progress: AuditProgress) => void>()
  const vcamListeners = new Set<(reason: ErrorInfo) => void>()
  const vcamFrames: VcamFrame[] = []
  const vcam: VcamStatus = {
    supported: true,
    unsupportedReason: null,
    devices: [],
    setup: { package: 'v4l2loopback-dkms', install: 'sudo apt install v4l2loopback-dkms', load: 'sudo modprobe v4l2loopback exclusive_caps=1 card_label="Smilecam"' },
    running: null,
    lastError: null
  }

  function findCapture(name: string): FakeBridge['captures'][number] {
    const found = captures.find((capture) => capture.name === name)
    if (!found) throw failure('FILE_NOT_FOUND', `${name} is gone`)
    return found
  }

  const handlers: IpcHandlers = {
    'vision:detectForVideo': (frame) =>
      script.detect
        ? script.detect(frame)
        : {
            width: frame.width,
            height: frame.height,
            faces: [],
            timings: { detectMs: 0, landmarksMs: 0, expressionMs: 0, segmentMs: 0, totalMs: 0 },
            timestampMs: frame.timestampMs
          },
    'audit:run': (source, options) => {
      if (!script.auditRun) throw failure('ENGINE_FAILED', 'no audit scripted')
      return script.auditRun(source, options)
    },
    'audit:image': () => TINY_PNG,
    'audit:blur': () => TINY_PNG,
    'audit:save': (reportId, kind) => `/home/user/Pictures/${reportId}-${kind}`,
    'audit:fix': (reportId) => {
      if (!script.auditFix) throw failure('ENGINE_FAILED', 'no fix scripted')
      return script.auditFix(reportId)
    },
    'linkedin:signOut': () => undefined,
    'linkedin:status': () => ({ signedIn: false, canSignIn: true }),
    'linkedin:signIn': () => ({ signedIn: true, canSignIn: true }),
    'captures:save': (capture) => {
      const info = { name: `smile-${captures.length + 1}.jpg`, createdMs: 1000 + captures.length, width: 640, height: 480 }
      captures.push({ ...info, data: capture.data })
      return info
    },
    'captures:list': () => captures.map(({ data: _data, ...info }) => info),
    'captures:read': (name) => {
      const found = findCapture(name)
      return { mimeType: 'image/jpeg', width: found.width, height: found.height, data: found.data }
    },
    'captures:delete': (name) => {
      captures.splice(captures.indexOf(findCapture(name)), 1)
    },
    'captures:open': () => null,
    'captures:chooseFolder': () => '/home/user/Selfies',
    'vcam:status': () => structuredClone(vcam),
    'vcam:start': (request) => {
      if (!vcam.devices.some((d) => d.path === request.device)) throw failure('DEVICE_GONE', `${request.device} is gone`)
      vcam.running = { ...request }
      vcam.lastError = null
      return structuredClone(vcam)
    },
    'vcam:frame': (frame) => {
      if (!vcam.running) return false
      vcamFrames.push(frame)
      return true
    },
    'vcam:stop': () => {
      vcam.running = null
      return structuredClone(vcam)
    },
    'settings:get': () => (script.settingsGet ? script.settingsGet() : { settings: structuredClone(settings) }),
    'settings:set': (patch) => {
      for (const section of Object.keys(patch) as (keyof Settings)[]) Object.assign(settings[section], patch[section])
      return script.settingsSet ? script.settingsSet(patch, settings) : structuredClone(settings)
    }
  }

  const api = createContractApi('browser', {
    async invoke<C extends IpcChannel>(channel: C, args: IpcArgs<C>) {
      calls.push({ channel, args })
      const handler = handlers[channel] as (...each: IpcArgs<C>) => unknown
      return (await handler(...args)) as never
    },
    subscribe(channel, listener) {
      if (channel === 'vcam:stopped') {
        const forwardStop = listener as (reason: ErrorInfo) => void
        vcamListeners.add(forwardStop)
        return () => void vcamListeners.delete(forwardStop)
      }
      if (channel !== 'audit:progress') throw new Error(`the fake bridge has no ${channel} events`)
      const forward = listener as (progress: AuditProgress) => void
      progressListeners.add(forward)
      return () => void progressListeners.delete(forward)
    }
  })

  return {
    api,
    calls,
    settings,
    captures,
    emitProgress(progress) {
      for (const listener of progressListeners) listener(progress)
    },
    vcam,
    vcamFrames,
    stopVcam(reason) {
      vcam.running = null
      vcam.lastError = reason
      for (const listener of vcamListeners) listener(reason)
    }
  }
}
