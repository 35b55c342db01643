import { describe, expect, it } from 'vitest'
import { smilingProbability } from '../../../src/engine/tasks/smile-net'

describe('smilingProbability', () => {
  it('averages the "smiling" column over the views of a [views, 2] output', () => {
    expect(smilingProbability([0.9, 0.1])).toBeCloseTo(0.1, 12)
    expect(smilingProbability([0.2, 0.8, 0.4, 0.6])).toBeCloseTo(0.7, 12)
    expect(() => smilingProbability([0.5, 0.3, 0.2])).toThrow(/3 values/)
    expect(() => smilingProbability([])).toThrow(/0 values/)
  })
})
