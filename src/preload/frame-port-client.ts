/**
 * The renderer end of the direct frame path: video frames go on a MessagePort straight to the
 * engine host (its other end), their buffers transferred; results come back on it. Main only set
 * the port up. Until a port arrives, or after it stops answering (the host restarted and its end
 * is gone), frames take the ordinary IPC call, and a new port is asked for. Pure apart from the
 * port and the request function, which come in (tested with fakes).
 */
import type { ErrorInfo } from '../shared/errors'
import type { VideoFrameRequest } from '../shared/ipc'
import type { VisionResult } from '../shared/vision'

/** The slice of a web MessagePort used here. */
export interface FramePort {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  start(): void
  close(): void
}

/** What the host answers (src/engine/protocol.ts HostResponse, restated as plain data). */
type PortAnswer = { id: number; started: true } | { id: number; ok: true; result?: VisionResult } | { id: number; ok: false; error: ErrorInfo }

export interface FramePortClientOptions {
  /** Asks main for a port (ipcRenderer.send(FRAME_PORT_REQUEST)). */
  requestPort(): void
  /** A frame unanswered this long means the host end is gone. */
  timeoutMs?: number
  /** Pause before asking for a new port after one failed. */
  retryMs?: number
  setTimer?: (run: () => void, ms: number) => unknown
  clearTimer?: (timer: unknown) => void
}

export interface FramePortClient {
  /** Whether frames go over the port now. */
  readonly connected: boolean
  /** A port arrived from main. */
  attach(port: FramePort): void
  /** Sends a frame over the port; null = dropped (the host had a newer frame of this stream). */
  detect(frame: VideoFrameRequest): Promise<VisionResult | null>
}

interface Pending {
  resolve(result: VisionResult | null): void
  reject(error: unknown): void
  timer: unknown
}

const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_RETRY_MS = 2_000

export function createFramePortClient(options: FramePortClientOptions): FramePortClient {
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms))
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>))
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  let port: FramePort | null = null
  let nextId = 1
  const pending = new Map<number, Pending>()

  function drop(reason: string): void {
    const current = port
    port = null
    current?.close()
    for (const [id, each] of pending) {
      clearTimer(each.timer)
      each.reject({ name: 'SmilecamError', code: 'ENGINE_FAILED', message: reason })
      pending.delete(id)
    }
    setTimer(() => options.requestPort(), options.retryMs ?? DEFAULT_RETRY_MS)
  }

  function onAnswer(data: unknown): void {
    const answer = data as PortAnswer
    const waiting = typeof answer?.id === 'number' ? pending.get(answer.id) : undefined
    if (!waiting || 'started' in answer) return
    pending.delete(answer.id)
    clearTimer(waiting.timer)
    if (answer.ok) waiting.resolve(answer.result ?? null)
    else waiting.reject({ name: 'SmilecamError', code: answer.error.code, message: answer.error.message })
  }

  options.requestPort()
  return {
    get connected() {
      return port !== null
    },
    attach(next) {
      port?.close()
      port = next
      next.addEventListener('message', (event) => {
        if (port === next) onAnswer(event.data)
      })
      next.start()
    },
    detect(frame) {
      const current = port
      if (!current) return Promise.reject(new Error('no frame port'))
      const id = nextId++
      return new Promise((resolve, reject) => {
        const timer = setTimer(() => {
          if (pending.has(id) && port === current) drop('The vision engine stopped answering on its frame port; it is being reconnected.')
        }, timeoutMs)
        pending.set(id, { resolve, reject, timer })
        // The frame's own buffer when it is all of it (transferred, not copied), else a copy of its bytes.
        const data = frame.data
        const buffer =
          data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer ? data.buffer : data.slice().buffer
        current.postMessage(
          { id, type: 'frame', width: frame.width, height: frame.height, data: buffer, timestampMs: frame.timestampMs, personMask: frame.personMask, expression: frame.expression },
          [buffer]
        )
      })
    }
  }
}
