/** Messages between the VisionEngine client and its host process. */
import type { ErrorInfo } from '../shared/errors'
import type { RgbaImage, VisionOptions, VisionResult } from '../shared/vision'

export type HostRequest =
  | { id: number; type: 'init'; modelDir: string; options: VisionOptions }
  | { id: number; type: 'setOptions'; options: VisionOptions }
  /**
   * A still image (no timestampMs) or a video frame of stream `sessionId` (timestampMs set).
   * Each video session keeps its own face tracker in the host.
   */
  | { id: number; type: 'detect'; image: RgbaImage; overrides: Partial<VisionOptions>; timestampMs?: number; sessionId?: number }
  /** Forgets a video session's tracker. */
  | { id: number; type: 'closeSession'; sessionId: number }
  | { id: number; type: 'close' }

export type HostResponse =
  | { id: number; ok: true; result?: VisionResult; loadMs?: number }
  | { id: number; ok: false; error: ErrorInfo }
  /** The host took request `id` off its queue and began it: its timeout counts from here. */
  | { id: number; started: true }

/** Why a host process ended: an exit code, or the signal that stopped it. */
export interface HostExit {
  code: number | null
  signal: string | null
}

/** A running host process, whatever started it (child_process.fork or Electron's utilityProcess). */
export interface HostProcess {
  send(message: HostRequest): void
  onMessage(listener: (message: HostResponse) => void): void
  onExit(listener: (exit: HostExit) => void): void
  /** Asks the process to stop (SIGTERM by default); 'SIGKILL' cannot be ignored. */
  kill(signal?: 'SIGTERM' | 'SIGKILL'): void
  /**
   * Hands the host one end of a MessageChannel (Electron's utilityProcess only), on which a
   * renderer then sends frames straight to the host (FramePortMessage).
   */
  attachPort?(port: unknown): void
}

/** The message a port is attached with (the port travels in its transfer list). */
export const ATTACH_PORT_MESSAGE = { type: 'attachPort' } as const

export type HostSpawner = () => HostProcess

/** Says how a host ended, for error messages: "exit code 134" or "killed by SIGSEGV". */
export function describeExit(exit: HostExit): string {
  if (exit.signal) return `killed by ${exit.signal}`
  if (exit.code === null) return 'ended without an exit code or signal'
  return `exit code ${exit.code}`
}

/**
 * What a renderer sends on its MessagePort to the host (the app's direct frame path): a video
 * frame with its stage switches, or the end of its stream. Untrusted: the host checks it
 * (parseFramePortMessage) before anything runs.
 */
export type FramePortMessage =
  | {
      id: number
      type: 'frame'
      width: number
      height: number
      /** RGBA bytes (transferred by the sender). */
      data: ArrayBuffer | Uint8Array
      timestampMs: number
      personMask: boolean
      expression: boolean
      sessionId?: number
    }
  | { id: number; type: 'closeSession'; sessionId?: number }

/** Largest frame accepted on the port (the app sends 384 px on the long side). */
export const MAX_PORT_FRAME_PIXELS = 1920 * 1080

/** Turns a port message into a host request, or says why it is refused. Pure. */
export function parseFramePortMessage(message: unknown): { request: HostRequest } | { id: number; error: ErrorInfo } {
  const m = (typeof message === 'object' && message !== null ? message : {}) as Record<string, unknown>
  const id = typeof m.id === 'number' && Number.isSafeInteger(m.id) ? m.id : 0
  const refuse = (text: string): { id: number; error: ErrorInfo } => ({ id, error: { code: 'INVALID_INPUT', message: text } })
  const sessionId = m.sessionId === undefined ? 0 : m.sessionId
  if (typeof sessionId !== 'number' || !Number.isSafeInteger(sessionId)) return refuse('The video session id is not an integer.')
  if (m.type === 'closeSession') return { request: { id, type: 'closeSession', sessionId } }
  if (m.type !== 'frame') return { id, error: { code: 'FORBIDDEN', message: 'Only video frames may be sent on this port.' } }
  const { width, height, timestampMs, data } = m
  if (!Number.isInteger(width) || !Number.isInteger(height) || (width as number) <= 0 || (height as number) <= 0) return refuse('The frame size is not valid.')
  if ((width as number) * (height as number) > MAX_PORT_FRAME_PIXELS) return refuse('The frame is too large.')
  if (typeof timestampMs !== 'number' || !Number.isFinite(timestampMs)) return refuse('A video frame needs a timestamp.')
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data instanceof Uint8Array ? data : null
  if (!bytes || bytes.length !== (width as number) * (height as number) * 4) return refuse('The frame data does not match its size.')
  return {
    request: {
      id,
      type: 'detect',
      image: { width: width as number, height: height as number, data: bytes },
      overrides: { personMask: m.personMask === true, expression: m.expression === true },
      timestampMs,
      sessionId
    }
  }
}
