/**
 * The one polygon rasterizer: fills a polygon (pixel coordinates of a width×height grid) into a
 * mask, sampling pixel centres with the even-odd rule, scanline by scanline. Edges are hard;
 * callers feather afterwards. Stills (0/255 bytes, core/audit/render.ts) and the live face mask
 * (0/1 floats, renderer lib/mask.ts) both use it.
 */
import type { Point } from './vision'

/** Sets `value` at every pixel centre inside `polygon`; pixels outside keep what `out` held (so masks can be unioned). */
export function fillPolygonInto<M extends Uint8Array | Float32Array>(
  out: M,
  polygon: readonly Point[],
  width: number,
  height: number,
  value: number
): M {
  const n = polygon.length
  if (n < 3) return out
  let minY = Infinity
  let maxY = -Infinity
  for (const [, y] of polygon) {
    minY = Math.min(minY, y)
    maxY = Math.max(maxY, y)
  }
  const firstRow = Math.max(0, Math.ceil(minY - 0.5))
  const lastRow = Math.min(height - 1, Math.floor(maxY - 0.5))
  const crossings: number[] = []
  for (let row = firstRow; row <= lastRow; row++) {
    const y = row + 0.5
    crossings.length = 0
    for (let i = 0; i < n; i++) {
      const [x1, y1] = polygon[i]
      const [x2, y2] = polygon[(i + 1) % n]
      // Half-open test so a vertex exactly on the scanline counts once.
      if (y1 <= y !== y2 <= y) crossings.push(x1 + ((y - y1) / (y2 - y1)) * (x2 - x1))
    }
    crossings.sort((a, b) => a - b)
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = Math.max(0, Math.ceil(crossings[k] - 0.5))
      const to = Math.min(width - 1, Math.floor(crossings[k + 1] - 0.5))
      if (to >= from) out.fill(value, row * width + from, row * width + to + 1)
    }
  }
  return out
}
