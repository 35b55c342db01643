/**
 * The privacy rule of the blurred feed as a small state machine: while blur is on, no frame with
 * a sharp background goes out. A frame is composited with the newest mask while it is recent
 * enough (the engine lagging a few frames behind is normal); with no mask yet, the engine down,
 * or a mask too old to trust, the frame goes out fully blurred. The raw frame only with blur off.
 */

export type BlurDecision<M> =
  | { kind: 'raw' }
  | { kind: 'mask'; mask: M; ageMs: number }
  | { kind: 'full-blur'; reason: 'no-mask' | 'engine-down' | 'mask-expired' }

export interface FailClosedOptions {
  /** A mask older than this (frame time minus mask time) no longer covers a moving person. */
  maxMaskAgeMs: number
}

export const DEFAULT_FAIL_CLOSED: FailClosedOptions = { maxMaskAgeMs: 1000 }

export interface FailClosedGate<M> {
  /** Blur on or off; turning it on starts without a mask. */
  setBlur(on: boolean): void
  /** A fresh mask for the frame at `timestampMs`; also means the engine works again. */
  maskArrived(mask: M, timestampMs: number): void
  /** The engine failed, timed out or stopped: fully blurred frames until its next mask. */
  engineFailed(): void
  /** What to send for the frame at `timestampMs`. */
  decide(timestampMs: number): BlurDecision<M>
  /** Forget the mask (blur mode or camera changed). */
  reset(): void
}

export function createFailClosedGate<M>(blurOn: boolean, options: FailClosedOptions = DEFAULT_FAIL_CLOSED): FailClosedGate<M> {
  let blur = blurOn
  let last: { mask: M; timestampMs: number } | null = null
  let engineDown = false
  return {
    setBlur(on) {
      if (on && !blur) last = null
      blur = on
    },
    maskArrived(mask, timestampMs) {
      engineDown = false
      if (!last || timestampMs >= last.timestampMs) last = { mask, timestampMs }
    },
    engineFailed() {
      engineDown = true
    },
    decide(timestampMs) {
      if (!blur) return { kind: 'raw' }
      if (engineDown) return { kind: 'full-blur', reason: 'engine-down' }
      if (!last) return { kind: 'full-blur', reason: 'no-mask' }
      const ageMs = Math.max(0, timestampMs - last.timestampMs)
      if (ageMs > options.maxMaskAgeMs) return { kind: 'full-blur', reason: 'mask-expired' }
      return { kind: 'mask', mask: last.mask, ageMs }
    },
    reset() {
      last = null
    }
  }
}
