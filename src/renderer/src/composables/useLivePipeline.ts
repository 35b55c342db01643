/**
 * The live loop: camera frame -> downscaled RGBA -> engine (one request in flight, latest
 * frame wins) -> mask smoothing -> compositor (WebGL or 2D canvas) + overlays -> SmileTrigger -> capture.
 *
 * With blur on and a responsive engine, the shown frame is the one the last engine result was
 * computed from (kept in a compositor slot), so mask and overlays are aligned with the pixels
 * at the cost of one round trip of delay. When the engine analyses fewer than
 * ALIGNED_MIN_SHARE of the camera's frames, waiting would drop the preview to the engine's
 * frame rate, so
 * the live frame is shown with the newest (smoothed) mask instead: smooth video beats exact
 * edges. With blur off, the live video is shown on every camera frame and overlays follow.
 */
import { onBeforeUnmount, reactive, ref, shallowRef, watch, type Ref } from 'vue'
import type { SmilecamApi } from '../../../shared/api'
import { SmilecamError } from '../../../shared/errors'
import type { Settings } from '../../../shared/settings'
import type { FaceResult, VisionResult, VisionTimings } from '../../../shared/vision'
import { analysisSize } from '../lib/blur-math'
import { createBlurCompositor, type BlurCompositor } from '../lib/blur-compositor'
import { createCanvasCompositor, hasHardwareWebgl } from '../lib/canvas-compositor'
import { encodeJpeg } from '../lib/encode-frame'
import { createFaceSampler } from '../lib/face-sample'
import { createFrameGate, createRateMeter, smoothDuration } from '../lib/frame-gate'
import { createLiveMask, type AlphaMask } from '../lib/live-mask'
import { paintOverlay } from '../lib/overlay-painter'
import { createShutter } from '../lib/shutter'
import {
  calibrateNeutralMar,
  createSmileTrigger,
  smileTriggerConfigFromSettings,
  type SmileFaceSample,
  type SmileTriggerUpdate
} from '../lib/smile-trigger'

/** Long side of the frame sent to the engine (detector and segmenter inputs are smaller still). */
const ANALYSIS_LONG_SIDE = 384
/**
 * Longest side of the composited view; bigger camera frames are scaled down (the compositor
 * runs on the CPU when there is no GPU). Captures use the full resolution.
 */
const DISPLAY_LONG_SIDE = 640
const ENGINE_RETRY_MS = 1000
/**
 * Aligned display shows one frame per engine result, so it is used only while the engine
 * keeps up with (nearly) every camera frame; otherwise the preview would drop frames.
 */
const ALIGNED_MIN_SHARE = 0.95
const CALIBRATION_MS = 2000
const HUD_REFRESH_MS = 250

interface SentFrame {
  /** Compositor slot holding this frame, or null when it was not kept (live display). */
  slot: number | null
  timestampMs: number
  sentAtMs: number
}

export interface LiveElements {
  video: Ref<HTMLVideoElement | null>
  canvas: Ref<HTMLCanvasElement | null>
  overlay: Ref<HTMLCanvasElement | null>
}

export interface LiveStats {
  /** 'aligned': frames shown with their own engine result; 'live': newest frame, newest mask. */
  displayMode: 'aligned' | 'live'
  displayFps: number
  engineFps: number
  roundTripMs: number | null
  timings: VisionTimings | null
  analysisWidth: number
  analysisHeight: number
  sent: number
}

