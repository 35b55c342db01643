// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { SMILECAM_API_KEY } from '../../../src/renderer/src/api'
import { createSettingsStore, SETTINGS_STORE_KEY } from '../../../src/renderer/src/composables/useSettings'
import AuditPage from '../../../src/renderer/src/pages/AuditPage.vue'
import type { PhotoReport } from '../../../src/shared/audit'
import type { Point } from '../../../src/shared/vision'
import { createFakeBridge, type FakeBridgeScript } from '../fake-bridge'

const LANDMARKS: Point[] = Array.from({ length: 68 }, (_, i) => [100 + i, 120 + (i % 7)])

function report(overrides: Partial<PhotoReport> = {}): PhotoReport {
  return {
    id: 'r1',
    source: 'portrait.jpg',
    width: 400,
    height: 400,
    faceCount: 1,
    face: {
      box: { x: 100, y: 100, width: 200, height: 200 },
      boxNormalized: { x: 0.25, y: 0.25, width: 0.5, height: 0.5 },
      score: 0.95,
      landmarks68: LANDMARKS,
      mar: 0.12,
      ear: 0.3,
      rollDeg: 0
    },
    faceOutline: [
      [100, 100],
      [300, 100],
      [200, 320]
    ],
    checks: {
      blur: { pass: true, mode: 'person', strength: 0.5, advice: 'Background blurred behind you.' },
      faceSize: { pass: false, faceAreaRatio: 0.18, faceLargeEnough: false, faceInsideCircle: true, resolutionOk: true, advice: 'Face fills 18% of the circle; crop tighter to reach 25%.' },
      sentiment: {
        pass: true,
        emotion: 'happy',
        scores: { angry: 0, disgust: 0, fear: 0, happy: 0.9, neutral: 0.1, sad: 0, surprise: 0 },
        sentiment: 'positive',
        smile: 0.88,
        smiling: true,
        advice: 'You look friendly.'
      },
      teeth: { pass: true, teethVisible: true, mar: 0.12, advice: 'Teeth visible.' },
      eyesOpen: { pass: true, ear: 0.3, advice: 'Eyes open.' },
      headTilt: { pass: true, rollDegrees: 0, advice: 'Head level.' },
      lighting: { pass: false, exposure: 40, contrast: 30, sideLight: 0.1, advice: 'The face is underexposed.' },
      sharpness: { pass: true, sharpness: 300, advice: 'In focus.' },
      position: { pass: true, offCentre: 0.1, headRoom: 0.2, advice: 'Well placed.' }
    },
    verdict: 'Nearly there: crop tighter.',
    timings: {},
    ...overrides
  }
}

async function mountAudit(script: FakeBridgeScript) {
  const bridge = createFakeBridge(script)
  const store = createSettingsStore(bridge.api)
  await store.load()
  const wrapper = mount(AuditPage, { global: { provide: { [SMILECAM_API_KEY]: bridge.api, [SETTINGS_STORE_KEY]: store } } })
  return { wrapper, bridge, store }
}

async function chooseFile(wrapper: Awaited<ReturnType<typeof mountAudit>>['wrapper'], name: string, bytes: number[]) {
  const input = wrapper.get('[data-testid="audit-file-input"]')
  const file = new File([Uint8Array.from(bytes)], name, { type: 'image/jpeg' })
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true })
  await input.trigger('change')
  await flushPromises()
  await new Promise((resolve) => setTimeout(resolve, 0))
  await flushPromises()
}

