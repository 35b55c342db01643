/**
 * One camera stream through the engine and the compositor: `analyse` sends a frame to the
 * engine and turns the result into a refined keep-sharp mask; `render` composites any frame
 * with the newest usable mask, through the fail-closed gate (no mask, engine down or a mask
 * too old: the frame goes out fully blurred, never raw while blur is on).
 */
import { SmilecamError } from '../../shared/errors'
import { builtInBackground, parseHexColour, solidBackground } from '../../shared/backgrounds'
import { createFailClosedGate, DEFAULT_FAIL_CLOSED, type BlurDecision, type FailClosedOptions } from '../../shared/mask/fail-closed'
import { createKeepMask, DEFAULT_KEEP_MASK, type KeepMaskOptions } from '../../shared/mask/keep-mask'
import { analysisSize } from '../../shared/mask/ops'
import type { LiveBlurMode } from '../../shared/settings'
import type { RgbaImage, VisionOptions, VisionResult } from '../../shared/vision'
import { blurSigma } from '../../shared/blur'
import { compositeFrame, type CompositeBackground } from './composite'
import type { Yuv420Frame } from './y4m'
import { rgbaToYuv420, yuv420ToRgba, type YuvRange } from './yuv'

/** What the processor needs of the engine (VisionEngine, or a fake in tests). */
export interface VideoEngine {
  detectForVideo(frame: RgbaImage, timestampMs: number, overrides?: Partial<VisionOptions>): Promise<VisionResult | null>
}

/** What replaces the background: a blur, a colour, a picture, or a built-in background. */
export type BackgroundChoice =
  | { kind: 'blur'; strength: number }
  | { kind: 'colour'; rgb: readonly [number, number, number] }
  | { kind: 'image'; rgba: ArrayLike<number>; width: number; height: number }

export interface FrameProcessorOptions {
  mode: LiveBlurMode
  background: BackgroundChoice
  /** Needed unless mode is 'off'. */
  engine?: VideoEngine
  range?: YuvRange
  /** Long side of the frame the engine sees (the app's live view uses the same). */
  analysisLongSide?: number
  keepMask?: KeepMaskOptions
  failClosed?: FailClosedOptions
}

export interface ProcessorStats {
  /** Frames the engine analysed into a mask. */
  masks: number
  /** Frames the engine skipped (still busy) or failed on. */
  engineSkips: number
  engineFailures: number
  /** Frames sent out fully blurred because no usable mask existed. */
  fullyBlurred: number
  rendered: number
  /** Main-thread time spent turning results into masks (refinement included) and compositing. */
  maskMs: number
  composeMs: number
}

export interface FrameProcessor {
  /** Analyses a frame; resolves when its mask is in (or the engine skipped or failed it). Never rejects. */
  analyse(frame: Yuv420Frame, timestampMs: number): Promise<void>
  /** The frame to send for `timestampMs`. */
  render(frame: Yuv420Frame, timestampMs: number): Yuv420Frame
  /** The newest keep-sharp mask (frame size), for measurements. */
  latestMask(): Float32Array | null
  /** The last engine error, if the engine is failing. */
  lastError(): SmilecamError | null
  stats(): ProcessorStats
}

export const CAMERA_ANALYSIS_LONG_SIDE = 384

/**
 * Parses --background: '#rrggbb', a built-in background's id, or anything else as a picture
 * path (returned as 'file' for the caller to decode).
 */
export function parseBackgroundArgument(text: string): { kind: 'colour'; rgb: readonly [number, number, number] } | { kind: 'builtin'; id: string } | { kind: 'file'; path: string } {
  if (text.startsWith('#')) {
    const rgb = parseHexColour(text)
    if (!rgb) throw new SmilecamError('INVALID_INPUT', `--background ${text} is not a #rrggbb colour.`)
    return { kind: 'colour', rgb }
  }
  if (builtInBackground(text)) return { kind: 'builtin', id: text }
  return { kind: 'file', path: text }
}

