import { describe, expect, it, vi } from 'vitest'
import type { BlurCompositor } from '../../../src/renderer/src/lib/blur-compositor'
import { createCompositorChooser } from '../../../src/renderer/src/lib/compositor-choice'

function fakeCompositor(name: string): BlurCompositor {
  return { name } as unknown as BlurCompositor
}

describe('compositor choice', () => {
  it.each([
    [true, 'webgl'],
    [false, 'canvas2d']
  ])('hardware WebGL %s -> %s, the GPU probed once', (hardware, expected) => {
    const hardwareWebgl = vi.fn(() => hardware)
    const choose = createCompositorChooser({
      hardwareWebgl,
      webgl: () => fakeCompositor('webgl'),
      canvas2d: () => fakeCompositor('canvas2d')
    })
    const canvas = {} as HTMLCanvasElement
    expect((choose(canvas) as unknown as { name: string }).name).toBe(expected)
    expect((choose(canvas) as unknown as { name: string }).name).toBe(expected)
    expect(hardwareWebgl).toHaveBeenCalledTimes(1)
  })
})
