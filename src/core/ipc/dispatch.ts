/**
 * One call from the renderer, from untrusted arguments to a CallOutcome:
 * validate, run the handler, turn any failure into `{ code, message }`.
 * Shared by Electron IPC and the browser-mode server.
 */
import { SmilecamError } from '../../shared/errors'
import type { IpcChannel, IpcHandlers } from '../../shared/ipc'
import type { CallOutcome } from '../../shared/wire'
import { isIpcChannel, validateArgs } from './validate'

export type ErrorLogger = (channel: string, error: unknown) => void

/** Unexpected (non-Smilecam) failures are logged once here; never the arguments, which may hold photos. */
export const logUnexpectedError: ErrorLogger = (channel, error) => {
  console.error(`[smilecam] ${channel} failed:`, error instanceof Error ? error.stack ?? error.message : error)
}

export function failure(error: unknown): CallOutcome<never> {
  return { ok: false, error: SmilecamError.from(error).toJSON() }
}

export async function dispatchCall(
  handlers: IpcHandlers,
  channel: string,
  args: unknown,
  logError: ErrorLogger = logUnexpectedError
): Promise<CallOutcome> {
  if (!isIpcChannel(channel)) return failure(new SmilecamError('INVALID_INPUT', 'Unknown request.'))
  try {
    const valid = validateArgs(channel, args)
    const handler = handlers[channel] as (...a: unknown[]) => unknown
    const result = await handler(...(valid as unknown[]))
    return { ok: true, result: result === undefined ? null : result }
  } catch (error) {
    if (!(error instanceof SmilecamError)) logError(channel satisfies IpcChannel, error)
    return failure(error)
  }
}
