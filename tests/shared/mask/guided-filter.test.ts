import { describe, expect, it } from 'vitest'
import { guidedUpsample, resampleBilinear } from '../../../src/shared/mask/guided-filter'
import { PERSON_EDGE_HIGH, PERSON_EDGE_LOW, smoothstep } from '../../../src/shared/mask/ops'

/** A guide with a bright disc (the "person") on a dark background, and its true mask. */
function discScene(width: number, height: number, cx: number, cy: number, r: number): { guide: Uint8Array; truth: Float32Array } {
  const guide = new Uint8Array(width * height)
  const truth = new Float32Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= r
      guide[y * width + x] = inside ? 200 : 40
      truth[y * width + x] = inside ? 1 : 0
    }
  }
  return { guide, truth }
}

/** A coarse version of the truth, as a low-resolution segmenter would give: block means, blurred edges. */
function coarseMask(truth: Float32Array, width: number, height: number, mw: number, mh: number): Float32Array {
  const out = new Float32Array(mw * mh)
  const fx = width / mw
  const fy = height / mh
  for (let j = 0; j < mh; j++) {
    for (let i = 0; i < mw; i++) {
      let sum = 0
      let n = 0
      for (let y = Math.floor(j * fy); y < Math.floor((j + 1) * fy); y++) {
        for (let x = Math.floor(i * fx); x < Math.floor((i + 1) * fx); x++) {
          sum += truth[y * width + x]
          n++
        }
      }
      out[j * mw + i] = sum / n
    }
  }
  return out
}

/** Error of the mask as the compositor uses it: through the person edge curve. */
function meanAbsError(mask: Float32Array, truth: Float32Array): number {
  let sum = 0
  for (let i = 0; i < mask.length; i++) sum += Math.abs(smoothstep(PERSON_EDGE_LOW, PERSON_EDGE_HIGH, mask[i]) - truth[i])
  return sum / mask.length
}

describe('resampleBilinear', () => {
  it('keeps a constant and interpolates a ramp between pixel centres', () => {
    expect(Array.from(resampleBilinear(new Float32Array([0.5, 0.5, 0.5, 0.5]), 2, 2, 5, 3))).toEqual(new Array(15).fill(0.5))
    // 2 -> 4: centres at 0.25, 0.75 map to source 0 and 0.25; clamped at the edges.
    expect(Array.from(resampleBilinear(new Float32Array([0, 1]), 2, 1, 4, 1))).toEqual([0, 0.25, 0.75, 1])
  })
})

describe('guidedUpsample', () => {
  const width = 160
  const height = 120
  const { guide, truth } = discScene(width, height, 80, 60, 35)
  const coarse = { values: coarseMask(truth, width, height, 16, 12), width: 16, height: 12 }

  it('puts the edge of a coarse mask on the edge of the picture', () => {
    const plain = resampleBilinear(coarse.values, coarse.width, coarse.height, width, height)
    const refined = guidedUpsample(coarse, { data: guide, width, height }, { subsample: 2, radius: 4, epsilon: 0.001 })
    expect(refined).toHaveLength(width * height)
    const plainError = meanAbsError(plain, truth)
    const refinedError = meanAbsError(refined, truth)
    // The 10x coarser mask is off by several pixels all along the rim; the refined one far less.
    expect(refinedError).toBeLessThan(plainError * 0.1)
    expect(Math.min(...refined)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...refined)).toBeLessThanOrEqual(1)
  })

  it('leaves a flat mask flat whatever the picture shows', () => {
    const flat = { values: new Float32Array(16 * 12).fill(1), width: 16, height: 12 }
    const refined = guidedUpsample(flat, { data: guide, width, height })
    for (const v of refined) expect(v).toBeCloseTo(1, 4)
  })

  it('reads a guide with a row stride (a plane inside a bigger buffer)', () => {
    const stride = width + 8
    const padded = new Uint8Array(stride * height)
    for (let y = 0; y < height; y++) padded.set(guide.subarray(y * width, (y + 1) * width), y * stride)
    const a = guidedUpsample(coarse, { data: guide, width, height })
    const b = guidedUpsample(coarse, { data: padded, width, height, stride })
    expect(Array.from(b)).toEqual(Array.from(a))
  })
})
