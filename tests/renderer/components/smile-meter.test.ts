// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import SmileMeter from '../../../src/renderer/src/components/SmileMeter.vue'
import type { SmileTriggerUpdate } from '../../../src/renderer/src/lib/smile-trigger'

const update = (patch: Partial<SmileTriggerUpdate>): SmileTriggerUpdate => ({
  phase: 'waiting',
  fired: false,
  holdProgress: 0,
  countdownRemainingMs: 0,
  blockedBy: null,
  threshold: 0.09,
  ...patch
})
const sample = { mar: 0.15, smile: 0.9, ear: 0.3, boxAreaFraction: 0.1, motion: 0.01 }

describe('SmileMeter', () => {
  it('shows MAR against the threshold line and the trigger phase', () => {
    const wrapper = mount(SmileMeter, { props: { sample, update: update({ phase: 'holding', holdProgress: 0.5 }), threshold: 0.09 } })
    expect(wrapper.get('[data-testid="smile-mar"]').text()).toBe('0.150')
    expect(wrapper.get('.threshold').attributes('style')).toContain('left: 30%')
    expect(wrapper.get('.fill').classes()).toContain('over')
    expect(wrapper.get('[data-testid="trigger-state"]').attributes('data-phase')).toBe('holding')
    expect(wrapper.get('[data-testid="trigger-state"]').text()).toMatch(/hold/i)
  })

  it('explains why it is not firing', () => {
    const wrapper = mount(SmileMeter, { props: { sample, update: update({ blockedBy: 'yawn' }), threshold: 0.09 } })
    expect(wrapper.get('[data-testid="trigger-state"]').text()).toMatch(/yawn/i)
    const none = mount(SmileMeter, { props: { sample: null, update: null, threshold: 0.09 } })
    expect(none.get('[data-testid="trigger-state"]').attributes('data-phase')).toBe('none')
  })
})
