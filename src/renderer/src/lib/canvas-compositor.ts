/**
 * 2D-canvas compositor for the live view, the same contract as the WebGL one
 * (lib/blur-compositor.ts) and the same halo-free gather:
 *
 *   bg = blur(frame * w) / blur(w),  w = 1 - (slightly dilated mask)
 *
 * done with canvas operations: the frame at a quarter of the size, alpha-masked by w
 * ('destination-in'), blurred by the canvas `filter`, and read back un-premultiplied, which
 * is the division by blur(w). Without a GPU, Chromium composites a WebGL canvas by reading
 * it back from the GPU process on the main thread every frame (a blocking ReadPixels, ~45%
 * of the main thread in bench/live.ts); a 2D canvas is already in the page's memory. With
 * a GPU the browser accelerates these draws itself.
 */
import { blurBufferSize, bufferBlurSigma, quantizeStrength } from './blur-math'
import type { BlurCompositor, RenderOptions } from './blur-compositor'
import { maskToAlpha, opaqueBackground } from './mask-alpha'

interface Surface {
  canvas: HTMLCanvasElement
  context: CanvasRenderingContext2D
}

function createSurface(options: CanvasRenderingContext2DSettings = {}, canvas = document.createElement('canvas')): Surface {
  const context = canvas.getContext('2d', options)
  if (!context) throw new Error('Canvas 2D is not available, so background blur is off.')
  return { canvas, context }
}

function resizeSurface(surface: Surface, width: number, height: number): void {
  if (surface.canvas.width !== width) surface.canvas.width = width
  if (surface.canvas.height !== height) surface.canvas.height = height
}

/** Draws `source` over the whole of `target` with the given composite operation. */
function drawOver(target: Surface, source: CanvasImageSource, operation: GlobalCompositeOperation): void {
  target.context.globalCompositeOperation = operation
  target.context.drawImage(source, 0, 0, target.canvas.width, target.canvas.height)
}

