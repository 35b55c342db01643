/**
 * The live loop's measurements for the HUD and the display policy: camera, engine and display
 * rates, the smoothed round trip and the engine's timings. The HUD gets a copy at most every
 * `refreshMs` (re-rendering it on every frame cost style, layout and paint each frame).
 */
import type { VisionTimings } from '../../../shared/vision'
import type { DisplayMode } from './display-policy'
import { createRateMeter, smoothDuration } from './frame-gate'

export interface LiveStats {
  /** 'aligned': frames shown with their own engine result; 'live': newest frame, newest mask. */
  displayMode: DisplayMode
  displayFps: number
  engineFps: number
  roundTripMs: number | null
  timings: VisionTimings | null
  analysisWidth: number
  analysisHeight: number
  sent: number
}

export const HUD_REFRESH_MS = 250

export interface LiveMeters {
  cameraFrame(nowMs: number): void
  frameSent(sent: number, width: number, height: number): void
  engineResult(nowMs: number, sentAtMs: number, timings: VisionTimings): void
  displayed(nowMs: number): void
  setDisplayMode(mode: DisplayMode): void
  cameraFps(nowMs: number): number
  /** Engine results per second, null before the first result. */
  engineFps(nowMs: number): number | null
  /**
   * Updates the display rate (the engine's rate when nothing is composited) and returns a copy
   * of the stats when the HUD is due for one, else null.
   */
  hudUpdate(nowMs: number, composited: boolean): LiveStats | null
}

export function initialLiveStats(): LiveStats {
  return {
    displayMode: 'aligned',
    displayFps: 0,
    engineFps: 0,
    roundTripMs: null,
    timings: null,
    analysisWidth: 0,
    analysisHeight: 0,
    sent: 0
  }
}

export function createLiveMeters(refreshMs = HUD_REFRESH_MS): LiveMeters {
  const measured = initialLiveStats()
  const camera = createRateMeter()
  const engine = createRateMeter()
  const display = createRateMeter()
  let shownAtMs = Number.NEGATIVE_INFINITY
  return {
    cameraFrame(nowMs) {
      camera.tick(nowMs)
    },
    frameSent(sent, width, height) {
      measured.sent = sent
      measured.analysisWidth = width
      measured.analysisHeight = height
    },
    engineResult(nowMs, sentAtMs, timings) {
      engine.tick(nowMs)
      measured.engineFps = engine.rate(nowMs)
      measured.roundTripMs = smoothDuration(measured.roundTripMs, nowMs - sentAtMs)
      measured.timings = timings
    },
    displayed(nowMs) {
      display.tick(nowMs)
    },
    setDisplayMode(mode) {
      measured.displayMode = mode
    },
    cameraFps(nowMs) {
      return camera.rate(nowMs)
    },
    engineFps(nowMs) {
      return measured.roundTripMs === null ? null : engine.rate(nowMs)
    },
    hudUpdate(nowMs, composited) {
      measured.displayFps = composited ? display.rate(nowMs) : engine.rate(nowMs)
      if (nowMs - shownAtMs < refreshMs) return null
      shownAtMs = nowMs
      return { ...measured }
    }
  }
}
