import { describe, expect, it } from 'vitest'
import { resolveAuditOptions } from '../../../src/core/audit/options'
import { validateAuditOptions } from '../../../src/core/ipc/validate'
import { SETTINGS_SCHEMA } from '../../../src/core/settings/schema'
import { AUDIT_OPTION_RANGES, DEFAULT_AUDIT_OPTIONS } from '../../../src/shared/audit'
import { SmilecamError } from '../../../src/shared/errors'

describe('resolveAuditOptions', () => {
  it('fills defaults, takes known keys only and rejects out-of-range values', () => {
    expect(resolveAuditOptions({ blurStrength: 0.8, marThreshold: undefined })).toEqual({ ...DEFAULT_AUDIT_OPTIONS, blurStrength: 0.8 })
    expect(resolveAuditOptions({ extra: 1 } as never)).toEqual(DEFAULT_AUDIT_OPTIONS)
    expect(() => resolveAuditOptions({ blurStrength: 2 })).toThrow(SmilecamError)
    expect(() => resolveAuditOptions({ blurStrength: Number.NaN })).toThrow('Blur strength must be a number from 0 to 1.')
    expect(() => resolveAuditOptions({ blurMode: 'sky' as never })).toThrow('Blur mode must be "person" or "face".')
    // The MAR the service accepts is the MAR the validator and the settings accept: 0.01..1.
    expect(() => resolveAuditOptions({ marThreshold: 1.5 })).toThrow('The mouth-opening threshold must be a number from 0.01 to 1.')
    expect(() => resolveAuditOptions({ marThreshold: 0 })).toThrow(SmilecamError)
    expect(resolveAuditOptions({ marThreshold: 1 }).marThreshold).toBe(1)
  })
})

describe('one table of audit option ranges', () => {
  it.each(Object.entries(AUDIT_OPTION_RANGES))('%s: service, IPC validator and settings schema agree on the bounds', (key, { min, max }) => {
    const below = min - 0.001
    const above = max + 0.001
    for (const [value, ok] of [[min, true], [max, true], [below, false], [above, false]] as const) {
      const service = () => resolveAuditOptions({ [key]: value })
      const ipc = () => validateAuditOptions({ [key]: value })
      if (ok) {
        expect(service).not.toThrow()
        expect(ipc).not.toThrow()
      } else {
        expect(service).toThrow(SmilecamError)
        expect(ipc).toThrow(SmilecamError)
      }
    }
    expect(SETTINGS_SCHEMA.audit[key as keyof typeof AUDIT_OPTION_RANGES]).toEqual({ kind: 'number', min, max })
  })

  it('the live smile trigger takes the same MAR range as the audit', () => {
    expect(SETTINGS_SCHEMA.capture.marThreshold).toEqual({ kind: 'number', min: 0.01, max: 1 })
  })
})
