/**
 * The live loop: camera frame -> downscaled RGBA -> engine -> mask smoothing -> compositor +
 * overlays -> SmileTrigger -> capture. This file wires the units together and owns the Vue state;
 * the decisions live in them:
 *   lib/frame-scheduler.ts   when to send a frame (one request in flight, latest frame wins)
 *   lib/display-policy.ts    aligned or live display, and what to draw on each animation frame
 *   lib/compositor-choice.ts WebGL or 2D-canvas compositor
 *   lib/live-mask.ts         mask smoothing and feathering
 *   lib/overlay-painter.ts   face overlays
 *   lib/live-meters.ts       HUD figures
 *   lib/filter-layer.ts      face filters, drawn by the compositor (so captures carry them)
 *   lib/joke-timer.ts        a joke when auto-capture has waited a while for a smile
 *   lib/neutral-calibration.ts, lib/smile-trigger.ts, lib/live-capture.ts
 */
import { onBeforeUnmount, reactive, ref, shallowRef, watch, type Ref } from 'vue'
import type { SmilecamApi } from '../../../shared/api'
import { SmilecamError } from '../../../shared/errors'
import { createJokeDeck } from '../../../shared/joke-deck'
import { JOKES, type Joke } from '../../../shared/jokes'
import type { Settings } from '../../../shared/settings'
import type { FaceResult, VisionResult } from '../../../shared/vision'
import { createAnalysisFrameReader } from '../lib/analysis-frame'
import type { BlurCompositor } from '../lib/blur-compositor'
import { analysisSize } from '../lib/blur-math'
import { createCompositorChooser } from '../lib/compositor-choice'
import { createDisplayPolicy, displayModeFor, type DisplayMode } from '../lib/display-policy'
import { createFaceSampler } from '../lib/face-sample'
import { createFilterLayer } from '../lib/filter-layer'
import { createFrameScheduler } from '../lib/frame-scheduler'
import { createJokeTimer } from '../lib/joke-timer'
import { encodeCapture } from '../lib/live-capture'
import { createLiveMask, type AlphaMask } from '../lib/live-mask'
import { createLiveMeters, initialLiveStats, type LiveStats } from '../lib/live-meters'
import { createNeutralCalibration } from '../lib/neutral-calibration'
import { paintOverlayCanvas } from '../lib/overlay-painter'
import { createShutter } from '../lib/shutter'
import { createFailClosedGate } from '../../../shared/mask/fail-closed'
import type { DrawnFrame } from './useVirtualCamera'
import { createSmileTrigger, smileTriggerConfigFromSettings, type SmileFaceSample, type SmileTriggerUpdate } from '../lib/smile-trigger'

/** Long side of the frame sent to the engine (detector and segmenter inputs are smaller still). */
const ANALYSIS_LONG_SIDE = 384
/**
 * Longest side of the composited view; bigger camera frames are scaled down (the compositor
 * runs on the CPU when there is no GPU). Captures use the full resolution.
 */
const DISPLAY_LONG_SIDE = 640
const FLASH_MS = 180
/**
 * A hidden or minimised window may get no animation frames at all (Electron on some platforms,
 * even with backgroundThrottling off); while the virtual camera takes frames, a timer steps the
 * loop at the camera's rate instead, so the call keeps its frame rate.
 */
const BACKGROUND_STEP_MS = 33

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

