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
 *   lib/capture-policy.ts    whether a smile is saved, and its best frame
 */
import { computed, onBeforeUnmount, reactive, ref, shallowRef, watch, type Ref } from 'vue'
import type { SmilecamApi } from '../../../shared/api'
import { SmilecamError } from '../../../shared/errors'
import { createJokeDeck } from '../../../shared/joke-deck'
import { JOKES, type Joke } from '../../../shared/jokes'
import type { Settings } from '../../../shared/settings'
import type { FaceResult, VisionResult } from '../../../shared/vision'
import { createAnalysisFrameReader } from '../lib/analysis-frame'
import { captureStatusText, createCapturePolicy, DEFAULT_BEST_SHOT_WINDOW_MS, laplacianSharpness, shotScore } from '../lib/capture-policy'
import type { BlurCompositor } from '../lib/blur-compositor'
import { analysisSize } from '../lib/blur-math'
import { createCompositorChooser } from '../lib/compositor-choice'
import { createDisplayPolicy, displayModeFor, type DisplayMode } from '../lib/display-policy'
import { createFaceSampler } from '../lib/face-sample'
import { createFilterLayer } from '../lib/filter-layer'
import { createFrameScheduler } from '../lib/frame-scheduler'
import { createJokeTimer } from '../lib/joke-timer'
import { encodeCapture, type CaptureBlur, type CaptureFrame } from '../lib/live-capture'
import { createLiveMask, type AlphaMask } from '../lib/live-mask'
import { createLiveMeters, initialLiveStats, type LiveStats } from '../lib/live-meters'
import { createNeutralCalibration, type CalibrationState } from '../lib/neutral-calibration'
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
  /** Full-resolution snapshot of this frame while a smile is being chosen (best shot), with its sharpness. */
  shot: { bitmap: Promise<ImageBitmap>; sharpness: number } | null
}

/** A best-shot candidate: the snapshot and the mask shown with it (so the saved photo is blurred as seen). */
interface ShotFrame {
  bitmap: Promise<ImageBitmap>
  mask: AlphaMask | null
}

