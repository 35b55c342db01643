/**
 * CapturePolicy: what happens after the SmileTrigger sees a genuine smile. A pure state machine
 * over engine results; frames are opaque handles (full-resolution snapshots) it keeps or hands
 * back for release, so it never touches the DOM.
 *
 * - Auto-capture off: a smile is reported ("smile seen, not saved"), nothing is saved.
 * - Best shot: while the smile is held, and for `bestShotWindowMs` after the trigger fires, each
 *   frame that meets the smile conditions is a candidate; the one with the highest shot score
 *   (shotScore: genuine-smile score, eyes open, sharpness) is saved, not the first.
 * - A session limit: after `sessionLimit` automatic photos, auto-capture pauses until reset.
 * - The status says what really happened: choosing, saving, saved (n of limit), not saved (why).
 */

export interface CapturePolicyConfig {
  autoCapture: boolean
  /** Most automatic photos per session (one visit of the live page). */
  sessionLimit: number
  /** After the trigger fires, frames this much later may still replace the best one. */
  bestShotWindowMs: number
}

export const DEFAULT_BEST_SHOT_WINDOW_MS = 600

export interface ShotCandidate<F> {
  frame: F
  score: number
}

export type CaptureStatus =
  | { kind: 'idle' }
  | { kind: 'choosing' }
  | { kind: 'saving' }
  | { kind: 'saved'; count: number; limit: number }
  | { kind: 'smile-not-saved'; reason: 'auto-capture-off' | 'limit-reached' }
  | { kind: 'failed'; message: string }

export interface CaptureStep<F> {
  /** Save this frame now (the policy forgets it: the caller owns and releases it). */
  save: F | null
  /** Frames the policy no longer needs; the caller releases them. */
  release: F[]
}

/** The trigger's view of one result: the phase, and whether it fired on this result. */
export interface TriggerView {
  phase: 'waiting' | 'holding' | 'countdown' | 'cooldown' | 'rearm'
  fired: boolean
}

export interface CapturePolicy<F> {
  /** One engine result. `candidate` is given when this result's face meets the smile conditions. */
  step(tMs: number, trigger: TriggerView, candidate: ShotCandidate<F> | null): CaptureStep<F>
  /** The saved frame was written (true) or failed (message). */
  saveFinished(outcome: { ok: true } | { ok: false; message: string }): void
  setConfig(patch: Partial<CapturePolicyConfig>): void
  /** Gives back the frame held, if any (stop, page leave). */
  reset(): F[]
  readonly status: CaptureStatus
  /** Automatic photos saved this session. */
  readonly savedCount: number
}

/** EAR of wide-open eyes; above it "eyes open" counts fully. */
const EAR_OPEN = 0.25
/** Sharpness (mean squared Laplacian, 8-bit luma) that scores one half. */
const SHARPNESS_HALF = 40

/**
 * Shot score of a frame, 0..1: the genuine-smile score, times how open the eyes are, times how
 * sharp the face is (a saturating curve, so sharpness only breaks near-ties between smiles).
 */
export function shotScore(face: { smile?: number; ear: number }, sharpness: number): number {
  const smile = Math.min(1, Math.max(0, face.smile ?? 0.5))
  const eyes = Math.min(1, Math.max(0, face.ear / EAR_OPEN))
  const sharp = sharpness > 0 ? sharpness / (sharpness + SHARPNESS_HALF) : 0
  return smile * eyes * (0.5 + 0.5 * sharp)
}

/**
 * Sharpness of a region of an RGBA image: the mean squared 4-neighbour Laplacian of the luma.
 * Motion blur and defocus flatten edges and lower it.
 */