/** Scales an RGBA picture to cover width × height (centre crop), nearest sample: it sits behind the person, blurred by nothing. */
function coverScale(rgba: ArrayLike<number>, sw: number, sh: number, width: number, height: number): Uint8ClampedArray {
  const scale = Math.max(width / sw, height / sh)
  const ox = (sw - width / scale) / 2
  const oy = (sh - height / scale) / 2
  const out = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++) {
    const sy = Math.min(sh - 1, Math.floor(oy + (y + 0.5) / scale))
    for (let x = 0; x < width; x++) {
      const sx = Math.min(sw - 1, Math.floor(ox + (x + 0.5) / scale))
      const s = (sy * sw + sx) * 4
      const o = (y * width + x) * 4
      out[o] = rgba[s]
      out[o + 1] = rgba[s + 1]
      out[o + 2] = rgba[s + 2]
      out[o + 3] = 255
    }
  }
  return out
}

export function createFrameProcessor(options: FrameProcessorOptions): FrameProcessor {
  const { mode, engine } = options
  if (mode !== 'off' && !engine) throw new SmilecamError('INTERNAL', 'Blur needs an engine.')
  const range = options.range ?? 'limited'
  const keepMask = createKeepMask(options.keepMask ?? DEFAULT_KEEP_MASK)
  const gate = createFailClosedGate<Float32Array>(mode !== 'off', options.failClosed ?? DEFAULT_FAIL_CLOSED)
  const stats: ProcessorStats = { masks: 0, engineSkips: 0, engineFailures: 0, fullyBlurred: 0, rendered: 0, maskMs: 0, composeMs: 0 }
  const overrides: Partial<VisionOptions> = { personMask: mode === 'person', expression: false, mesh: false, detector: 'short' }
  let latest: Float32Array | null = null
  let lastError: SmilecamError | null = null
  // Replacement planes depend on the frame size; made once per size.
  let replacement: { width: number; height: number; planes: Yuv420Frame } | null = null

  function background(frame: Yuv420Frame): CompositeBackground {
    const choice = options.background
    if (choice.kind === 'blur') return { kind: 'blur', sigma: blurSigma(choice.strength, frame.width, frame.height) }
    if (!replacement || replacement.width !== frame.width || replacement.height !== frame.height) {
      const rgba =
        choice.kind === 'colour'
          ? solidBackground(frame.width, frame.height, choice.rgb)
          : coverScale(choice.rgba, choice.width, choice.height, frame.width, frame.height)
      replacement = { width: frame.width, height: frame.height, planes: rgbaToYuv420(rgba, frame.width, frame.height, range) }
    }
    return { kind: 'image', planes: replacement.planes }
  }

  return {
    async analyse(frame, timestampMs) {
      if (mode === 'off' || !engine) return
      const size = analysisSize(frame.width, frame.height, options.analysisLongSide ?? CAMERA_ANALYSIS_LONG_SIDE)
      let result: VisionResult | null
      try {
        result = await engine.detectForVideo(yuv420ToRgba(frame, size.width, size.height, range), timestampMs, overrides)
      } catch (error) {
        lastError = SmilecamError.from(error, 'ENGINE_FAILED')
        stats.engineFailures++
        gate.engineFailed()
        return
      }
      if (!result) {
        stats.engineSkips++
        return
      }
      const started = performance.now()
      const mask = keepMask.update(result, mode, timestampMs, { data: frame.y, width: frame.width, height: frame.height })
      stats.maskMs += performance.now() - started
      // A result without the mask it was asked for counts as no mask: the gate lets it expire.
      if (!mask) return
      lastError = null
      latest = mask
      stats.masks++
      gate.maskArrived(mask, timestampMs)
    },
    render(frame, timestampMs) {
      const decision: BlurDecision<Float32Array> = gate.decide(timestampMs)
      stats.rendered++
      if (decision.kind === 'raw') return frame
      const started = performance.now()
      const usable = decision.kind === 'mask' && decision.mask.length === frame.width * frame.height ? decision.mask : null
      if (!usable) stats.fullyBlurred++
      const out = compositeFrame(frame, usable, background(frame))
      stats.composeMs += performance.now() - started
      return out
    },
    latestMask: () => latest,
    lastError: () => lastError,
    stats: () => ({ ...stats })
  }
}
