/**
 * What the renderer sees as `window.smilecam`, derived from the IPC contract (./ipc.ts):
 * channel `domain:verb` is `smilecam.domain.verb(...args)` and resolves to the channel's result;
 * event `domain:noun` is `smilecam.domain.onNoun(listener)`, which returns the unsubscribe function.
 * The Electron preload, the browser-mode bridge and the renderer tests' fake all build it with
 * createContractApi over their own transport, so no bridge lists the methods by hand.
 */
import {
  IPC_CHANNELS,
  IPC_EVENT_CHANNELS,
  type IpcArgs,
  type IpcChannel,
  type IpcEventChannel,
  type IpcEvents,
  type IpcResult
} from './ipc'

type DomainOf<K> = K extends `${infer D}:${string}` ? D : never
type NameIn<K, D extends string> = K extends `${D}:${infer N}` ? N : never

type InvokeMethods<D extends string> = {
  [V in NameIn<IpcChannel, D>]: `${D}:${V}` extends infer C extends IpcChannel
    ? (...args: IpcArgs<C>) => Promise<Awaited<IpcResult<C>>>
    : never
}
type EventMethods<D extends string> = {
  [N in NameIn<IpcEventChannel, D> as `on${Capitalize<N>}`]: `${D}:${N}` extends infer E extends IpcEventChannel
    ? (listener: (payload: IpcEvents[E]) => void) => () => void
    : never
}

export type SmilecamApi = { platform: 'electron' | 'browser' } & {
  [D in DomainOf<IpcChannel | IpcEventChannel>]: InvokeMethods<D> & EventMethods<D>
}

/** How one bridge reaches the engine side. */
export interface ContractTransport {
  invoke<C extends IpcChannel>(channel: C, args: IpcArgs<C>): Promise<Awaited<IpcResult<C>>>
  subscribe<E extends IpcEventChannel>(channel: E, listener: (payload: IpcEvents[E]) => void): () => void
}

/** Splits `domain:name` into its two parts. */
export function splitChannel(channel: string): { domain: string; name: string } {
  const colon = channel.indexOf(':')
  return { domain: channel.slice(0, colon), name: channel.slice(colon + 1) }
}

/** The SmilecamApi method name for an event channel: 'audit:progress' -> 'onProgress'. */
export function eventMethodName(channel: IpcEventChannel): string {
  const { name } = splitChannel(channel)
  return `on${name[0].toUpperCase()}${name.slice(1)}`
}

export function createContractApi(platform: SmilecamApi['platform'], transport: ContractTransport): SmilecamApi {
  const domains: Record<string, Record<string, unknown>> = {}
  const domain = (name: string): Record<string, unknown> => (domains[name] ??= {})
  for (const channel of IPC_CHANNELS) {
    domain(splitChannel(channel).domain)[splitChannel(channel).name] = (...args: unknown[]) =>
      transport.invoke(channel, args as IpcArgs<typeof channel>)
  }
  for (const channel of IPC_EVENT_CHANNELS) {
    domain(splitChannel(channel).domain)[eventMethodName(channel)] = (listener: (payload: unknown) => void) =>
      transport.subscribe(channel, listener)
  }
  return { platform, ...domains } as SmilecamApi
}
