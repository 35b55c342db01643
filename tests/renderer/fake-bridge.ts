/**
 * An in-memory SmilecamApi for renderer unit tests: records every call, keeps settings and
 * captures in memory, and lets a test script the answers of the engine-backed calls.
 */
import type { SmilecamApi } from '../../src/shared/api'
import type { AuditProgress, EncodedImage, PhotoReport } from '../../src/shared/audit'
import type { CaptureInfo } from '../../src/shared/ipc'
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../../src/shared/settings'
import type { VisionResult } from '../../src/shared/vision'

export interface FakeBridge {
  api: SmilecamApi
  calls: { method: string; args: unknown[] }[]
  settings: Settings
  captures: (CaptureInfo & { data: Uint8Array })[]
  /** Pushes a progress event to every audit.onProgress listener. */
  emitProgress(progress: AuditProgress): void
}

export interface FakeBridgeScript {
  auditRun?: (...args: Parameters<SmilecamApi['audit']['run']>) => Promise<PhotoReport>
  detect?: (...args: Parameters<SmilecamApi['vision']['detectForVideo']>) => Promise<VisionResult | null>
  settingsGet?: () => Promise<{ settings: Settings; warning?: string }>
  settingsSet?: (patch: SettingsPatch, stored: Settings) => Promise<Settings>
}

export const TINY_PNG: EncodedImage = { mimeType: 'image/png', width: 1, height: 1, data: Uint8Array.of(137, 80, 78, 71) }

export function createFakeBridge(script: FakeBridgeScript = {}): FakeBridge {
  const calls: FakeBridge['calls'] = []
  const settings: Settings = structuredClone(DEFAULT_SETTINGS)
  const captures: FakeBridge['captures'] = []
  const progressListeners = new Set<(progress: AuditProgress) => void>()
  const record = (method: string, args: unknown[]): void => void calls.push({ method, args })

  const api: SmilecamApi = {
    platform: 'browser',
    vision: {
      async detectForVideo(frame) {
        record('vision.detectForVideo', [frame])
        if (script.detect) return script.detect(frame)
        return { width: frame.width, height: frame.height, faces: [], timings: { detectMs: 0, landmarksMs: 0, expressionMs: 0, segmentMs: 0, totalMs: 0 }, timestampMs: frame.timestampMs }
      },
      async setOptions(options) {
        record('vision.setOptions', [options])
      }
    },
    audit: {
      async run(source, options) {
        record('audit.run', [source, options])
        if (!script.auditRun) throw { code: 'ENGINE_FAILED', message: 'no audit scripted' }
        return script.auditRun(source, options)
      },
      async image(reportId, kind) {
        record('audit.image', [reportId, kind])
        return TINY_PNG
      },
      async blur(reportId, mode, strength) {
        record('audit.blur', [reportId, mode, strength])
        return TINY_PNG
      },
      async save(reportId, kind) {
        record('audit.save', [reportId, kind])
        return `/home/user/Pictures/${reportId}-${kind}`
      },
      onProgress(listener) {
        progressListeners.add(listener)
        return () => progressListeners.delete(listener)
      }
    },
    linkedin: {
      async signOut() {
        record('linkedin.signOut', [])
      }
    },
    captures: {
      async save(capture) {
        record('captures.save', [capture])
        const info = { name: `smile-${captures.length + 1}.jpg`, createdMs: 1000 + captures.length, width: 640, height: 480 }
        captures.push({ ...info, data: capture.data })
        return info
      },
      async list() {
        record('captures.list', [])
        return captures.map(({ data: _data, ...info }) => info)
      },
      async read(name) {
        record('captures.read', [name])
        const found = captures.find((capture) => capture.name === name)
        if (!found) throw { code: 'FILE_NOT_FOUND', message: `${name} is gone` }
        return { mimeType: 'image/jpeg', width: found.width, height: found.height, data: found.data }
      },
      async delete(name) {
        record('captures.delete', [name])
        captures.splice(captures.findIndex((capture) => capture.name === name), 1)
      },
      async open(name) {
        record('captures.open', [name])
      },
      async chooseFolder() {
        record('captures.chooseFolder', [])
        return '/home/user/Selfies'
      }
    },
    settings: {
      async get() {
        record('settings.get', [])
        return script.settingsGet ? script.settingsGet() : { settings: structuredClone(settings) }
      },
      async set(patch) {
        record('settings.set', [patch])
        for (const section of Object.keys(patch) as (keyof Settings)[]) Object.assign(settings[section], patch[section])
        return script.settingsSet ? script.settingsSet(patch, settings) : structuredClone(settings)
      }
    }
  }
  return {
    api,
    calls,
    settings,
    captures,
    emitProgress(progress) {
      for (const listener of progressListeners) listener(progress)
    }
  }
}
