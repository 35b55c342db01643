/**
 * Vision host process entry. onnxruntime-node's session.run blocks its thread,
 * so inference lives here: a forked Node process (CLI, browser mode) or an
 * Electron utilityProcess (the app). It answers one request at a time.
 */
import { SmilecamError } from '../shared/errors'
import { FacePipeline } from './pipeline'
import type { HostRequest, HostResponse } from './protocol'

interface Channel {
  post(message: HostResponse): void
  listen(handler: (message: HostRequest) => void): void
}

/** Electron utilityProcess exposes process.parentPort; a Node fork uses process.send. */
function parentChannel(): Channel {
  const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort
  if (parentPort) {
    return {
      post: (message) => parentPort.postMessage(message),
      listen: (handler) => parentPort.on('message', (event) => handler(event.data as HostRequest))
    }
  }
  if (!process.send) throw new Error('vision host must be started as a child process')
  return {
    post: (message) => process.send?.(message),
    listen: (handler) => process.on('message', (m) => handler(m as HostRequest))
  }
}

interface ElectronParentPort {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown }) => void): void
}

function serve(channel: Channel): void {
  let pipeline: FacePipeline | null = null
  // Requests are handled strictly in order; the client never sends more than it can wait for.
  let queue: Promise<void> = Promise.resolve()

  async function handle(request: HostRequest): Promise<HostResponse> {
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
        const result = await requirePipeline(pipeline).detect(request.image, request.overrides, request.timestampMs)
        return { id: request.id, ok: true, result }
      }
      case 'close':
        await pipeline?.close()
        pipeline = null
        setImmediate(() => process.exit(0))
        return { id: request.id, ok: true }
    }
  }

  channel.listen((request) => {
    queue = queue.then(async () => {
      try {
        channel.post(await handle(request))
      } catch (error) {
        channel.post({ id: request.id, ok: false, error: SmilecamError.from(error, 'ENGINE_FAILED').toJSON() })
      }
    })
  })
}

function requirePipeline(pipeline: FacePipeline | null): FacePipeline {
  if (!pipeline) throw new SmilecamError('ENGINE_FAILED', 'The vision engine is not initialised.')
  return pipeline
}

serve(parentChannel())
