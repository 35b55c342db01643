import { describe, expect, it } from 'vitest'
import { progress } from '../../../src/core/audit/progress'

describe('audit progress', () => {
  it('steps in the order an audit runs them fill the bar from 2% to 100%', () => {
    const order = ['fetch', 'sign-in', 'download', 'decode', 'detect', 'checks', 'render', 'done'] as const
    expect(order.map((step) => progress(step, '').fraction)).toEqual([0.02, 0.05, 0.1, 0.2, 0.3, 0.7, 0.8, 1])
    expect(progress('decode', 'Reading the photo…')).toEqual({ step: 'decode', fraction: 0.2, message: 'Reading the photo…' })
  })
})
