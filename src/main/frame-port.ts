/**
 * The direct frame path of the app: the renderer asks for a port (FRAME_PORT_REQUEST), main
 * creates a MessageChannelMain, hands one end to the engine's utility process and the other to
 * the renderer (FRAME_PORT_DELIVERY). From then on frames go renderer → host and results host →
 * renderer without passing through main. Main only sets the port up; when the host restarts,
 * the old port closes and the renderer asks again. Electron comes in as parameters (tested with fakes).
 */
import { FRAME_PORT_DELIVERY, FRAME_PORT_REQUEST } from '../shared/ipc'

/** The slice of Electron's MessagePortMain used here. */
export interface PortEnd {
  close(): void
}

export interface RendererTarget<P extends PortEnd = PortEnd> {
  /** webContents.postMessage(channel, message, [port]) */
  postMessage(channel: string, message: unknown, transfer?: P[]): void
  isDestroyed(): boolean
}

export interface FramePortDeps<P extends PortEnd = PortEnd> {
  /** new MessageChannelMain() */
  createChannel(): { port1: P; port2: P }
  /** Gives the host its end (VisionEngine.attachPort; starts the host if needed). */
  attachToHost(port: P): Promise<void>
  isTrustedSender(frameUrl: string | undefined): boolean
  /** Where a failure is reported (the renderer falls back to IPC frames meanwhile). */
  logError?(message: string): void
}

/** The slice of ipcMain used here. */
export interface IpcMainEvents<P extends PortEnd = PortEnd> {
  on(channel: string, listener: (event: { sender: RendererTarget<P>; senderFrame?: { url: string } | null }) => void): unknown
  removeAllListeners(channel: string): unknown
}

/** Answers one port request: a fresh channel, host end attached first, then the renderer's end. */
export async function connectFramePort<P extends PortEnd>(target: RendererTarget<P>, deps: FramePortDeps<P>): Promise<boolean> {
  const { port1, port2 } = deps.createChannel()
  try {
    await deps.attachToHost(port1)
  } catch (error) {
    port1.close()
    port2.close()
    deps.logError?.(`the direct frame port could not be set up: ${error instanceof Error ? error.message : String(error)}`)
    return false
  }
  if (target.isDestroyed()) {
    port2.close()
    return false
  }
  target.postMessage(FRAME_PORT_DELIVERY, null, [port2])
  return true
}

/** Listens for the renderer's port requests (sender checked); returns the unregister function. */
export function registerFramePort<P extends PortEnd>(ipcMain: IpcMainEvents<P>, deps: FramePortDeps<P>): () => void {
  ipcMain.on(FRAME_PORT_REQUEST, (event) => {
    if (!deps.isTrustedSender(event.senderFrame?.url)) return
    void connectFramePort(event.sender, deps)
  })
  return () => ipcMain.removeAllListeners(FRAME_PORT_REQUEST)
}
