/**
 * Mask flicker: the mean absolute change of the mask between consecutive frames (0..1; 0 = a
 * perfectly stable mask). Measured on a still clip, where every change is flicker.
 */

/** Mean |b - a| over two masks of the same size. */
export function maskChange(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`masks differ in size: ${a.length} and ${b.length} values`)
  if (a.length === 0) return 0
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(b[i] - a[i])
  return sum / a.length
}

/** Mean of maskChange over consecutive pairs of a sequence; 0 for fewer than two masks. */
export function maskFlicker(masks: readonly ArrayLike<number>[]): number {
  if (masks.length < 2) return 0
  let total = 0
  for (let i = 1; i < masks.length; i++) total += maskChange(masks[i - 1], masks[i])
  return total / (masks.length - 1)
}

export interface FlickerMeter {
  /** Adds the next frame's mask (copied). */
  add(mask: ArrayLike<number>): void
  /** maskFlicker of everything added so far. */
  value(): number
  frames(): number
}

/** maskFlicker as a running measure, keeping only the previous mask. */
export function createFlickerMeter(): FlickerMeter {
  let previous: Float32Array | null = null
  let total = 0
  let pairs = 0
  let count = 0
  return {
    add(mask) {
      const current = Float32Array.from(mask)
      if (previous) {
        total += maskChange(previous, current)
        pairs++
      }
      previous = current
      count++
    },
    value: () => (pairs === 0 ? 0 : total / pairs),
    frames: () => count
  }
}
