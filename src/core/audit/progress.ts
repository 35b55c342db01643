/** The audit's progress events: one fraction per step, so every front end shows the same bar. */
import type { AuditProgress, AuditStep } from '../../shared/audit'

export const PROGRESS_FRACTIONS: Readonly<Record<AuditStep, number>> = {
  fetch: 0.02,
  'sign-in': 0.05,
  download: 0.1,
  decode: 0.2,
  detect: 0.3,
  checks: 0.7,
  render: 0.8,
  done: 1
}

export function progress(step: AuditStep, message: string): AuditProgress {
  return { step, fraction: PROGRESS_FRACTIONS[step], message }
}
