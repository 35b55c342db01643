/** Fail closed: with blur on, only a masked composite leaves; otherwise the frame is blurred all over. */
import { describe, expect, it, vi } from 'vitest'
import { createFailClosedGate } from '../../../src/shared/mask/fail-closed'
import { createVcamSender, evenSize, vcamSourceFor } from '../../../src/renderer/src/lib/vcam-feed'

describe('what goes to the virtual camera (the fail-closed gate decides)', () => {
  it('blur on: fully blurred until a mask arrives, masked composite while it is fresh, blurred again when the engine fails or lags', () => {
    const gate = createFailClosedGate<string>(true, { maxMaskAgeMs: 500 })
    expect(vcamSourceFor(gate.decide(0), false)).toBe('blurred-camera') // no mask yet: never the raw frame
    gate.maskArrived('m1', 100)
    expect(vcamSourceFor(gate.decide(133), true)).toBe('composited')
    // The canvas was drawn without a mask (e.g. the compositor lost it): still blurred all over.
    expect(vcamSourceFor(gate.decide(133), false)).toBe('blurred-camera')
    expect(vcamSourceFor(gate.decide(700), true)).toBe('blurred-camera') // mask too old
    gate.maskArrived('m2', 700)
    expect(vcamSourceFor(gate.decide(733), true)).toBe('composited')
    gate.engineFailed()
    expect(vcamSourceFor(gate.decide(766), true)).toBe('blurred-camera')
    gate.maskArrived('m3', 800)
    expect(vcamSourceFor(gate.decide(810), true)).toBe('composited')
    gate.reset() // blur mode changed: the old mask no longer applies
    expect(vcamSourceFor(gate.decide(820), true)).toBe('blurred-camera')
  })

  it('blur off: the composited canvas (the camera as is) goes out', () => {
    const gate = createFailClosedGate<string>(false)
    expect(vcamSourceFor(gate.decide(0), false)).toBe('composited')
    gate.setBlur(true)
    expect(vcamSourceFor(gate.decide(10), false)).toBe('blurred-camera')
  })

  it('even sizes for YUYV', () => {
    expect(evenSize(641, 481)).toEqual({ width: 640, height: 480 })
    expect(evenSize(640, 360)).toEqual({ width: 640, height: 360 })
    expect(evenSize(1, 1)).toEqual({ width: 2, height: 2 })
  })
})

describe('vcam sender', () => {
  it('keeps one frame in flight (does not even read the next one) and stops once when the feed is gone', async () => {
    let answer!: (running: boolean) => void
    const send = vi.fn(() => new Promise<boolean>((resolve) => (answer = resolve)))
    const onStopped = vi.fn()
    const sender = createVcamSender(send, onStopped)
    const read = vi.fn(() => ({ width: 2, height: 2, data: new Uint8Array(16) }))
    sender.offer(read)
    sender.offer(read)
    expect(read).toHaveBeenCalledTimes(1)
    expect(sender.stats()).toEqual({ sent: 1, skipped: 1 })
    answer(true)
    await Promise.resolve()
    sender.offer(read)
    expect(send).toHaveBeenCalledTimes(2)
    answer(false)
    await Promise.resolve()
    expect(onStopped).toHaveBeenCalledTimes(1)
    sender.offer(read)
    expect(send).toHaveBeenCalledTimes(2)
  })

  it('a rejected send stops it with the error', async () => {
    const onStopped = vi.fn()
    const sender = createVcamSender(() => Promise.reject(new Error('gone')), onStopped)
    sender.offer(() => ({ width: 2, height: 2, data: new Uint8Array(16) }))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(onStopped).toHaveBeenCalledWith(expect.objectContaining({ message: 'gone' }))
  })
})
