import { describe, expect, it } from 'vitest'
import { captureStatusText, createCapturePolicy, laplacianSharpness, shotScore, type TriggerView } from '../../../src/renderer/src/lib/capture-policy'

const holding: TriggerView = { phase: 'holding', fired: false }
const fired: TriggerView = { phase: 'cooldown', fired: true }
const cooldown: TriggerView = { phase: 'cooldown', fired: false }
const waiting: TriggerView = { phase: 'waiting', fired: false }

describe('createCapturePolicy', () => {
  const config = { autoCapture: true, sessionLimit: 2, bestShotWindowMs: 500 }

  it('saves the best frame of the smile (held and just after the trigger), not the first, and releases the others', () => {
    const policy = createCapturePolicy<string>(config)
    const released: string[] = []
    const step = (t: number, trigger: TriggerView, frame: string | null, score = 0) => {
      const out = policy.step(t, trigger, frame ? { frame, score } : null)
      released.push(...out.release)
      return out.save
    }
    expect(step(0, holding, 'a', 0.4)).toBeNull()
    expect(step(100, holding, 'b', 0.7)).toBeNull()
    expect(step(200, fired, 'c', 0.5)).toBeNull()
    expect(policy.status).toEqual({ kind: 'choosing' })
    expect(step(400, cooldown, 'd', 0.6)).toBeNull()
    expect(step(700, cooldown, null)).toBe('b')
    expect(released.sort()).toEqual(['a', 'c', 'd'])
    expect(policy.status).toEqual({ kind: 'saving' })
    policy.saveFinished({ ok: true })
    expect(policy.status).toEqual({ kind: 'saved', count: 1, limit: 2 })
    expect(captureStatusText(policy.status)).toBe('Saved photo 1 of 2 this session.')
  })

  it('with auto-capture off says a smile was seen and saves nothing', () => {
    const policy = createCapturePolicy<string>({ ...config, autoCapture: false })
    expect(policy.step(0, holding, { frame: 'a', score: 0.9 }).release).toEqual(['a'])
    const out = policy.step(100, fired, { frame: 'b', score: 0.9 })
    expect(out).toEqual({ save: null, release: ['b'] })
    expect(policy.step(2000, cooldown, null).save).toBeNull()
    expect(captureStatusText(policy.status)).toBe('Smile seen, nothing saved: auto-capture is off.')
  })

  it('stops at the session limit until reset', () => {
    const policy = createCapturePolicy<string>({ ...config, sessionLimit: 1 })
    policy.step(0, fired, { frame: 'a', score: 0.5 })
    expect(policy.step(600, cooldown, null).save).toBe('a')
    policy.saveFinished({ ok: true })
    expect(captureStatusText(policy.status)).toBe('Saved photo 1 of 1. Auto-capture is paused for this session.')
    expect(policy.step(5000, fired, { frame: 'b', score: 0.9 })).toEqual({ save: null, release: ['b'] })
    expect(policy.status).toEqual({ kind: 'smile-not-saved', reason: 'limit-reached' })
    expect(policy.reset()).toEqual([])
    expect(policy.savedCount).toBe(0)
  })

  it('drops the frame of a smile that broke off before the trigger fired, and reports failed saves', () => {
    const policy = createCapturePolicy<string>(config)
    policy.step(0, holding, { frame: 'a', score: 0.5 })
    expect(policy.step(100, waiting, null).release).toEqual(['a'])
    policy.step(200, fired, { frame: 'b', score: 0.5 })
    expect(policy.step(800, cooldown, null).save).toBe('b')
    policy.saveFinished({ ok: false, message: 'disk full' })
    expect(captureStatusText(policy.status)).toBe('Not saved: disk full')
    expect(policy.savedCount).toBe(0)
  })
})

describe('shotScore and laplacianSharpness', () => {
  it('ranks a bigger smile, open eyes and a sharper face higher', () => {
    expect(shotScore({ smile: 0.9, ear: 0.3 }, 100)).toBeGreaterThan(shotScore({ smile: 0.6, ear: 0.3 }, 100))
    expect(shotScore({ smile: 0.9, ear: 0.3 }, 100)).toBeGreaterThan(shotScore({ smile: 0.9, ear: 0.12 }, 100))
    expect(shotScore({ smile: 0.9, ear: 0.3 }, 100)).toBeGreaterThan(shotScore({ smile: 0.9, ear: 0.3 }, 5))
    expect(shotScore({ smile: 1, ear: 0.3 }, 0)).toBe(0.5)
  })

  it('is 0 on a flat image and (255²·…) on a one-pixel checkerboard', () => {
    const size = 8
    const flat = new Uint8Array(size * size * 4).fill(128)
    expect(laplacianSharpness(flat, size, size)).toBe(0)
    const checker = new Uint8Array(size * size * 4)
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) checker.fill((x + y) % 2 ? 255 : 0, (y * size + x) * 4, (y * size + x) * 4 + 3)
    // Every interior pixel: 4 neighbours of the other colour, so |Laplacian| = 4·255 (luma weights sum to 1).
    expect(laplacianSharpness(checker, size, size)).toBeCloseTo((4 * 255) ** 2, 3)
  })
})
