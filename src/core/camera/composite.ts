/**
 * The headless compositor: works on the camera's own YUV 4:2:0 planes (blur and blending are
 * linear, so they need no RGB round trip). Background pixels are blurred from background pixels
 * only, blur(P·w) / blur(w) with w the slightly dilated background weight, so the person's
 * colours never bleed into the background as a halo; the person is then blended back in along
 * the feathered keep-sharp mask. With no mask (fail closed) every pixel is blurred.
 */
import { blurSigma } from '../../shared/blur'
import { BACKGROUND_EDGE_HIGH, BACKGROUND_EDGE_LOW, boxBlurMask, PERSON_EDGE_HIGH, PERSON_EDGE_LOW, smoothstep } from '../../shared/mask/ops'
import { chromaSize, type Yuv420Frame } from './y4m'

export type CompositeBackground = { kind: 'blur'; sigma: number } | { kind: 'image'; planes: Yuv420Frame }

/** The blur runs on planes shrunk to this fraction of the luma size (blur is low-frequency). */
const BLUR_DOWNSCALE = 4
/** Keeps blur(P·w) / blur(w) finite deep inside the person, where the person is shown anyway. */
const SUPPORT_EPSILON = 1e-3
const BOX_PASSES = 3

/** Curves as 256-entry tables: mask value -> person alpha, and -> background weight. */
function curveTable(low: number, high: number, invert: boolean): Float32Array {
  const table = new Float32Array(256)
  for (let i = 0; i < 256; i++) {
    const s = smoothstep(low, high, i / 255)
    table[i] = invert ? 1 - s : s
  }
  return table
}
const PERSON_ALPHA = curveTable(PERSON_EDGE_LOW, PERSON_EDGE_HIGH, false)
const BACKGROUND_WEIGHT = curveTable(BACKGROUND_EDGE_LOW, BACKGROUND_EDGE_HIGH, true)

/** Box radius of one of three passes that together approximate a Gaussian of `sigma`. */
export function boxRadiusForSigma(sigma: number, passes = BOX_PASSES): number {
  // n box passes of width 2r+1 have variance n((2r+1)^2 - 1)/12.
  return Math.max(0, Math.round((Math.sqrt((12 * sigma * sigma) / passes + 1) - 1) / 2))
}

/** Mean of each 2×2 block (edge blocks average what they cover): the keep mask at chroma size. */
function halve(mask: Float32Array, width: number, height: number, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h)
  for (let by = 0; by < h; by++) {
    const r0 = 2 * by * width
    const r1 = 2 * by + 1 < height ? r0 + width : r0
    for (let bx = 0; bx < w; bx++) {
      const x0 = 2 * bx
      const x1 = x0 + 1 < width ? x0 + 1 : x0
      out[by * w + bx] = (mask[r0 + x0] + mask[r0 + x1] + mask[r1 + x0] + mask[r1 + x1]) * 0.25
    }
  }
  return out
}

function gaussianish(values: Float32Array, w: number, h: number, radius: number): Float32Array {
  let out = values
  for (let i = 0; i < BOX_PASSES; i++) out = boxBlurMask(out, w, h, radius)
  return out
}

/** Mask value 0..1 -> index into the 256-entry curve tables. */
function curveIndex(value: number): number {
  return value <= 0 ? 0 : value >= 1 ? 255 : (value * 255 + 0.5) | 0
}

/**
 * The blurred background of one plane at 1/f size: per f×f block the sums of P·w, w and P in
 * one pass over the plane; then blur(P·w) / blur(w), with a little of the block's own mean so
 * it stays defined where no background pixel is near.
 */
function blurredBackground(plane: Uint8Array, pw: number, ph: number, keep: Uint8Array | null, sigma: number, f: number): { small: Float32Array; w: number; h: number } {
  const w = Math.ceil(pw / f)
  const h = Math.ceil(ph / f)
  const weighted = new Float32Array(w * h)
  const weights = new Float32Array(w * h)
  const plain = new Float32Array(w * h)
  const blockOfX = new Int32Array(pw)
  for (let x = 0; x < pw; x++) blockOfX[x] = (x / f) | 0
  for (let y = 0; y < ph; y++) {
    const row = y * pw
    const blockRow = ((y / f) | 0) * w
    for (let x = 0; x < pw; x++) {
      const p = plane[row + x]
      const weight = keep ? BACKGROUND_WEIGHT[keep[row + x]] : 1
      const b = blockRow + blockOfX[x]
      weighted[b] += p * weight
      weights[b] += weight
      plain[b] += p
    }
  }
  const radius = boxRadiusForSigma(sigma / f)
  const sumWeighted = gaussianish(weighted, w, h, radius)
  const sumWeight = gaussianish(weights, w, h, radius)
  const small = new Float32Array(w * h)
  // Block sums rather than means: the block size cancels in the ratio. Where no background
  // pixel is near, the block's own mean takes over (the person is shown there anyway).
  for (let i = 0; i < small.length; i++) small[i] = (sumWeighted[i] + SUPPORT_EPSILON * plain[i]) / (sumWeight[i] + SUPPORT_EPSILON * f * f)
  return { small, w, h }
}

