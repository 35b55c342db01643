import { describe, expect, it } from 'vitest'
import { faceVoteThresholds, groupDetections, isFace, selectFaces } from '../../../src/engine/ops/face-votes'
import { overlapOfSmaller } from '../../../src/engine/ops/nms'

const at = (x: number, y: number, side: number, score: number) => ({ box: { x, y, width: side, height: side }, score })
const DEFAULT = faceVoteThresholds(0.5)

describe('overlapOfSmaller', () => {
  it('is 1 when one box holds the other and the shared area over the smaller box otherwise', () => {
    expect(overlapOfSmaller({ x: 0, y: 0, width: 10, height: 10 }, { x: 2, y: 2, width: 4, height: 4 })).toBe(1)
    expect(overlapOfSmaller({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 })).toBe(0.5)
    expect(overlapOfSmaller({ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: 0, width: 10, height: 10 })).toBe(0)
  })
})

describe('face votes', () => {
  it('derives agreement at 0.45 and a lone detector at 0.6 from the default threshold', () => {
    expect(DEFAULT.agreeScore).toBeCloseTo(0.45, 10)
    expect(DEFAULT.singleScore).toBeCloseTo(0.6, 10)
  })

  it('groups one face framed twice as large by the short-range model (IoU under 0.3) into one candidate', () => {
    // face-api sample4.jpg, left face: short range 0.531 at 339 px, full range 0.788 at 183 px.
    const short = at(258, 239, 339, 0.531)
    const full = at(255, 241, 183, 0.788)
    const [candidate, ...rest] = groupDetections([[short], [full]])
    expect(rest).toEqual([])
    expect(candidate.best).toBe(full)
    expect(candidate.scores).toEqual([0.531, 0.788])
  })

  it('drops the lone weak box one detector puts beside a single headshot (dev headshot 185: 0.544)', () => {
    const face = { short: at(155, 65, 80, 0.973), full: at(152, 58, 84, 0.951) }
    const hair = at(215, 176, 75, 0.544)
    const candidates = groupDetections([[face.short, hair], [face.full]])
    expect(candidates).toHaveLength(2)
    expect(selectFaces(candidates, DEFAULT, 8)).toEqual([face.short])
  })

  it('keeps a weak face two detectors agree on (sample2.jpg, looking down: full 0.479, SSD 0.883) and a lone sure one', () => {
    expect(isFace({ best: at(0, 0, 10, 0.883), scores: [0.479, 0.883] }, DEFAULT)).toBe(true)
    expect(isFace({ best: at(0, 0, 10, 0.675), scores: [0.675] }, DEFAULT)).toBe(true)
    expect(isFace({ best: at(0, 0, 10, 0.59), scores: [0.59] }, DEFAULT)).toBe(false)
    expect(isFace({ best: at(0, 0, 10, 0.59), scores: [0.44, 0.59] }, DEFAULT)).toBe(false)
  })

  it('counts a detector once per face, keeping its best box, and returns best first up to maxFaces', () => {
    const a1 = at(0, 0, 100, 0.55)
    const a2 = at(5, 5, 90, 0.58)
    expect(groupDetections([[a1, a2]])[0].scores).toEqual([0.58])
    expect(isFace(groupDetections([[a1, a2]])[0], DEFAULT)).toBe(false)
    const faces = [at(0, 0, 50, 0.7), at(100, 0, 50, 0.9), at(200, 0, 50, 0.8)]
    expect(selectFaces(groupDetections([faces]), DEFAULT, 2).map((f) => f.score)).toEqual([0.9, 0.8])
  })
})
