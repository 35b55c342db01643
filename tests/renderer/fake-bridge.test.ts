import { describe, expect, it } from 'vitest'
import { createFakeBridge } from './fake-bridge'

describe('fake bridge', () => {
  it('deleting a missing capture rejects and keeps the others', async () => {
    const bridge = createFakeBridge()
    const first = await bridge.api.captures.save({ data: Uint8Array.of(1), mimeType: 'image/jpeg' })
    await bridge.api.captures.save({ data: Uint8Array.of(2), mimeType: 'image/jpeg' })
    await expect(bridge.api.captures.delete('missing.jpg')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' })
    expect(bridge.captures.map((capture) => capture.name)).toEqual([first.name, 'smile-2.jpg'])
    await bridge.api.captures.delete(first.name)
    expect(bridge.captures.map((capture) => capture.name)).toEqual(['smile-2.jpg'])
  })

  it('records calls by channel', async () => {
    const bridge = createFakeBridge()
    await bridge.api.settings.set({ live: { mirror: false } })
    expect(bridge.calls).toEqual([{ channel: 'settings:set', args: [{ live: { mirror: false } }] }])
  })
})