export function useLivePipeline(
  api: SmilecamApi,
  elements: LiveElements,
  settings: Settings,
  onCapture: (jpeg: Uint8Array) => Promise<void>
) {
  /** Updated on every frame and result; the HUD sees a copy every HUD_REFRESH_MS. */
  const measured: LiveStats = {
    displayMode: 'aligned',
    displayFps: 0,
    engineFps: 0,
    roundTripMs: null,
    timings: null,
    analysisWidth: 0,
    analysisHeight: 0,
    sent: 0
  }
  const stats = reactive<LiveStats>({ ...measured })
  let statsShownAtMs = Number.NEGATIVE_INFINITY
  const faces = shallowRef<FaceResult[]>([])
  const mainSample = shallowRef<SmileFaceSample | null>(null)
  const trigger = shallowRef<SmileTriggerUpdate | null>(null)
  const engineError = ref<string | null>(null)
  const compositorError = ref<string | null>(null)
  const maskMissing = ref(false)
  const flashing = ref(false)
  const calibrating = ref(false)
  const neutralMar = ref<number | null>(null)
  /** The last calibration saw too few faces to measure a neutral mouth. */
  const calibrationFailed = ref(false)

  const gate = createFrameGate<SentFrame>()
  const displayRate = createRateMeter()
  const engineRate = createRateMeter()
  const cameraRate = createRateMeter()
  /** Camera frame last counted by cameraRate. */
  let countedSerial = -1
  const sampler = createFaceSampler()
  const smileTrigger = createSmileTrigger(smileTriggerConfigFromSettings(settings.capture))
  const shutter = createShutter()
  let compositor: BlurCompositor | null = null
  /** Probed once, when the first compositor is made. */
  let hardwareWebgl: boolean | null = null
  let analysisContext: CanvasRenderingContext2D | null = null
  const liveMask = createLiveMask()
  /** The feathered mask on screen, reused to blur full-resolution captures. */
  let shownMask: AlphaMask | null = null
  let maskChanged = false
  let displaySlot = 0
  let alignedFrameReady = false
  let lastTimestampMs = 0
  let retryAtMs = 0
  let frameRequest = 0
  let calibrationSamples: number[] | null = null
  let calibrationStartMs = 0
  let running = false
  // Counts decoded camera frames, so a frame is sent and drawn once, not once per animation frame.
  let videoFrameSerial = 0
  let sentSerial = -1
  let drawnSerial = -1
  let countsVideoFrames = false

  watch(
    () => ({ ...settings.capture }),
    (capture) => smileTrigger.setConfig(smileTriggerConfigFromSettings(capture)),
    { deep: true }
  )
  watch(
    () => settings.live.blurMode,
    () => {
      liveMask.reset() // a new mask source starts fresh instead of fading from the old one
      compositor?.setMask(null, 0, 0) // and nothing is blurred with the old one meanwhile
      shownMask = null
      alignedFrameReady = false
    }
  )

  function blurActive(): boolean {
    return settings.live.blurMode !== 'off' && compositor !== null
  }

  function alignedDisplay(): boolean {
    if (!blurActive()) return false
    if (measured.roundTripMs === null) return true // no result yet: nothing to compare
    const now = performance.now()
    return engineRate.rate(now) >= ALIGNED_MIN_SHARE * cameraRate.rate(now)
  }

  function displaySize(video: HTMLVideoElement): { width: number; height: number } {
    return analysisSize(video.videoWidth, video.videoHeight, DISPLAY_LONG_SIDE)
  }

  /**
   * WebGL on a GPU; the 2D canvas otherwise: software WebGL is read back from the GPU process
   * on the main thread for every shown frame (see lib/canvas-compositor.ts).
   */
  function createCompositor(canvas: HTMLCanvasElement): BlurCompositor {
    hardwareWebgl ??= hasHardwareWebgl()
    return hardwareWebgl ? createBlurCompositor(canvas) : createCanvasCompositor(canvas)
  }

  function ensureCompositor(): void {
    if (compositor || compositorError.value || !elements.canvas.value) return
    try {
      compositor = createCompositor(elements.canvas.value)
    } catch (error) {
      compositorError.value = error instanceof Error ? error.message : String(error)
    }
  }

  function nextTimestamp(now: number): number {
    // The engine's temporal smoothing needs strictly increasing timestamps.
    lastTimestampMs = Math.max(lastTimestampMs + 1, Math.round(now))
    return lastTimestampMs
  }

  function sendFrame(video: HTMLVideoElement, now: number): void {
    const size = analysisSize(video.videoWidth, video.videoHeight, ANALYSIS_LONG_SIDE)
    if (!analysisContext || analysisContext.canvas.width !== size.width || analysisContext.canvas.height !== size.height) {
      const canvas = document.createElement('canvas')
      canvas.width = size.width
      canvas.height = size.height
      analysisContext = canvas.getContext('2d', { willReadFrequently: true })
      if (!analysisContext) return
    }
    analysisContext.drawImage(video, 0, 0, size.width, size.height)
    const pixels = analysisContext.getImageData(0, 0, size.width, size.height)
    const slot = alignedDisplay() ? 1 - displaySlot : null
    if (slot !== null) {
      // Straight from the <video>: an intermediate canvas copy costs a full-frame draw more.
      const display = displaySize(video)
      compositor!.uploadFrame(slot, video, display.width, display.height)
    }
    const timestampMs = nextTimestamp(now)
    if (!gate.begin(timestampMs, { slot, timestampMs, sentAtMs: now })) return
    measured.sent = gate.sent
    measured.analysisWidth = size.width
    measured.analysisHeight = size.height
    const wantsExpression = settings.live.showEmotion || settings.live.showSmileMeter || settings.capture.autoCapture
    api.vision
      .detectForVideo({
        width: size.width,
        height: size.height,
        data: new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength),
        timestampMs,
        personMask: settings.live.blurMode === 'person',
        expression: wantsExpression
      })
      .then(onResult, (error: unknown) => {
        gate.abort()
        engineError.value = SmilecamError.from(error, 'ENGINE_FAILED').message
        retryAtMs = performance.now() + ENGINE_RETRY_MS
      })
  }

  function updateMask(result: VisionResult, timestampMs: number): void {
    const mode = settings.live.blurMode
    maskMissing.value = mode === 'person' && !result.personMask
    shownMask = compositor ? liveMask.update(result, mode, timestampMs) : null
    compositor?.setMask(shownMask?.values ?? null, shownMask?.width ?? 0, shownMask?.height ?? 0)
    maskChanged = shownMask !== null
  }

  function onResult(result: VisionResult | null): void {
    const frame = gate.finish(result?.timestampMs)
    if (!result || !frame || !running) return // dropped by the engine, or stale
    const now = performance.now()
    engineError.value = null
    engineRate.tick(now)
    measured.engineFps = engineRate.rate(now)
    measured.roundTripMs = smoothDuration(measured.roundTripMs, now - frame.sentAtMs)
    measured.timings = result.timings
    faces.value = result.faces

    updateMask(result, frame.timestampMs)
    if (frame.slot !== null && alignedDisplay()) {
      displaySlot = frame.slot
      alignedFrameReady = true
    }
    measured.displayMode = alignedDisplay() ? 'aligned' : 'live'
    paintFaces(result)

    const sample = sampler.sample(result)
    mainSample.value = sample
    if (calibrationSamples && sample) calibrationSamples.push(sample.mar)
    const update = smileTrigger.update({ tMs: frame.timestampMs, face: sample })
    trigger.value = update
    if (update.fired && settings.capture.autoCapture) void capture()
  }

  function paintFaces(result: VisionResult): void {
    const overlay = elements.overlay.value
    const video = elements.video.value
    if (!overlay || !video) return
    const display = displaySize(video)
    if (overlay.width !== display.width || overlay.height !== display.height) {
      overlay.width = display.width
      overlay.height = display.height
    }
    const context = overlay.getContext('2d')
    if (!context) return
    paintOverlay(context, result.faces, result, {
      boxes: settings.live.showBoxes,
      landmarks: settings.live.showLandmarks,
      emotion: settings.live.showEmotion,
      mirror: settings.live.mirror
    })
  }

  function draw(video: HTMLVideoElement, now: number): void {
    if (!compositor) return
    const strength = settings.live.blurStrength
    if (alignedDisplay()) {
      if (!alignedFrameReady) return
      alignedFrameReady = false
      compositor.render(displaySlot, { blur: true, strength, refreshBackground: true })
    } else {
      if (drawnSerial === videoFrameSerial) return
      drawnSerial = videoFrameSerial
      const display = displaySize(video)
      // Live display re-blurs the background once per engine result, not once per camera frame.
      compositor.renderFrame(displaySlot, video, display.width, display.height, {
        blur: blurActive(),
        strength,
        refreshBackground: maskChanged
      })
      maskChanged = false
    }
    displayRate.tick(now)
  }

  function tick(now: number): void {
    if (!running) return
    frameRequest = requestAnimationFrame(tick)
    const video = elements.video.value
    if (!video || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) return
    ensureCompositor()
    if (!countsVideoFrames) videoFrameSerial++
    if (countedSerial !== videoFrameSerial) {
      countedSerial = videoFrameSerial
      cameraRate.tick(now)
    }
    if (gate.idle && now >= retryAtMs && sentSerial !== videoFrameSerial) {
      sentSerial = videoFrameSerial
      sendFrame(video, now)
    }
    draw(video, now)
    measured.displayFps = compositor ? displayRate.rate(now) : engineRate.rate(now)
    if (now - statsShownAtMs >= HUD_REFRESH_MS) {
      // Re-rendering the HUD on every frame cost style, layout and paint each frame.
      Object.assign(stats, measured)
      statsShownAtMs = now
    }
    if (calibrationSamples && now - calibrationStartMs >= CALIBRATION_MS) finishCalibration()
  }

  function calibrate(): void {
    calibrationSamples = []
    calibrationStartMs = performance.now()
    calibrating.value = true
    calibrationFailed.value = false
  }
  function finishCalibration(): void {
    const baseline = calibrateNeutralMar(calibrationSamples ?? [])
    calibrationSamples = null
    calibrating.value = false
    calibrationFailed.value = baseline === null
    if (baseline !== null) {
      neutralMar.value = baseline
      smileTrigger.setConfig({ neutralMar: baseline })
    }
  }
  function clearCalibration(): void {
    neutralMar.value = null
    smileTrigger.setConfig({ neutralMar: null })
  }

  /** Composites the camera's full-resolution frame with the newest mask on a one-off canvas. */
  async function blurredCapture(
    video: HTMLVideoElement,
    mask: AlphaMask
  ): Promise<Uint8Array> {
    const canvas = document.createElement('canvas')
    const full = createCompositor(canvas)
    try {
      full.uploadFrame(0, video, video.videoWidth, video.videoHeight)
      full.setMask(mask.values, mask.width, mask.height)
      full.render(0, { blur: true, strength: settings.live.blurStrength, refreshBackground: true })
      return await encodeJpeg(canvas, canvas.width, canvas.height)
    } finally {
      full.close()
    }
  }

  async function capture(): Promise<void> {
    const video = elements.video.value
    if (!video || video.videoWidth === 0) return
    if (settings.capture.sound) shutter.play()
    if (settings.capture.flash) {
      flashing.value = true
      setTimeout(() => (flashing.value = false), 180)
    }
    try {
      const jpeg =
        settings.capture.saveBlurred && blurActive() && shownMask
          ? await blurredCapture(video, shownMask)
          : await encodeJpeg(video, video.videoWidth, video.videoHeight)
      await onCapture(jpeg)
    } catch (error) {
      engineError.value = `The photo could not be saved: ${SmilecamError.from(error).message}`
    }
  }

  function countVideoFrames(video: HTMLVideoElement | null): void {
    countsVideoFrames = video !== null && 'requestVideoFrameCallback' in video
    if (!countsVideoFrames || !video) return
    const onVideoFrame = (): void => {
      videoFrameSerial++
      if (running) video.requestVideoFrameCallback(onVideoFrame)
    }
    video.requestVideoFrameCallback(onVideoFrame)
  }

  function start(): void {
    if (running) return
    running = true
    countVideoFrames(elements.video.value)
    frameRequest = requestAnimationFrame(tick)
  }

  function stop(): void {
    running = false
    cancelAnimationFrame(frameRequest)
    gate.abort()
    sampler.reset()
    smileTrigger.reset()
    liveMask.reset()
  }

  onBeforeUnmount(() => {
    stop()
    compositor?.close()
    compositor = null
    shutter.close()
  })

  return {
    stats,
    faces,
    mainSample,
    trigger,
    engineError,
    compositorError,
    maskMissing,
    flashing,
    calibrating,
    calibrationFailed,
    neutralMar,
    start,
    stop,
    capture,
    calibrate,
    clearCalibration
  }
}
