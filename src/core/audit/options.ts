/** Audit options as the service takes them: known keys only, defaults filled in, ranges from the shared table. */
import { AUDIT_OPTION_RANGES, BLUR_MODES, DEFAULT_AUDIT_OPTIONS, type AuditOptions, type NumericAuditOption } from '../../shared/audit'
import { SmilecamError } from '../../shared/errors'

/** Validates and completes caller options (IPC validates too; the CLI and server rely on this). */
export function resolveAuditOptions(options: Partial<AuditOptions> = {}): AuditOptions {
  const merged: AuditOptions = { ...DEFAULT_AUDIT_OPTIONS }
  // Only known keys are taken; undefined keeps the default.
  for (const key of Object.keys(DEFAULT_AUDIT_OPTIONS) as Array<keyof AuditOptions>) {
    const value = options[key]
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value
  }
  if (!BLUR_MODES.includes(merged.blurMode)) {
    throw new SmilecamError('INVALID_INPUT', `Blur mode must be ${BLUR_MODES.map((mode) => `"${mode}"`).join(' or ')}.`)
  }
  for (const key of Object.keys(AUDIT_OPTION_RANGES) as NumericAuditOption[]) {
    const { min, max, label } = AUDIT_OPTION_RANGES[key]
    const value = merged[key]
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new SmilecamError('INVALID_INPUT', `${label} must be a number from ${min} to ${max}.`)
    }
  }
  return merged
}