/** Creates the compositor, or throws a plain Error when canvas 2D is unavailable. */
export function createCanvasCompositor(canvas: HTMLCanvasElement): BlurCompositor {
  const output = createSurface({ alpha: false }, canvas)
  const slots = [createSurface({ alpha: false }), createSurface({ alpha: false })]
  // Mask-sized alpha images: how sharp the person stays, how much each pixel feeds the blur.
  const personMask = createSurface()
  const backgroundMask = createSurface()
  // Quarter-size gather and blur buffers, read back on the CPU once per background refresh.
  const gather = createSurface({ willReadFrequently: true })
  const blurred = createSurface({ willReadFrequently: true })
  /** Full-size blurred background with alpha = 1 - person, drawn over the sharp frame. */
  const backgroundLayer = createSurface()
  let alphaBuffer = new Uint8ClampedArray(0)
  let hasMask = false
  let maskVersion = 0
  let width = 0
  let height = 0
  /** Mask version and strength the background layer was made with (null = none yet). */
  /** `prepared`: made by prepareBackground for this mask and not yet shown (a refresh request for it is already met). */
  let layerFor: { maskVersion: number; strength: number; prepared?: boolean } | null = null
  /** Face-filter layer, copied at setOverlay so later repaints of its source do not tear a frame. */
  const overlayLayer = createSurface()
  let hasOverlay = false

  function drawOverlay(): void {
    if (hasOverlay) drawOver(output, overlayLayer.canvas, 'source-over')
  }

  function resize(frameWidth: number, frameHeight: number): void {
    if (frameWidth === width && frameHeight === height) return
    width = frameWidth
    height = frameHeight
    for (const surface of [output, ...slots, backgroundLayer]) resizeSurface(surface, width, height)
    const reduced = blurBufferSize(width, height)
    for (const surface of [gather, blurred]) resizeSurface(surface, reduced.width, reduced.height)
    layerFor = null
  }

  function putMask(surface: Surface, mask: Float32Array, maskWidth: number, maskHeight: number, kind: 'person' | 'background'): void {
    resizeSurface(surface, maskWidth, maskHeight)
    if (alphaBuffer.length !== mask.length * 4) alphaBuffer = new Uint8ClampedArray(mask.length * 4)
    maskToAlpha(mask, kind, alphaBuffer)
    surface.context.putImageData(new ImageData(alphaBuffer, maskWidth, maskHeight), 0, 0)
  }

  function refreshBackground(sharp: CanvasImageSource, strength: number): void {
    const reduced = { width: gather.canvas.width, height: gather.canvas.height }
    drawOver(gather, sharp, 'copy')
    const frame = gather.context.getImageData(0, 0, reduced.width, reduced.height).data
    drawOver(gather, backgroundMask.canvas, 'destination-in')
    blurred.context.filter = `blur(${bufferBlurSigma(strength, width, height, reduced.width).toFixed(2)}px)`
    drawOver(blurred, gather.canvas, 'copy')
    blurred.context.filter = 'none'
    const background = blurred.context.getImageData(0, 0, reduced.width, reduced.height)
    opaqueBackground(background.data, frame)
    blurred.context.putImageData(background, 0, 0)
    drawOver(backgroundLayer, blurred.canvas, 'copy')
    drawOver(backgroundLayer, personMask.canvas, 'destination-out')
  }

  /** Draws the blurred background over the sharp frame already on the output (`sharp`). */
  function blurBehind(sharp: HTMLCanvasElement, options: RenderOptions): void {
    const strength = quantizeStrength(options.strength)
    if (!(options.blur && hasMask && strength > 0)) return
    const current = layerFor !== null && layerFor.strength === strength && layerFor.maskVersion === maskVersion
    if (!current || (options.refreshBackground && !layerFor!.prepared)) {
      refreshBackground(sharp, strength)
    }
    layerFor = { maskVersion, strength }
    drawOver(output, backgroundLayer.canvas, 'source-over')
  }

  return {
    canvas,
    uploadFrame(slot, source, frameWidth, frameHeight) {
      resize(frameWidth, frameHeight)
      drawOver(slots[slot], source, 'copy')
    },
    setMask(values, maskWidth, maskHeight) {
      hasMask = values !== null
      if (!values) return
      putMask(personMask, values, maskWidth, maskHeight, 'person')
      putMask(backgroundMask, values, maskWidth, maskHeight, 'background')
      maskVersion++
    },
    render(slot, options) {
      if (width === 0) return
      drawOver(output, slots[slot].canvas, 'copy')
      blurBehind(slots[slot].canvas, options)
      drawOverlay()
    },
    renderFrame(_slot, source, frameWidth, frameHeight, options) {
      // Straight onto the output: a slot copy would cost one full-frame draw more per frame.
      resize(frameWidth, frameHeight)
      drawOver(output, source, 'copy')
      blurBehind(output.canvas, options)
      drawOverlay()
    },
    prepareBackground(source, frameWidth, frameHeight, strength) {
      const quantized = quantizeStrength(strength)
      if (!hasMask || quantized <= 0) return
      resize(frameWidth, frameHeight)
      // A draw that came first already made it for this mask.
      if (layerFor && layerFor.maskVersion === maskVersion && layerFor.strength === quantized) return
      refreshBackground(source, quantized)
      layerFor = { maskVersion, strength: quantized, prepared: true }
    },
    setOverlay(source) {
      hasOverlay = source !== null
      if (!source) return
      const size = source instanceof HTMLVideoElement ? { width: source.videoWidth, height: source.videoHeight } : source
      resizeSurface(overlayLayer, size.width, size.height)
      drawOver(overlayLayer, source, 'copy')
    },
    close() {
      // Zero-sized canvases give their pixel memory back now rather than at garbage collection.
      for (const surface of [...slots, personMask, backgroundMask, gather, blurred, backgroundLayer, overlayLayer]) resizeSurface(surface, 0, 0)
    }
  }
}

/** Renderer names of WebGL implemented on the CPU (no GPU, or a blocklisted one). */
export function isSoftwareRenderer(renderer: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer)
}

/** Whether WebGL2 runs on a real GPU here; probed on a throwaway canvas. */
export function hasHardwareWebgl(): boolean {
  const gl = document.createElement('canvas').getContext('webgl2')
  if (!gl) return false
  try {
    const info = gl.getExtension('WEBGL_debug_renderer_info')
    return !isSoftwareRenderer(String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)))
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext()
  }
}
