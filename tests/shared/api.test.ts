import { describe, expect, it } from 'vitest'
import { createContractApi, eventMethodName, splitChannel, type ContractTransport } from '../../src/shared/api'
import { IPC_CHANNELS, IPC_EVENT_CHANNELS } from '../../src/shared/ipc'

function recordingTransport() {
  const invoked: { channel: string; args: unknown[] }[] = []
  const subscribed: string[] = []
  const transport: ContractTransport = {
    async invoke(channel, args) {
      invoked.push({ channel, args })
      return `result of ${channel}` as never
    },
    subscribe(channel) {
      subscribed.push(channel)
      return () => subscribed.splice(subscribed.indexOf(channel), 1)
    }
  }
  return { transport, invoked, subscribed }
}

/** Every function reachable on the api, as 'domain.name'. */
function methodsOf(api: object): string[] {
  return Object.entries(api)
    .filter(([, value]) => typeof value === 'object')
    .flatMap(([domain, methods]) => Object.keys(methods as object).map((name) => `${domain}.${name}`))
    .sort()
}

describe('createContractApi', () => {
  it('has one method per contract channel and event, and nothing else', () => {
    const api = createContractApi('browser', recordingTransport().transport)
    expect(api.platform).toBe('browser')
    expect(methodsOf(api)).toEqual(
      [
        'audit.blur', 'audit.fix', 'audit.image', 'audit.onProgress', 'audit.run', 'audit.save',
        'captures.chooseFolder', 'captures.delete', 'captures.list', 'captures.open', 'captures.read', 'captures.save',
        'linkedin.signIn', 'linkedin.signOut', 'linkedin.status', 'settings.get', 'settings.set',
        'vcam.frame', 'vcam.onStopped', 'vcam.start', 'vcam.status', 'vcam.stop',
        'vision.detectForVideo'
      ].sort()
    )
    expect(methodsOf(api)).toHaveLength(IPC_CHANNELS.length + IPC_EVENT_CHANNELS.length)
  })

  it('forwards domain.verb(...args) to the channel domain:verb with the arguments as given', async () => {
    const { transport, invoked } = recordingTransport()
    const api = createContractApi('electron', transport)
    await expect(api.audit.blur('r1', 'person', 40)).resolves.toBe('result of audit:blur')
    await api.captures.list()
    expect(invoked).toEqual([
      { channel: 'audit:blur', args: ['r1', 'person', 40] },
      { channel: 'captures:list', args: [] }
    ])
  })

  it('subscribes domain.onNoun to the event domain:noun and returns its unsubscribe', () => {
    const { transport, subscribed } = recordingTransport()
    const api = createContractApi('electron', transport)
    const unsubscribe = api.audit.onProgress(() => undefined)
    expect(subscribed).toEqual(['audit:progress'])
    unsubscribe()
    expect(subscribed).toEqual([])
  })

  it('names methods after the channel', () => {
    expect(splitChannel('captures:chooseFolder')).toEqual({ domain: 'captures', name: 'chooseFolder' })
    expect(eventMethodName('audit:progress')).toBe('onProgress')
  })
})