export function useLivePipeline(
  api: SmilecamApi,
  elements: LiveElements,
  settings: Settings,
  onCapture: (jpeg: Uint8Array) => Promise<void>,
  /** Gets every drawn frame with the fail-closed decision for it (the virtual camera). */
  feed?: { frameDrawn(frame: DrawnFrame): void; wantsFrames(): boolean }
) {
  const stats = reactive<LiveStats>(initialLiveStats())
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
  /** The joke on screen while auto-capture waits for a smile, or null. */
  const joke = shallowRef<Joke | null>(null)

  const scheduler = createFrameScheduler<SentFrame>()
  const display = createDisplayPolicy()
  const meters = createLiveMeters()
  const calibration = createNeutralCalibration()
  const sampler = createFaceSampler()
  const smileTrigger = createSmileTrigger(smileTriggerConfigFromSettings(settings.capture))
  const shutter = createShutter()
  const chooseCompositor = createCompositorChooser()
  const frameReader = createAnalysisFrameReader()
  const liveMask = createLiveMask()
  const filterLayer = createFilterLayer()
  const jokeTimer = createJokeTimer(createJokeDeck(JOKES))
  /** What may leave the app for each frame while blur is on: masked, or blurred all over. */
  const privacy = createFailClosedGate<AlphaMask>(settings.live.blurMode !== 'off')
  let compositor: BlurCompositor | null = null
  /** The feathered mask on screen, reused to blur full-resolution captures. */
  let shownMask: AlphaMask | null = null
  let frameRequest = 0
  let lastStepMs = Number.NEGATIVE_INFINITY
  let backgroundTimer: ReturnType<typeof setInterval> | null = null
  let running = false

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
      display.discardPending()
      privacy.setBlur(settings.live.blurMode !== 'off')
      privacy.reset()
    }
  )

  function blurActive(): boolean {
    return settings.live.blurMode !== 'off' && compositor !== null
  }

  function displayMode(now: number): DisplayMode {
    return displayModeFor({ blurActive: blurActive(), engineFps: meters.engineFps(now), cameraFps: meters.cameraFps(now) })
  }

  function displaySize(video: HTMLVideoElement): { width: number; height: number } {
    return analysisSize(video.videoWidth, video.videoHeight, DISPLAY_LONG_SIDE)
  }

  function ensureCompositor(): void {
    if (compositor || compositorError.value || !elements.canvas.value) return
    try {
      compositor = chooseCompositor(elements.canvas.value)
    } catch (error) {
      compositorError.value = error instanceof Error ? error.message : String(error)
    }
  }

  function sendFrame(video: HTMLVideoElement, now: number): void {
    const size = analysisSize(video.videoWidth, video.videoHeight, ANALYSIS_LONG_SIDE)
    const data = frameReader.read(video, size.width, size.height)
    if (!data) return
    const slot = display.slotForSend(displayMode(now))
    if (slot !== null) {
      // Straight from the <video>: an intermediate canvas copy costs a full-frame draw more.
      const shown = displaySize(video)
      compositor!.uploadFrame(slot, video, shown.width, shown.height)
    }
    const sent: SentFrame = { slot, timestampMs: 0, sentAtMs: now }
    const timestampMs = scheduler.begin(now, sent)
    sent.timestampMs = timestampMs
    meters.frameSent(scheduler.sent, size.width, size.height)
    api.vision
      .detectForVideo({
        width: size.width,
        height: size.height,
        data,
        timestampMs,
        personMask: settings.live.blurMode === 'person',
        expression: settings.live.showEmotion || settings.live.showSmileMeter || settings.capture.autoCapture
      })
      .then(onResult, (error: unknown) => {
        scheduler.fail(performance.now())
        privacy.engineFailed()
        engineError.value = SmilecamError.from(error, 'ENGINE_FAILED').message
      })
  }

  /** Smooths the result's mask onto the compositor; true when a new mask is shown. */
  function updateMask(result: VisionResult, timestampMs: number): boolean {
    const mode = settings.live.blurMode
    maskMissing.value = mode === 'person' && !result.personMask
    shownMask = compositor ? liveMask.update(result, mode, timestampMs) : null
    compositor?.setMask(shownMask?.values ?? null, shownMask?.width ?? 0, shownMask?.height ?? 0)
    if (shownMask) privacy.maskArrived(shownMask, timestampMs)
    return shownMask !== null
  }

  function onResult(result: VisionResult | null): void {
    const frame = scheduler.finish(result?.timestampMs)
    if (!result || !frame || !running) return // dropped by the engine, or stale
    const now = performance.now()
    engineError.value = null
    meters.engineResult(now, frame.sentAtMs, result.timings)
    faces.value = result.faces

    const maskChanged = updateMask(result, frame.timestampMs)
    display.resultArrived(frame.slot, displayMode(now), maskChanged)
    meters.setDisplayMode(displayMode(now))
    const overlay = elements.overlay.value
    const video = elements.video.value
    if (overlay && video) paintOverlayCanvas(overlay, displaySize(video), result, settings.live)
    if (video) compositor?.setOverlay(filterLayer.paint(settings.live.filter, result, displaySize(video)))

    const sample = sampler.sample(result)
    mainSample.value = sample
    if (sample) calibration.sample(sample.mar)
    const update = smileTrigger.update({ tMs: frame.timestampMs, face: sample })
    trigger.value = update
    joke.value = jokeTimer.update({
      tMs: frame.timestampMs,
      enabled: settings.capture.autoCapture && settings.capture.jokes,
      faceInView: sample !== null,
      smiling: update.phase !== 'waiting'
    })
    if (update.fired && settings.capture.autoCapture) void capture()
  }

  function draw(video: HTMLVideoElement, now: number): void {
    if (!compositor) return
    const plan = display.nextDraw(displayMode(now))
    const strength = settings.live.blurStrength
    if (plan.kind === 'none') return
    if (plan.kind === 'aligned') {
      compositor.render(plan.slot, { blur: true, strength, refreshBackground: true })
    } else {
      const shown = displaySize(video)
      // Live display re-blurs the background once per engine result, not once per camera frame.
      compositor.renderFrame(plan.slot, video, shown.width, shown.height, {
        blur: blurActive(),
        strength,
        refreshBackground: plan.refreshBackground
      })
    }
    meters.displayed(now)
    const canvas = elements.canvas.value
    if (feed && canvas) {
      const shown = displaySize(video)
      feed.frameDrawn({ canvas, video, ...shown, decision: privacy.decide(Math.round(now)), canvasHasMask: blurActive() && shownMask !== null })
    }
  }

  function tick(now: number): void {
    if (!running) return
    frameRequest = requestAnimationFrame(tick)
    step(now)
  }

  /** Animation frames stopped coming (hidden window) while the virtual camera needs frames. */
  function backgroundStep(): void {
    const now = performance.now()
    if (!running || !feed?.wantsFrames() || now - lastStepMs < 2 * BACKGROUND_STEP_MS) return
    scheduler.frameDecoded() // video frame callbacks stall with the animation frames
    step(now)
  }

  function step(now: number): void {
    lastStepMs = now
    const video = elements.video.value
    if (!video || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) return
    ensureCompositor()
    const step = scheduler.tick(now)
    if (step.newCameraFrame) {
      meters.cameraFrame(now)
      display.cameraFrame()
    }
    if (step.send) sendFrame(video, now)
    draw(video, now)
    const hud = meters.hudUpdate(now, compositor !== null)
    if (hud) Object.assign(stats, hud)
    const calibrated = calibration.tick(now)
    if (calibrated) finishCalibration(calibrated.baseline)
  }

  function calibrate(): void {
    calibration.start(performance.now())
    calibrating.value = true
    calibrationFailed.value = false
  }
  function finishCalibration(baseline: number | null): void {
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

  async function capture(): Promise<void> {
    const video = elements.video.value
    if (!video || video.videoWidth === 0) return
    if (settings.capture.sound) shutter.play()
    if (settings.capture.flash) {
      flashing.value = true
      setTimeout(() => (flashing.value = false), FLASH_MS)
    }
    try {
      const blur =
        settings.capture.saveBlurred && blurActive() && shownMask ? { mask: shownMask, strength: settings.live.blurStrength } : null
      const filter = settings.live.filter !== 'none' ? filterLayer.current() : null
      await onCapture(await encodeCapture(video, blur, { createCompositor: chooseCompositor }, filter))
    } catch (error) {
      engineError.value = `The photo could not be saved: ${SmilecamError.from(error).message}`
    }
  }

  function countVideoFrames(video: HTMLVideoElement | null): void {
    const counts = video !== null && 'requestVideoFrameCallback' in video
    scheduler.countDecodedFrames(counts)
    if (!counts || !video) return
    const onVideoFrame = (): void => {
      scheduler.frameDecoded()
      if (running) video.requestVideoFrameCallback(onVideoFrame)
    }
    video.requestVideoFrameCallback(onVideoFrame)
  }

  function start(): void {
    if (running) return
    running = true
    countVideoFrames(elements.video.value)
    frameRequest = requestAnimationFrame(tick)
    if (feed) backgroundTimer = setInterval(backgroundStep, BACKGROUND_STEP_MS)
  }

  function stop(): void {
    running = false
    cancelAnimationFrame(frameRequest)
    if (backgroundTimer) clearInterval(backgroundTimer)
    backgroundTimer = null
    scheduler.abort()
    sampler.reset()
    smileTrigger.reset()
    liveMask.reset()
    jokeTimer.reset()
    joke.value = null
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
    joke,
    start,
    stop,
    capture,
    calibrate,
    clearCalibration
  }
}
