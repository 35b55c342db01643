/**
 * FrameScheduler: a pure state machine that decides, on each animation frame of the live loop,
 * whether a new camera frame arrived (counted once, drawn once) and whether to send it to the
 * engine. At most one request is in flight (latest frame wins: frames decoded meanwhile are
 * never queued), each camera frame is sent at most once, an engine error pauses sending for
 * `retryMs`, and engine timestamps strictly increase (the engine's temporal smoothing needs it).
 * Each result is matched to the frame it was computed from (see FrameGate).
 */
import { createFrameGate } from './frame-gate'

export interface SchedulerTick {
  /** A camera frame arrived since the previous tick. */
  newCameraFrame: boolean
  /** Send the current camera frame now (then call begin). */
  send: boolean
}

export interface FrameScheduler<F> {
  /**
   * With decoded-frame counting on (the video reports each decoded frame through
   * requestVideoFrameCallback), only frameDecoded() makes a new frame; otherwise every
   * tick counts as one.
   */
  countDecodedFrames(enabled: boolean): void
  frameDecoded(): void
  tick(nowMs: number): SchedulerTick
  /** Registers the frame being sent; returns its engine timestamp. */
  begin(nowMs: number, frame: F): number
  /** Completes the request; the frame the result belongs to, or null when it is stale. */
  finish(resultTimestampMs: number | undefined): F | null
  /** The request failed: nothing is sent for retryMs. */
  fail(nowMs: number): void
  /** Abandons the request in flight (the loop stops). */
  abort(): void
  /** Frames sent so far. */
  readonly sent: number
}

export const ENGINE_RETRY_MS = 1000

export function createFrameScheduler<F>(retryMs = ENGINE_RETRY_MS): FrameScheduler<F> {
  const gate = createFrameGate<F>()
  let countsDecoded = false
  let serial = 0
  let seenSerial = -1
  let sentSerial = -1
  let retryAtMs = Number.NEGATIVE_INFINITY
  let lastTimestampMs = 0
  return {
    countDecodedFrames(enabled) {
      countsDecoded = enabled
    },
    frameDecoded() {
      serial++
    },
    tick(nowMs) {
      if (!countsDecoded) serial++
      const newCameraFrame = seenSerial !== serial
      seenSerial = serial
      const send = gate.idle && nowMs >= retryAtMs && sentSerial !== serial
      if (send) sentSerial = serial
      return { newCameraFrame, send }
    },
    begin(nowMs, frame) {
      lastTimestampMs = Math.max(lastTimestampMs + 1, Math.round(nowMs))
      gate.begin(lastTimestampMs, frame)
      return lastTimestampMs
    },
    finish(resultTimestampMs) {
      return gate.finish(resultTimestampMs)
    },
    fail(nowMs) {
      gate.abort()
      retryAtMs = nowMs + retryMs
    },
    abort() {
      gate.abort()
    },
    get sent() {
      return gate.sent
    }
  }
}
