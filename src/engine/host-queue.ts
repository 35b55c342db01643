/**
 * The host's scheduler. session.run blocks the host's thread, so requests run one at a time;
 * this decides the order: control messages first (cheap), then video frames, then stills. A
 * video frame therefore waits for at most the one request already running, never behind a
 * queue of photos, and each request is announced as `started` when it leaves the queue so the
 * client counts its timeout from there. Per video session only the newest queued frame is
 * kept: an older one still waiting is answered as dropped (ok, no result).
 */
import { SmilecamError } from '../shared/errors'
import type { HostRequest, HostResponse } from './protocol'

export type Reply = (response: HostResponse) => void
/** Runs one request; `origin` says who sent it ('parent' or a renderer port). */
type Handler = (request: HostRequest, origin: string) => Promise<HostResponse>

interface Queued {
  request: HostRequest
  reply: Reply
  origin: string
}

export type RequestLane = 'control' | 'video' | 'still'

export function laneOf(request: HostRequest): RequestLane {
  if (request.type !== 'detect') return 'control'
  return request.timestampMs === undefined ? 'still' : 'video'
}

export class HostQueue {
  private readonly lanes: Record<RequestLane, Queued[]> = { control: [], video: [], still: [] }
  private running = false

  constructor(private readonly handle: Handler) {}

  /** Queues `request`; `reply` gets `started`, then the response. */
  push(request: HostRequest, reply: Reply, origin = 'parent'): void {
    const lane = laneOf(request)
    if (lane === 'video' && request.type === 'detect') {
      const queue = this.lanes.video
      const older = queue.findIndex((q) => q.origin === origin && q.request.type === 'detect' && q.request.sessionId === request.sessionId)
      if (older >= 0) {
        const [dropped] = queue.splice(older, 1)
        dropped.reply({ id: dropped.request.id, ok: true })
      }
    }
    this.lanes[lane].push({ request, reply, origin })
    void this.pump()
  }

  /** Requests waiting (not running), per lane. */
  waiting(): Record<RequestLane, number> {
    return { control: this.lanes.control.length, video: this.lanes.video.length, still: this.lanes.still.length }
  }

  private next(): Queued | undefined {
    return this.lanes.control.shift() ?? this.lanes.video.shift() ?? this.lanes.still.shift()
  }

  private async pump(): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      for (let item = this.next(); item; item = this.next()) {
        const { request, reply, origin } = item
        reply({ id: request.id, started: true })
        let response: HostResponse
        try {
          response = await this.handle(request, origin)
        } catch (error) {
          response = { id: request.id, ok: false, error: SmilecamError.from(error, 'ENGINE_FAILED').toJSON() }
        }
        reply(response)
      }
    } finally {
      this.running = false
    }
  }
}