describe('Audit page', () => {
  it('audits a chosen file with the audit settings and shows four verdicts with numbers and advice', async () => {
    const { wrapper, bridge } = await mountAudit({ auditRun: async () => report() })
    await chooseFile(wrapper, 'portrait.jpg', [0xff, 0xd8, 0xff, 0xe0])

    const run = bridge.calls.find((call) => call.channel === 'audit:run')!
    const [source, options] = run.args as [{ kind: string; name: string; data: Uint8Array }, Record<string, unknown>]
    expect(source.kind).toBe('bytes')
    expect(source.name).toBe('portrait.jpg')
    expect([...source.data]).toEqual([0xff, 0xd8, 0xff, 0xe0])
    expect(options).toEqual({ blurStrength: 0.5, blurMode: 'person', minFaceAreaRatio: 0.25, marThreshold: 0.08 })

    expect(wrapper.get('[data-testid="audit-report"]').attributes('data-report-id')).toBe('r1')
    const faceSize = wrapper.get('[data-testid="verdict-face-size"]')
    expect(faceSize.attributes('data-pass')).toBe('false')
    expect(faceSize.text()).toContain('18%')
    expect(faceSize.text()).toContain('crop tighter')
    expect(wrapper.get('[data-testid="verdict-teeth"]').text()).toContain('MAR 0.120')
    expect(wrapper.get('[data-testid="verdict-sentiment"]').attributes('data-pass')).toBe('true')
    expect(wrapper.find('[data-testid="verdict-blur"]').exists()).toBe(true)
    expect(wrapper.get('[data-testid="verdict-lighting"]').attributes('data-pass')).toBe('false')
    expect(wrapper.get('[data-testid="verdict-lighting"]').text()).toContain('underexposed')
    // The annotated view draws the circle crop (inset by its stroke), the outline and 68 landmarks from the report.
    expect(wrapper.findAll('[data-testid="audit-annotated"] circle.landmark')).toHaveLength(68)
    expect(wrapper.get('[data-testid="audit-annotated"] circle.crop').attributes('r')).toBe('199')
    // The photo shown is the file's own JPEG bytes and the blur the audit already rendered: nothing re-encoded or re-blurred.
    expect(bridge.calls.filter((call) => call.channel === 'audit:image').map((call) => call.args[1])).toEqual(['blurred'])
    expect(bridge.calls.some((call) => call.channel === 'audit:blur')).toBe(false)
    expect(wrapper.find('[data-testid="audit-error"]').exists()).toBe(false)
  })

  it('shows progress while running', async () => {
    let finish: (value: PhotoReport) => void = () => undefined
    const { wrapper, bridge } = await mountAudit({ auditRun: () => new Promise((resolve) => (finish = resolve)) })
    await chooseFile(wrapper, 'a.jpg', [1])
    bridge.emitProgress({ step: 'detect', fraction: 0.4, message: 'Finding faces' })
    await flushPromises()
    expect(wrapper.get('[data-testid="audit-progress"]').text()).toContain('Finding faces')
    finish(report())
    await flushPromises()
    expect(wrapper.find('[data-testid="audit-progress"]').exists()).toBe(false)
  })

  it('shows the no-face verdict instead of checks', async () => {
    const { wrapper } = await mountAudit({
      auditRun: async () => report({ faceCount: 0, face: undefined, faceOutline: undefined, checks: undefined, verdict: 'No face found.' })
    })
    await chooseFile(wrapper, 'wall.jpg', [1])
    expect(wrapper.get('[data-testid="audit-no-face"]').text()).toMatch(/no face/i)
    expect(wrapper.find('[data-testid="verdict-teeth"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="audit-face-count"]').text()).toContain('0 faces')
  })

  it('shows the typed error message in a dismissible banner', async () => {
    const { wrapper } = await mountAudit({ auditRun: () => Promise.reject({ code: 'NOT_AN_IMAGE', message: 'notes.txt is not an image.' }) })
    await chooseFile(wrapper, 'notes.txt', [65])
    expect(wrapper.get('[data-testid="audit-error"]').text()).toContain('notes.txt is not an image.')
    await wrapper.get('[data-testid="audit-error"] button[aria-label="Dismiss"]').trigger('click')
    expect(wrapper.find('[data-testid="audit-error"]').exists()).toBe(false)
  })

  it('audits a pasted URL and saves the outputs', async () => {
    const { wrapper, bridge } = await mountAudit({ auditRun: async () => report() })
    await wrapper.get('[data-testid="audit-url-input"]').setValue('https://www.linkedin.com/in/someone/')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(bridge.calls.find((call) => call.channel === 'audit:run')?.args[0]).toEqual({ kind: 'url', url: 'https://www.linkedin.com/in/someone/' })
    await wrapper.get('[data-testid="audit-save-report"]').trigger('click')
    await flushPromises()
    expect(bridge.calls.at(-1)).toEqual({ channel: 'audit:save', args: ['r1', 'report'] })
    expect(wrapper.get('[data-testid="audit-saved"]').text()).toContain('r1-report')
  })
})
