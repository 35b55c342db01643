/**
 * "Latest frame wins" bookkeeping for the live loop: at most one engine request in
 * flight; frames offered while busy are dropped (counted), and each result is matched
 * to the frame it was computed from by timestamp, so masks and overlays stay aligned.
 */

export interface FrameGate<F> {
  /** True when a new frame may be sent now. */
  readonly idle: boolean
  /** Registers `frame` as sent; returns false (and counts a drop) when a request is already in flight. */
  begin(timestampMs: number, frame: F): boolean
  /** Completes the in-flight request; returns the frame it belongs to, or null when it does not match. */
  finish(timestampMs: number | undefined): F | null
  /** Abandons the in-flight request (error or page leaving). */
  abort(): void
  readonly dropped: number
  readonly sent: number
}

export function createFrameGate<F>(): FrameGate<F> {
  let inFlight: { timestampMs: number; frame: F } | null = null
  let dropped = 0
  let sent = 0
  return {
    get idle() {
      return inFlight === null
    },
    begin(timestampMs, frame) {
      if (inFlight) {
        dropped++
        return false
      }
      inFlight = { timestampMs, frame }
      sent++
      return true
    },
    finish(timestampMs) {
      const current = inFlight
      inFlight = null
      if (!current) return null
      // An engine that does not echo the timestamp still answers the only request in flight.
      if (timestampMs !== undefined && timestampMs !== current.timestampMs) return null
      return current.frame
    },
    abort() {
      inFlight = null
    },
    get dropped() {
      return dropped
    },
    get sent() {
      return sent
    }
  }
}

/** Events per second: how many ticks fell in the last `windowMs` (decays to 0 when ticks stop). */
export interface RateMeter {
  tick(tMs: number): void
  rate(nowMs: number): number
}

export function createRateMeter(windowMs = 1000): RateMeter {
  const times: number[] = []
  const prune = (nowMs: number): void => {
    while (times.length > 0 && times[0] <= nowMs - windowMs) times.shift()
  }
  return {
    tick(tMs) {
      times.push(tMs)
      prune(tMs)
    },
    rate(nowMs) {
      prune(nowMs)
      return (times.length * 1000) / windowMs
    }
  }
}

/** Exponential average of a noisy duration for the HUD. */
export function smoothDuration(previous: number | null, next: number, weight = 0.2): number {
  return previous === null ? next : previous + weight * (next - previous)
}
