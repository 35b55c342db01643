/**
 * What the renderer sees as `window.smilecam`: narrow, domain-grouped functions.
 * Implemented by the Electron preload and by the browser-mode bridge.
 */
import type { AuditOptions, AuditProgress, AuditSource, BlurMode, EncodedImage, PhotoReport } from './audit'
import type { AuditSaveKind, CaptureInfo, CaptureRequest, VideoFrameRequest } from './ipc'
import type { Settings, SettingsLoadResult, SettingsPatch } from './settings'
import type { VisionOptions, VisionResult } from './vision'

export interface SmilecamApi {
  platform: 'electron' | 'browser'
  vision: {
    /** Resolves null when the frame was dropped (engine busy); send the next frame. */
    detectForVideo(frame: VideoFrameRequest): Promise<VisionResult | null>
    setOptions(options: Partial<VisionOptions>): Promise<void>
  }
  audit: {
    run(source: AuditSource, options: Partial<AuditOptions>): Promise<PhotoReport>
    image(reportId: string, kind: 'original' | 'annotated'): Promise<EncodedImage>
    blur(reportId: string, mode: BlurMode, strength: number): Promise<EncodedImage>
    save(reportId: string, kind: AuditSaveKind): Promise<string | null>
    /** Subscribes to progress; returns the unsubscribe function. */
    onProgress(listener: (progress: AuditProgress) => void): () => void
  }
  linkedin: {
    signOut(): Promise<void>
  }
  captures: {
    save(capture: CaptureRequest): Promise<CaptureInfo>
    list(): Promise<CaptureInfo[]>
    read(name: string): Promise<EncodedImage>
    delete(name: string): Promise<void>
    open(name: string): Promise<void>
    chooseFolder(): Promise<string | null>
  }
  settings: {
    get(): Promise<SettingsLoadResult>
    set(patch: SettingsPatch): Promise<Settings>
  }
}
