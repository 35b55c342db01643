import { describe, expect, it } from 'vitest'
import { createFrameScheduler } from '../../../src/renderer/src/lib/frame-scheduler'

describe('frame scheduler', () => {
  it('without decoded-frame counting, every tick is a new frame; sends one frame until its result is in', () => {
    const scheduler = createFrameScheduler<string>()
    expect(scheduler.tick(0)).toEqual({ newCameraFrame: true, send: true })
    expect(scheduler.begin(0, 'a')).toBe(1) // strictly above the previous timestamp (0)
    expect(scheduler.tick(16)).toEqual({ newCameraFrame: true, send: false })
    expect(scheduler.tick(33)).toEqual({ newCameraFrame: true, send: false })
    expect(scheduler.finish(1)).toBe('a')
    expect(scheduler.tick(50)).toEqual({ newCameraFrame: true, send: true })
    expect(scheduler.begin(50, 'b')).toBe(50)
    expect(scheduler.sent).toBe(2)
  })

  it('with decoded-frame counting, a camera frame is reported and sent once however many ticks see it', () => {
    const scheduler = createFrameScheduler<string>()
    scheduler.countDecodedFrames(true)
    expect(scheduler.tick(0)).toEqual({ newCameraFrame: true, send: true })
    scheduler.begin(0, 'a')
    expect(scheduler.finish(1)).toBe('a')
    // The same decoded frame: neither new nor sent again.
    expect(scheduler.tick(16)).toEqual({ newCameraFrame: false, send: false })
    scheduler.frameDecoded()
    expect(scheduler.tick(33)).toEqual({ newCameraFrame: true, send: true })
  })

  it('timestamps strictly increase even when ticks repeat a millisecond', () => {
    const scheduler = createFrameScheduler<number>()
    const stamps: number[] = []
    for (const now of [100.2, 100.4, 100.4, 99]) {
      scheduler.tick(now)
      const stamp = scheduler.begin(now, 0)
      stamps.push(stamp)
      scheduler.finish(stamp)
    }
    expect(stamps).toEqual([100, 101, 102, 103])
  })

  it('a result for another frame is stale; an error pauses sending for retryMs', () => {
    const scheduler = createFrameScheduler<string>(1000)
    scheduler.tick(0)
    const stamp = scheduler.begin(0, 'a')
    expect(scheduler.finish(stamp + 5)).toBeNull()
    expect(scheduler.tick(10).send).toBe(true)
    scheduler.begin(10, 'b')
    scheduler.fail(20)
    expect(scheduler.tick(500).send).toBe(false)
    expect(scheduler.tick(1019).send).toBe(false)
    expect(scheduler.tick(1020).send).toBe(true)
  })

  it('abort frees the gate without a pause', () => {
    const scheduler = createFrameScheduler<string>()
    scheduler.tick(0)
    scheduler.begin(0, 'a')
    scheduler.abort()
    expect(scheduler.tick(16).send).toBe(true)
    expect(scheduler.finish(1)).toBeNull()
  })
})
