/**
 * Which live compositor to use: WebGL on a GPU, the 2D canvas otherwise (software WebGL is read
 * back from the GPU process on the main thread for every shown frame; see canvas-compositor.ts).
 * The GPU is probed once, when the first compositor is made.
 */
import { createBlurCompositor, type BlurCompositor } from './blur-compositor'
import { createCanvasCompositor, hasHardwareWebgl } from './canvas-compositor'

export type CompositorFactory = (canvas: HTMLCanvasElement) => BlurCompositor

export interface CompositorChoices {
  hardwareWebgl: () => boolean
  webgl: CompositorFactory
  canvas2d: CompositorFactory
}

const BROWSER_CHOICES: CompositorChoices = {
  hardwareWebgl: hasHardwareWebgl,
  webgl: createBlurCompositor,
  canvas2d: createCanvasCompositor
}

export function createCompositorChooser(choices: CompositorChoices = BROWSER_CHOICES): CompositorFactory {
  let hardware: boolean | null = null
  return (canvas) => {
    hardware ??= choices.hardwareWebgl()
    return hardware ? choices.webgl(canvas) : choices.canvas2d(canvas)
  }
}
