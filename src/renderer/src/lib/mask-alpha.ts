/**
 * Pure pixel steps of the 2D-canvas compositor (lib/canvas-compositor.ts): the keep-sharp
 * mask turned into alpha images, and the gathered background made opaque. No DOM.
 */
import { BACKGROUND_EDGE_HIGH, BACKGROUND_EDGE_LOW, PERSON_EDGE_HIGH, PERSON_EDGE_LOW, smoothstep } from '../../../shared/mask/ops'

/**
 * Writes 255 * curve(mask) into the alpha channel of `out` (RGBA, mask-sized), colour 0.
 * `kind` 'person' = how sharp the frame stays, 'background' = how much a pixel feeds the blur.
 */
export function maskToAlpha(mask: Float32Array, kind: 'person' | 'background', out: Uint8ClampedArray): Uint8ClampedArray {
  if (out.length !== mask.length * 4) throw new RangeError(`alpha buffer holds ${out.length / 4} pixels, the mask ${mask.length}`)
  // A 256-entry table: the curve per pixel would cost a division and a clamp each.
  const table = new Uint8ClampedArray(256)
  for (let i = 0; i < 256; i++) {
    const v = i / 255
    table[i] =
      kind === 'person'
        ? Math.round(255 * smoothstep(PERSON_EDGE_LOW, PERSON_EDGE_HIGH, v))
        : Math.round(255 * (1 - smoothstep(BACKGROUND_EDGE_LOW, BACKGROUND_EDGE_HIGH, v)))
  }
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i]
    const index = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255)
    const o = i * 4
    out[o] = 0
    out[o + 1] = 0
    out[o + 2] = 0
    out[o + 3] = table[index]
  }
  return out
}

/**
 * The gathered background, blur(frame * w) with alpha blur(w), read back un-premultiplied
 * (getImageData divides by alpha, which is exactly blur(frame * w) / blur(w)), made opaque.
 * Where almost no background pixel was near (alpha below `minAlpha`, deep inside the person)
 * the plain frame is used instead, as the person is shown there anyway. In place on `gathered`.
 */
export function opaqueBackground(gathered: Uint8ClampedArray, frame: Uint8ClampedArray, minAlpha = 1): Uint8ClampedArray {
  if (gathered.length !== frame.length) throw new RangeError('background and frame sizes differ')
  for (let o = 0; o < gathered.length; o += 4) {
    if (gathered[o + 3] < minAlpha) {
      gathered[o] = frame[o]
      gathered[o + 1] = frame[o + 1]
      gathered[o + 2] = frame[o + 2]
    }
    gathered[o + 3] = 255
  }
  return gathered
}
