/**
 * The preload: exposes window.smilecam (SmilecamApi) through contextBridge.
 * Narrow named functions only; the renderer never touches ipcRenderer.
 * Failed calls reject with a plain `{ name: 'SmilecamError', code, message }`
 * object (Error subclasses lose their fields crossing the bridge); the
 * renderer rebuilds it with SmilecamError.from.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { SmilecamApi } from '../shared/api'
import type { AuditProgress } from '../shared/audit'
import type { IpcArgs, IpcChannel, IpcResult } from '../shared/ipc'
import type { CallOutcome } from '../shared/wire'

async function call<C extends IpcChannel>(channel: C, ...args: IpcArgs<C>): Promise<Awaited<IpcResult<C>>> {
  const outcome = (await ipcRenderer.invoke(channel, ...args)) as CallOutcome<Awaited<IpcResult<C>>>
  if (outcome.ok) return outcome.result
  throw { name: 'SmilecamError', code: outcome.error.code, message: outcome.error.message }
}

const api: SmilecamApi = {
  platform: 'electron',
  vision: {
    detectForVideo: (frame) => call('vision:detectForVideo', frame),
    setOptions: async (options) => {
      await call('vision:setOptions', options)
    }
  },
  audit: {
    run: (source, options) => call('audit:run', source, options),
    image: (reportId, kind) => call('audit:image', reportId, kind),
    blur: (reportId, mode, strength) => call('audit:blur', reportId, mode, strength),
    save: (reportId, kind) => call('audit:save', reportId, kind),
    onProgress: (listener) => {
      const forward = (_event: IpcRendererEvent, progress: AuditProgress): void => listener(progress)
      ipcRenderer.on('audit:progress', forward)
      return () => {
        ipcRenderer.removeListener('audit:progress', forward)
      }
    }
  },
  linkedin: {
    signOut: async () => {
      await call('linkedin:signOut')
    }
  },
  captures: {
    save: (capture) => call('captures:save', capture),
    list: () => call('captures:list'),
    read: (name) => call('captures:read', name),
    delete: async (name) => {
      await call('captures:delete', name)
    },
    open: async (name) => {
      await call('captures:open', name)
    },
    chooseFolder: () => call('captures:chooseFolder')
  },
  settings: {
    get: () => call('settings:get'),
    set: (patch) => call('settings:set', patch)
  }
}

contextBridge.exposeInMainWorld('smilecam', api)
