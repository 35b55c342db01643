/**
 * Vision host process entry. onnxruntime-node's session.run blocks its thread,
 * so inference lives here: a forked Node process (CLI, browser mode) or an
 * Electron utilityProcess (the app). Requests come from the parent and, in the
 * app, straight from the renderer over a MessagePort the main process hands over
 * (so frames are not relayed through main); HostQueue orders them.
 */
import { SmilecamError } from '../shared/errors'
import { HostQueue, type Reply } from './host-queue'
import { VideoFaceTracker } from './ops/tracker'
import { FacePipeline } from './pipeline'
import { ATTACH_PORT_MESSAGE, parseFramePortMessage, type HostRequest, type HostResponse } from './protocol'

/** A MessagePort-like endpoint (Electron's MessagePortMain in the utility process). */
interface PortLike {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  on(event: 'close', listener: () => void): void
  start(): void
}

interface Channel {
  post(message: HostResponse): void
  listen(handler: (message: HostRequest, ports: readonly PortLike[]) => void): void
}

interface ElectronParentPort {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown; ports?: PortLike[] }) => void): void
}

/** Electron utilityProcess exposes process.parentPort; a Node fork uses process.send. */
function parentChannel(): Channel {
  const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort
  if (parentPort) {
    return {
      post: (message) => parentPort.postMessage(message),
      listen: (handler) => parentPort.on('message', (event) => handler(event.data as HostRequest, event.ports ?? []))
    }
  }
  if (!process.send) throw new Error('vision host must be started as a child process')
  return {
    post: (message) => process.send?.(message),
    listen: (handler) => process.on('message', (m) => handler(m as HostRequest, []))
  }
}

function serve(channel: Channel): void {
  let pipeline: FacePipeline | null = null
  /** One tracker per video stream (parent sessions and port sessions have separate id spaces). */
  const sessions = new Map<string, VideoFaceTracker>()

  function tracker(key: string): VideoFaceTracker {
    let found = sessions.get(key)
    if (!found) {
      found = new VideoFaceTracker()
      sessions.set(key, found)
    }
    return found
  }

  async function handle(request: HostRequest, origin: string): Promise<HostResponse> {
    switch (request.type) {
      case 'init': {
        const started = performance.now()
        pipeline = await FacePipeline.create(request.modelDir, request.options)
        return { id: request.id, ok: true, loadMs: performance.now() - started }
      }
      case 'setOptions':
        requirePipeline(pipeline).setOptions(request.options)
        return { id: request.id, ok: true }
      case 'detect': {
        const video = request.timestampMs === undefined ? undefined : tracker(`${origin}:${request.sessionId ?? 0}`)
        const result = await requirePipeline(pipeline).detect(request.image, request.overrides, request.timestampMs, video)
        return { id: request.id, ok: true, result }
      }
      case 'closeSession':
        sessions.delete(`${origin}:${request.sessionId}`)
        return { id: request.id, ok: true }
      case 'close':
        await pipeline?.close()
        pipeline = null
        setImmediate(() => process.exit(0))
        return { id: request.id, ok: true }
    }
  }

  const queue = new HostQueue(handle)
  let nextPort = 1

  channel.listen((request, ports) => {
    if ((request as { type: string }).type === ATTACH_PORT_MESSAGE.type) {
      for (const port of ports) attachPort(port, `port${nextPort++}`)
      return
    }
    queue.push(request, (response) => channel.post(response))
  })

  /** A renderer talks to the host directly: only video frames and closing sessions. */
  function attachPort(port: PortLike, origin: string): void {
    const reply: Reply = (response) => port.postMessage(response)
    port.on('message', (event) => {
      const parsed = parseFramePortMessage(event.data)
      if ('error' in parsed) reply({ id: parsed.id, ok: false, error: parsed.error })
      else queue.push(parsed.request, reply, origin)
    })
    port.on('close', () => {
      for (const key of [...sessions.keys()]) if (key.startsWith(`${origin}:`)) sessions.delete(key)
    })
    port.start()
  }
}

function requirePipeline(pipeline: FacePipeline | null): FacePipeline {
  if (!pipeline) throw new SmilecamError('ENGINE_FAILED', 'The vision engine is not initialised.')
  return pipeline
}

serve(parentChannel())
