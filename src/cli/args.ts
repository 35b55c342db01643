/** A small, strict argv parser: `--flag`, `--key value`, `--key=value`, positionals. */
import { SmilecamError } from '../shared/errors'

export interface ParsedArgs {
  positionals: string[]
  flags: Set<string>
  values: Map<string, string>
}

/**
 * `booleanFlags` take no value; `valueFlags` need one. Anything else starting
 * with `--` is an error, so typos are reported instead of ignored.
 */
export function parseArgs(argv: readonly string[], booleanFlags: readonly string[], valueFlags: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], flags: new Set(), values: new Map() }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1))
      break
    }
    if (!arg.startsWith('--') || arg === '-') {
      parsed.positionals.push(arg)
      continue
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2)
    if (booleanFlags.includes(name) && inline === undefined) {
      parsed.flags.add(name)
    } else if (valueFlags.includes(name)) {
      const value = inline ?? argv[++i]
      if (value === undefined) throw new SmilecamError('INVALID_INPUT', `--${name} needs a value.`)
      parsed.values.set(name, value)
    } else {
      throw new SmilecamError('INVALID_INPUT', `Unknown option --${name}. See --help.`)
    }
  }
  return parsed
}

export function numberValue(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const raw = args.values.get(name)
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new SmilecamError('INVALID_INPUT', `--${name} must be a number from ${min} to ${max}.`)
  }
  return value
}
