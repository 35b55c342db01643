/** Progress of a batch run as text: a bar with count, rate and ETA on a terminal, plain lines otherwise. */

export interface BatchProgress {
  done: number
  total: number
  failed: number
  /** Milliseconds since the run started. */
  elapsedMs: number
}

/** m:ss (or h:mm:ss) for an ETA; '--:--' when it cannot be estimated yet. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--:--'
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** Photos per second so far, and the time the rest would take at that rate. */
export function rateAndEta(p: BatchProgress): { perSecond: number; etaMs: number } {
  const perSecond = p.elapsedMs > 0 ? (p.done * 1000) / p.elapsedMs : 0
  const etaMs = perSecond > 0 ? ((p.total - p.done) / perSecond) * 1000 : Number.NaN
  return { perSecond, etaMs }
}

/** One terminal line: `[#########.........]  12/100  1.9/s  ETA 0:46  1 failed`. */
export function progressBar(p: BatchProgress, barWidth = 24): string {
  const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 1
  const filled = Math.round(fraction * barWidth)
  const { perSecond, etaMs } = rateAndEta(p)
  const count = `${String(p.done).padStart(String(p.total).length)}/${p.total}`
  const failed = p.failed > 0 ? `  ${p.failed} failed` : ''
  return `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${count}  ${perSecond.toFixed(1)}/s  ETA ${formatDuration(etaMs)}${failed}`
}

/** The line printed per finished photo when stderr is not a terminal. */
export function progressLine(p: BatchProgress, file: string, outcome: string): string {
  return `${p.done}/${p.total} ${file}: ${outcome}`
}