export function laplacianSharpness(
  data: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  region: { x: number; y: number; width: number; height: number } = { x: 0, y: 0, width, height }
): number {
  const x0 = Math.max(1, Math.floor(region.x))
  const y0 = Math.max(1, Math.floor(region.y))
  const x1 = Math.min(width - 1, Math.ceil(region.x + region.width))
  const y1 = Math.min(height - 1, Math.ceil(region.y + region.height))
  const luma = (x: number, y: number): number => {
    const i = (y * width + x) * 4
    return 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]
  }
  let sum = 0
  let count = 0
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const laplacian = luma(x - 1, y) + luma(x + 1, y) + luma(x, y - 1) + luma(x, y + 1) - 4 * luma(x, y)
      sum += laplacian * laplacian
      count++
    }
  }
  return count > 0 ? sum / count : 0
}

export function createCapturePolicy<F>(initial: CapturePolicyConfig): CapturePolicy<F> {
  let config = { ...initial }
  let best: ShotCandidate<F> | null = null
  /** End of the best-shot window after a fire; null while no smile is being chosen. */
  let deadline: number | null = null
  let status: CaptureStatus = { kind: 'idle' }
  let savedCount = 0

  const canSave = (): boolean => config.autoCapture && savedCount < config.sessionLimit

  function offer(candidate: ShotCandidate<F>, release: F[]): void {
    if (!best || candidate.score > best.score) {
      if (best) release.push(best.frame)
      best = candidate
    } else {
      release.push(candidate.frame)
    }
  }

  function drop(release: F[]): void {
    if (best) release.push(best.frame)
    best = null
  }

  return {
    step(tMs, trigger, candidate) {
      const release: F[] = []
      const choosing = deadline !== null
      const smileUnderway = trigger.phase === 'holding' || trigger.phase === 'countdown' || trigger.fired || choosing
      if (candidate) {
        if (canSave() && smileUnderway) offer(candidate, release)
        else release.push(candidate.frame)
      }
      if (trigger.fired) {
        if (!config.autoCapture) {
          status = { kind: 'smile-not-saved', reason: 'auto-capture-off' }
          drop(release)
        } else if (savedCount >= config.sessionLimit) {
          status = { kind: 'smile-not-saved', reason: 'limit-reached' }
          drop(release)
        } else {
          deadline = tMs + config.bestShotWindowMs
          status = { kind: 'choosing' }
        }
      } else if (!choosing && trigger.phase === 'waiting' && best) {
        // The hold broke off before the trigger fired: that smile is not taken.
        drop(release)
      }
      let save: F | null = null
      if (deadline !== null && tMs >= deadline) {
        deadline = null
        if (best) {
          save = best.frame
          best = null
          status = { kind: 'saving' }
        } else {
          status = { kind: 'failed', message: 'No sharp frame of that smile was kept.' }
        }
      }
      return { save, release }
    },

    saveFinished(outcome) {
      if (outcome.ok) {
        savedCount++
        status = { kind: 'saved', count: savedCount, limit: config.sessionLimit }
      } else {
        status = { kind: 'failed', message: outcome.message }
      }
    },

    setConfig(patch) {
      config = { ...config, ...patch }
    },

    reset() {
      const release: F[] = []
      drop(release)
      deadline = null
      status = { kind: 'idle' }
      savedCount = 0
      return release
    },

    get status() {
      return status
    },
    get savedCount() {
      return savedCount
    }
  }
}

/** What the last smile led to, in plain words; null when there is nothing to report. */
export function captureStatusText(status: CaptureStatus): string | null {
  switch (status.kind) {
    case 'choosing':
      return 'Smile! Picking the best frame…'
    case 'saving':
      return 'Saving the photo…'
    case 'saved':
      return status.count >= status.limit
        ? `Saved photo ${status.count} of ${status.limit}. Auto-capture is paused for this session.`
        : `Saved photo ${status.count} of ${status.limit} this session.`
    case 'smile-not-saved':
      return status.reason === 'auto-capture-off'
        ? 'Smile seen, nothing saved: auto-capture is off.'
        : 'Smile seen, nothing saved: the session limit is reached.'
    case 'failed':
      return `Not saved: ${status.message}`
    case 'idle':
      return null
  }
}
