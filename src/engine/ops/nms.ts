/**
 * Non-maximum suppression over scored boxes with attached points. The weighted
 * variant (MediaPipe's WEIGHTED algorithm, used by BlazeFace) averages every
 * box that overlaps the best one, weighted by score, which steadies the result.
 */
import type { Box, Point } from '../../shared/vision'

export interface ScoredBox {
  box: Box
  score: number
  points: Point[]
}

function intersectionArea(a: Box, b: Box): number {
  const x0 = Math.max(a.x, b.x)
  const y0 = Math.max(a.y, b.y)
  const x1 = Math.min(a.x + a.width, b.x + b.width)
  const y1 = Math.min(a.y + a.height, b.y + b.height)
  return x1 <= x0 || y1 <= y0 ? 0 : (x1 - x0) * (y1 - y0)
}

export function intersectionOverUnion(a: Box, b: Box): number {
  const intersection = intersectionArea(a, b)
  const union = a.width * a.height + b.width * b.height - intersection
  return union > 0 ? intersection / union : 0
}

/** Intersection over the smaller box's area: 1 when one box holds the other. */
export function overlapOfSmaller(a: Box, b: Box): number {
  const smaller = Math.min(a.width * a.height, b.width * b.height)
  return smaller > 0 ? intersectionArea(a, b) / smaller : 0
}

/**
 * Weighted NMS: repeatedly takes the highest-scoring candidate, merges all remaining
 * candidates with IoU > `iouThreshold` into it (score-weighted mean of box corners and
 * points; the score stays the best one's), until `maxResults` boxes are out.
 */
export function weightedNms(candidates: readonly ScoredBox[], iouThreshold: number, maxResults: number): ScoredBox[] {
  let remaining = [...candidates].sort((a, b) => b.score - a.score)
  const results: ScoredBox[] = []
  while (remaining.length > 0 && results.length < maxResults) {
    const best = remaining[0]
    const overlapping: ScoredBox[] = []
    const rest: ScoredBox[] = []
    for (const candidate of remaining) {
      if (intersectionOverUnion(best.box, candidate.box) > iouThreshold || candidate === best) overlapping.push(candidate)
      else rest.push(candidate)
    }
    results.push(overlapping.length === 1 ? best : mergeWeighted(overlapping, best.score))
    remaining = rest
  }
  return results
}

function mergeWeighted(group: readonly ScoredBox[], score: number): ScoredBox {
  let total = 0
  let x0 = 0
  let y0 = 0
  let x1 = 0
  let y1 = 0
  const points: Point[] = group[0].points.map(() => [0, 0])
  for (const { box, score: weight, points: p } of group) {
    total += weight
    x0 += box.x * weight
    y0 += box.y * weight
    x1 += (box.x + box.width) * weight
    y1 += (box.y + box.height) * weight
    p.forEach(([x, y], i) => {
      points[i][0] += x * weight
      points[i][1] += y * weight
    })
  }
  for (const point of points) {
    point[0] /= total
    point[1] /= total
  }
  return { box: { x: x0 / total, y: y0 / total, width: (x1 - x0) / total, height: (y1 - y0) / total }, score, points }
}
