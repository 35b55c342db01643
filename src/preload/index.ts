/**
 * The preload: exposes window.smilecam (SmilecamApi, derived from the IPC contract) through
 * contextBridge. Named functions only; the renderer never touches ipcRenderer.
 * Failed calls reject with a plain `{ name: 'SmilecamError', code, message }`
 * object (Error subclasses lose their fields crossing the bridge); the
 * renderer rebuilds it with SmilecamError.from.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { createContractApi } from '../shared/api'
import { FRAME_PORT_DELIVERY, FRAME_PORT_REQUEST, type VideoFrameRequest } from '../shared/ipc'
import type { CallOutcome } from '../shared/wire'
import { createFramePortClient, type FramePort } from './frame-port-client'

// Video frames go straight to the engine host on a MessagePort that main sets up (no relay through main).
const framePort = createFramePortClient({ requestPort: () => ipcRenderer.send(FRAME_PORT_REQUEST) })
ipcRenderer.on(FRAME_PORT_DELIVERY, (event) => {
  const [port] = event.ports
  if (port) framePort.attach(port as unknown as FramePort)
})

const api = createContractApi('electron', {
  async invoke(channel, args) {
    if (channel === 'vision:detectForVideo' && framePort.connected) return framePort.detect(args[0] as VideoFrameRequest) as never
    const outcome = (await ipcRenderer.invoke(channel, ...args)) as CallOutcome<never>
    if (outcome.ok) return outcome.result
    throw { name: 'SmilecamError', code: outcome.error.code, message: outcome.error.message }
  },
  subscribe(channel, listener) {
    const forward = (_event: IpcRendererEvent, payload: Parameters<typeof listener>[0]): void => listener(payload)
    ipcRenderer.on(channel, forward)
    return () => {
      ipcRenderer.removeListener(channel, forward)
    }
  }
})

contextBridge.exposeInMainWorld('smilecam', api)
