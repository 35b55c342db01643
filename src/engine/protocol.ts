/** Messages between the VisionEngine client and its host process. */
import type { ErrorInfo } from '../shared/errors'
import type { RgbaImage, VisionOptions, VisionResult } from '../shared/vision'

export type HostRequest =
  | { id: number; type: 'init'; modelDir: string; options: VisionOptions }
  | { id: number; type: 'setOptions'; options: VisionOptions }
  | { id: number; type: 'detect'; image: RgbaImage; overrides: Partial<VisionOptions>; timestampMs?: number }
  | { id: number; type: 'close' }

export type HostResponse =
  | { id: number; ok: true; result?: VisionResult; loadMs?: number }
  | { id: number; ok: false; error: ErrorInfo }

/** A running host process, whatever started it (child_process.fork or Electron's utilityProcess). */
export interface HostProcess {
  send(message: HostRequest): void
  onMessage(listener: (message: HostResponse) => void): void
  onExit(listener: (code: number | null) => void): void
  kill(): void
}

export type HostSpawner = () => HostProcess
