/**
 * DisplayPolicy: a pure state machine for what the live view draws.
 *
 * 'aligned': with blur on and an engine that keeps up, the frame shown is the one the newest
 * engine result was computed from (kept in a compositor slot), so mask and overlays match the
 * pixels, at the cost of one round trip of delay. One frame is drawn per result.
 * 'live': when the engine analyses fewer than ALIGNED_MIN_SHARE of the camera's frames,
 * waiting would drop the preview to the engine's rate, so every camera frame is drawn as it is,
 * with the newest (smoothed) mask: smooth video beats exact edges. Blur off is always live.
 */

export type DisplayMode = 'aligned' | 'live'

/** Aligned display shows one frame per engine result: only while the engine sees (nearly) every camera frame. */
export const ALIGNED_MIN_SHARE = 0.95

export interface DisplayInputs {
  blurActive: boolean
  /** Engine results per second; null before the first result (nothing to compare yet). */
  engineFps: number | null
  cameraFps: number
}

export function displayModeFor({ blurActive, engineFps, cameraFps }: DisplayInputs): DisplayMode {
  if (!blurActive) return 'live'
  if (engineFps === null) return 'aligned'
  return engineFps >= ALIGNED_MIN_SHARE * cameraFps ? 'aligned' : 'live'
}

export type DrawPlan =
  | { kind: 'none' }
  /** Render the kept frame in `slot` with the mask of its own result. */
  | { kind: 'aligned'; slot: number }
  /** Draw the current camera frame through `slot`; re-blur the background only when the mask changed. */
  | { kind: 'live'; slot: number; refreshBackground: boolean }

export interface DisplayPolicy {
  /** Slot to keep a frame that is about to be sent in, or null when it need not be kept (live). */
  slotForSend(mode: DisplayMode): number | null
  /** The result for a frame kept in `slot` (null: not kept) arrived; `maskChanged`: a new mask is on the compositor. */
  resultArrived(slot: number | null, mode: DisplayMode, maskChanged: boolean): void
  /** A camera frame arrived. */
  cameraFrame(): void
  /** What to draw on this animation frame; consumes what it draws. */
  nextDraw(mode: DisplayMode): DrawPlan
  /** The mask source changed: a kept frame waiting for display no longer matches it. */
  discardPending(): void
}

export function createDisplayPolicy(): DisplayPolicy {
  let shownSlot = 0
  let alignedReady = false
  let liveFrameUndrawn = false
  let maskChanged = false
  return {
    slotForSend(mode) {
      return mode === 'aligned' ? 1 - shownSlot : null
    },
    resultArrived(slot, mode, changed) {
      maskChanged = changed
      if (slot !== null && mode === 'aligned') {
        shownSlot = slot
        alignedReady = true
      }
    },
    cameraFrame() {
      liveFrameUndrawn = true
    },
    nextDraw(mode) {
      if (mode === 'aligned') {
        if (!alignedReady) return { kind: 'none' }
        alignedReady = false
        return { kind: 'aligned', slot: shownSlot }
      }
      if (!liveFrameUndrawn) return { kind: 'none' }
      liveFrameUndrawn = false
      const plan: DrawPlan = { kind: 'live', slot: shownSlot, refreshBackground: maskChanged }
      maskChanged = false
      return plan
    },
    discardPending() {
      alignedReady = false
    }
  }
}
