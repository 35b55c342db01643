/**
 * Registers every IPC channel on ipcMain: sender check, validation, typed
 * errors. The renderer always gets a CallOutcome, which the preload unwraps.
 */
import type { IpcMainInvokeEvent } from 'electron'
import { IPC_CHANNELS, type IpcHandlers } from '../../shared/ipc'
import { SmilecamError } from '../../shared/errors'
import type { CallOutcome } from '../../shared/wire'
import { dispatchCall, failure } from '../../core'

/** The slice of ipcMain we use (a fake in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<CallOutcome>): void
  removeHandler(channel: string): void
}

export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  handlers: IpcHandlers,
  isTrustedSender: (frameUrl: string | undefined) => boolean
): () => void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, async (event, ...args) => {
      if (!isTrustedSender(event.senderFrame?.url)) {
        return failure(new SmilecamError('FORBIDDEN', 'This page may not use Smilecam.'))
      }
      return dispatchCall(handlers, channel, args)
    })
  }
  return () => {
    for (const channel of IPC_CHANNELS) ipcMain.removeHandler(channel)
  }
}