/**
 * One plane of the output: the person where the mask says so, the background elsewhere.
 * `keep` is at this plane's size; null = no mask, blur everything. A blurred background is
 * upsampled a row at a time inside the blend, so no full-size copy of it is made.
 */
function compositePlane(plane: Uint8Array, pw: number, ph: number, keep: Float32Array | null, background: Uint8Array | { sigma: number; downscale: number }): Uint8Array {
  const out = new Uint8Array(pw * ph)
  // The mask as indices into the curve tables, once for both passes.
  let levels: Uint8Array | null = null
  if (keep) {
    levels = new Uint8Array(out.length)
    for (let i = 0; i < out.length; i++) levels[i] = curveIndex(keep[i])
  }
  if (background instanceof Uint8Array) {
    for (let i = 0; i < out.length; i++) {
      const a = levels ? PERSON_ALPHA[levels[i]] : 0
      out[i] = a * plane[i] + (1 - a) * background[i] + 0.5
    }
    return out
  }
  const f = background.downscale
  const { small, w, h } = blurredBackground(plane, pw, ph, levels, background.sigma, f)
  const x0s = new Int32Array(pw)
  const x1s = new Int32Array(pw)
  const txs = new Float32Array(pw)
  for (let x = 0; x < pw; x++) {
    // Block k's centre is at (k + 0.5)·f plane pixels.
    const fx = Math.min(w - 1, Math.max(0, (x + 0.5) / f - 0.5))
    x0s[x] = fx | 0
    x1s[x] = Math.min(w - 1, x0s[x] + 1)
    txs[x] = fx - x0s[x]
  }
  const rowB = new Float32Array(w)
  for (let y = 0; y < ph; y++) {
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) / f - 0.5))
    const y0 = fy | 0
    const y1 = Math.min(h - 1, y0 + 1)
    const ty = fy - y0
    for (let x = 0; x < w; x++) rowB[x] = small[y0 * w + x] + (small[y1 * w + x] - small[y0 * w + x]) * ty
    const row = y * pw
    for (let x = 0; x < pw; x++) {
      const i = row + x
      const a = levels ? PERSON_ALPHA[levels[i]] : 0
      const x0 = x0s[x]
      const b = rowB[x0] + (rowB[x1s[x]] - rowB[x0]) * txs[x]
      out[i] = a * plane[i] + (1 - a) * b + 0.5
    }
  }
  return out
}

/**
 * The output frame. `keep` is the keep-sharp mask at the frame's size (0..1, 1 = person),
 * or null to blur the whole frame (no mask yet, engine down: fail closed).
 */
export function compositeFrame(frame: Yuv420Frame, keep: Float32Array | null, background: CompositeBackground): Yuv420Frame {
  const { width, height } = frame
  const c = chromaSize(width, height)
  const chromaKeep = keep ? halve(keep, width, height, c.width, c.height) : null
  // A replacement background needs a mask to place the person on it; without one, blur all, fully.
  const replacement = background.kind === 'image' && keep !== null ? background.planes : null
  const sigma = background.kind === 'blur' ? background.sigma : blurSigma(1, width, height)
  const lumaBackground = replacement ? replacement.y : { sigma, downscale: BLUR_DOWNSCALE }
  const chromaBackground = (p: 'u' | 'v'): Uint8Array | { sigma: number; downscale: number } =>
    replacement ? replacement[p] : { sigma: sigma / 2, downscale: BLUR_DOWNSCALE / 2 }
  return {
    width,
    height,
    y: compositePlane(frame.y, width, height, keep, lumaBackground),
    u: compositePlane(frame.u, c.width, c.height, chromaKeep, chromaBackground('u')),
    v: compositePlane(frame.v, c.width, c.height, chromaKeep, chromaBackground('v'))
  }
}