function releaseShot(shot: ShotFrame): void {
  void shot.bitmap.then((bitmap) => bitmap.close(), () => undefined)
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
  const calibrationState = shallowRef<CalibrationState>({ phase: 'idle' })
  const calibrating = computed(() => calibrationState.value.phase === 'countdown' || calibrationState.value.phase === 'sampling')
  const neutralMar = ref<number | null>(null)
  /** The joke on screen while auto-capture waits for a smile, or null. */
  const joke = shallowRef<Joke | null>(null)
  /** What the last smile or photo led to, in plain words (null: nothing to report yet). */
  const captureStatus = ref<string | null>(null)

  const scheduler = createFrameScheduler<SentFrame>()
  const display = createDisplayPolicy()
  const meters = createLiveMeters()
  const calibration = createNeutralCalibration()
  const sampler = createFaceSampler()
  const smileTrigger = createSmileTrigger(smileTriggerConfigFromSettings(settings.capture))
  const capturePolicy = createCapturePolicy<ShotFrame>({ ...capturePolicyConfig(), bestShotWindowMs: DEFAULT_BEST_SHOT_WINDOW_MS })
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

  function capturePolicyConfig(): { autoCapture: boolean; sessionLimit: number } {
    return { autoCapture: settings.capture.autoCapture, sessionLimit: settings.capture.sessionLimit }
  }
  watch(
    () => ({ ...settings.capture }),
    (capture) => {
      smileTrigger.setConfig(smileTriggerConfigFromSettings(capture))
      capturePolicy.setConfig(capturePolicyConfig())
    },
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
    const sent: SentFrame = { slot, timestampMs: 0, sentAtMs: now, shot: wantsShot() ? snapshot(video, data, size.width, size.height) : null }
    const timestampMs = scheduler.begin(now, sent)
    sent.timestampMs = timestampMs
    meters.frameSent(scheduler.sent, size.width, size.height)
    inNextTask(() => requestAnalysis(data, size, timestampMs))
  }

  function requestAnalysis(data: Uint8Array, size: { width: number; height: number }, timestampMs: number): void {
    api.vision
      .detectForVideo({
        width: size.width,
        height: size.height,
        data,
        timestampMs,
        personMask: settings.live.blurMode === 'person',
        expression: settings.live.showEmotion || settings.live.showSmileMeter || settings.capture.autoCapture || calibrating.value
      })
      .then(onResult, (error: unknown) => {
        scheduler.fail(performance.now())
        privacy.engineFailed()
        engineError.value = SmilecamError.from(error, 'ENGINE_FAILED').message
      })
  }

  /** Work for the next tasks: a message to ourselves runs before timers and the next animation frame. */
  const taskChannel = new MessageChannel()
  const nextTasks: (() => void)[] = []
  taskChannel.port1.onmessage = () => {
    const work = nextTasks.shift()
    if (work && running) work()
  }
  function inNextTask(work: () => void): void {
    nextTasks.push(work)
    taskChannel.port2.postMessage(null)
  }
  /**
   * The frame goes out in tasks of its own, after the animation frame that draws the view: one
   * reads it back, the next hands it to the engine (in browser mode: copying it into a request body).
   */
  function sendSoon(video: HTMLVideoElement, now: number): void {
    inNextTask(() => sendFrame(video, now))
  }

  /**
   * From the analysis frame, already decoded (one frame in flight: the answer's own frame, which
   * the mask fits best); decoding the <video> again would cost a full-frame conversion.
   */
  function prepareBackground(): void {
    const video = elements.video.value
    const frame = frameReader.lastFrame()
    if (!video || !frame || !compositor?.prepareBackground) return
    const shown = displaySize(video)
    compositor.prepareBackground(frame, shown.width, shown.height, settings.live.blurStrength)
  }

  /** Best-shot snapshots are taken only while a smile that may be saved is under way. */
  function wantsShot(): boolean {
    if (!settings.capture.autoCapture || capturePolicy.savedCount >= settings.capture.sessionLimit) return false
    const phase = trigger.value?.phase
    return phase === 'holding' || phase === 'countdown' || capturePolicy.status.kind === 'choosing'
  }

  /** Full-resolution snapshot of the current frame, and the sharpness of the face in the analysis frame. */
  function snapshot(video: HTMLVideoElement, data: Uint8Array, width: number, height: number): SentFrame['shot'] {
    const face = faces.value[0]
    return { bitmap: createImageBitmap(video), sharpness: laplacianSharpness(data, width, height, face?.box) }
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
    // Live display: the new mask's blurred background is made in a task of its own rather than in
    // the next animation frame with the drawing (aligned display blurs its kept frame there).
    if (maskChanged && blurActive() && displayMode(now) === 'live' && compositor?.prepareBackground) inNextTask(prepareBackground)
    meters.setDisplayMode(displayMode(now))
    const overlay = elements.overlay.value
    const video = elements.video.value
    if (overlay && video) paintOverlayCanvas(overlay, displaySize(video), result, settings.live)
    if (video) compositor?.setOverlay(filterLayer.paint(settings.live.filter, result, displaySize(video)))

    const sample = sampler.sample(result)
    mainSample.value = sample
    if (sample) calibration.sample(sample)
    const update = smileTrigger.update({ tMs: frame.timestampMs, face: sample })
    trigger.value = update
    joke.value = jokeTimer.update({
      tMs: frame.timestampMs,
      enabled: settings.capture.autoCapture && settings.capture.jokes,
      faceInView: sample !== null,
      smiling: update.phase !== 'waiting'
    })

    const shot: ShotFrame | null = frame.shot ? { bitmap: frame.shot.bitmap, mask: shownMask } : null
    const candidate = shot && sample && update.blockedBy === null ? { frame: shot, score: shotScore(sample, frame.shot!.sharpness) } : null
    if (shot && !candidate) releaseShot(shot)
    const step = capturePolicy.step(frame.timestampMs, update, candidate)
    step.release.forEach(releaseShot)
    if (step.save) void saveBestShot(step.save)
    captureStatus.value = captureStatusText(capturePolicy.status) ?? captureStatus.value
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
    if (step.send) sendSoon(video, now)
    draw(video, now)
    const hud = meters.hudUpdate(now, compositor !== null)
    if (hud) Object.assign(stats, hud)
    if (calibration.active) tickCalibration(now)
  }

  function tickCalibration(now: number): void {
    const state = calibration.tick(now)
    calibrationState.value = state
    if (state.phase === 'done') {
      neutralMar.value = state.baseline
      smileTrigger.setConfig({ neutralMar: state.baseline })
    }
  }
  function calibrate(): void {
    calibration.start(performance.now())
    calibrationState.value = calibration.state
  }
  function clearCalibration(): void {
    calibration.cancel()
    calibrationState.value = calibration.state
    neutralMar.value = null
    smileTrigger.setConfig({ neutralMar: null })
  }

  /**
   * The blur a photo gets: the one on screen. With blur on but no mask shown yet the photo is
   * refused rather than saved sharp (no sharp background leaves the app while blur is on).
   */
  function blurAsSeen(mask: AlphaMask | null): CaptureBlur | null {
    if (!blurActive()) return null
    if (!mask) throw new SmilecamError('INVALID_INPUT', 'the background blur is not ready yet. Try again in a moment.')
    return { mask, strength: settings.live.blurStrength }
  }

  function shutterFeedback(): void {
    if (settings.capture.sound) shutter.play()
    if (settings.capture.flash) {
      flashing.value = true
      setTimeout(() => (flashing.value = false), FLASH_MS)
    }
  }

  async function saveFrame(frame: CaptureFrame, mask: AlphaMask | null): Promise<void> {
    shutterFeedback()
    const filter = settings.live.filter !== 'none' ? filterLayer.current() : null
    await onCapture(await encodeCapture(frame, blurAsSeen(mask), { createCompositor: chooseCompositor }, filter))
  }

  /** The photo button and its shortcut: the frame on screen now. */
  async function capture(): Promise<void> {
    const video = elements.video.value
    if (!video || video.videoWidth === 0) return
    try {
      await saveFrame(video, shownMask)
      captureStatus.value = 'Photo saved.'
    } catch (error) {
      captureStatus.value = `Not saved: ${SmilecamError.from(error).message}`
    }
  }

  /** The best frame of an automatic smile capture. */
  async function saveBestShot(shot: ShotFrame): Promise<void> {
    try {
      const bitmap = await shot.bitmap
      try {
        await saveFrame(bitmap, shot.mask)
      } finally {
        bitmap.close()
      }
      capturePolicy.saveFinished({ ok: true })
    } catch (error) {
      capturePolicy.saveFinished({ ok: false, message: SmilecamError.from(error).message })
    }
    captureStatus.value = captureStatusText(capturePolicy.status)
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
    capturePolicy.reset().forEach(releaseShot)
    liveMask.reset()
    jokeTimer.reset()
    joke.value = null
  }

  onBeforeUnmount(() => {
    stop()
    taskChannel.port1.close()
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
    calibrationState,
    neutralMar,
    joke,
    captureStatus,
    start,
    stop,
    capture,
    calibrate,
    clearCalibration
  }
}
