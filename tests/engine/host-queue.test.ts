import { describe, expect, it } from 'vitest'
import { HostQueue, laneOf } from '../../src/engine/host-queue'
import { parseFramePortMessage, type HostRequest, type HostResponse } from '../../src/engine/protocol'

const image = { width: 1, height: 1, data: new Uint8Array(4) }
const still = (id: number): HostRequest => ({ id, type: 'detect', image, overrides: {} })
const video = (id: number, sessionId = 0): HostRequest => ({ id, type: 'detect', image, overrides: {}, timestampMs: id, sessionId })

describe('HostQueue', () => {
  it('runs one request at a time: control, then video, then stills; announces each as started', async () => {
    const ran: number[] = []
    const replies: HostResponse[] = []
    let release!: () => void
    const queue = new HostQueue(async (request) => {
      ran.push(request.id)
      if (request.id === 1) await new Promise<void>((resolve) => (release = resolve))
      return { id: request.id, ok: true }
    })
    const reply = (r: HostResponse): void => void replies.push(r)
    queue.push(still(1), reply)
    queue.push(still(2), reply)
    queue.push(video(3), reply)
    queue.push({ id: 4, type: 'setOptions', options: {} as never }, reply)
    expect(ran).toEqual([1])
    expect(queue.waiting()).toEqual({ control: 1, video: 1, still: 1 })
    release()
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(ran).toEqual([1, 4, 3, 2])
    // started before each answer, in run order
    expect(replies.map((r) => ('started' in r ? `s${r.id}` : `a${r.id}`))).toEqual(['s1', 'a1', 's4', 'a4', 's3', 'a3', 's2', 'a2'])
  })

  it('keeps only the newest waiting frame per session and origin; the older is answered as dropped', async () => {
    const ran: number[] = []
    const replies: HostResponse[] = []
    let release!: () => void
    const queue = new HostQueue(async (request, origin) => {
      ran.push(request.id)
      if (request.id === 1) await new Promise<void>((resolve) => (release = resolve))
      return { id: request.id, ok: true, result: { origin } as never }
    })
    const reply = (r: HostResponse): void => void replies.push(r)
    queue.push(still(1), reply)
    queue.push(video(2, 0), reply)
    queue.push(video(3, 1), reply)
    queue.push(video(4, 0), reply) // replaces 2
    queue.push(video(5, 0), reply, 'port1') // another origin: kept
    expect(replies).toContainEqual({ id: 2, ok: true })
    release()
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(ran).toEqual([1, 3, 4, 5])
  })

  it('turns a thrown error into a typed failure and keeps going', async () => {
    const replies: HostResponse[] = []
    const queue = new HostQueue(async (request) => {
      if (request.id === 1) throw new Error('boom')
      return { id: request.id, ok: true }
    })
    queue.push(still(1), (r) => replies.push(r))
    queue.push(still(2), (r) => replies.push(r))
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(replies).toContainEqual({ id: 1, ok: false, error: { code: 'ENGINE_FAILED', message: 'boom' } })
    expect(replies).toContainEqual({ id: 2, ok: true })
  })

  it('lanes', () => {
    expect(laneOf(still(1))).toBe('still')
    expect(laneOf(video(1))).toBe('video')
    expect(laneOf({ id: 1, type: 'close' })).toBe('control')
  })
})

describe('parseFramePortMessage (what a renderer may send the host directly)', () => {
  const frame = { id: 7, type: 'frame', width: 2, height: 1, data: new Uint8Array(8).buffer, timestampMs: 40, personMask: true, expression: 0 }

  it('accepts a frame (ArrayBuffer or bytes) as a video detect request with boolean stage switches only', () => {
    const parsed = parseFramePortMessage(frame)
    expect(parsed).toMatchObject({
      request: { id: 7, type: 'detect', image: { width: 2, height: 1 }, overrides: { personMask: true, expression: false }, timestampMs: 40, sessionId: 0 }
    })
    expect('request' in parsed && parsed.request.type === 'detect' && parsed.request.image.data).toBeInstanceOf(Uint8Array)
    expect(parseFramePortMessage({ ...frame, data: new Uint8Array(8), sessionId: 3 })).toMatchObject({ request: { sessionId: 3 } })
    expect(parseFramePortMessage({ id: 8, type: 'closeSession', sessionId: 3 })).toEqual({ request: { id: 8, type: 'closeSession', sessionId: 3 } })
  })

  it('refuses everything else with a typed error and the request id', () => {
    expect(parseFramePortMessage({ id: 9, type: 'init', modelDir: '/etc' })).toMatchObject({ id: 9, error: { code: 'FORBIDDEN' } })
    expect(parseFramePortMessage({ id: 9, type: 'close' })).toMatchObject({ error: { code: 'FORBIDDEN' } })
    expect(parseFramePortMessage({ ...frame, data: new Uint8Array(7) })).toMatchObject({ id: 7, error: { code: 'INVALID_INPUT' } })
    expect(parseFramePortMessage({ ...frame, width: 1.5 })).toMatchObject({ error: { code: 'INVALID_INPUT' } })
    expect(parseFramePortMessage({ ...frame, width: 4000, height: 4000, data: new Uint8Array(4) })).toMatchObject({ error: { code: 'INVALID_INPUT' } })
    expect(parseFramePortMessage({ ...frame, timestampMs: undefined })).toMatchObject({ error: { code: 'INVALID_INPUT' } })
    expect(parseFramePortMessage({ ...frame, data: [0, 0, 0, 0, 0, 0, 0, 0] })).toMatchObject({ error: { code: 'INVALID_INPUT' } })
    expect(parseFramePortMessage({ ...frame, sessionId: 'x' })).toMatchObject({ error: { code: 'INVALID_INPUT' } })
    expect(parseFramePortMessage(null)).toMatchObject({ id: 0, error: { code: 'FORBIDDEN' } })
  })
})
