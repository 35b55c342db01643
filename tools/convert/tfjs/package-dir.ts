import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

/**
 * The installed directory of an npm package, found the way Node resolves it (so hoisting
 * doesn't matter) even when its `exports` map hides package.json.
 */
export function packageDir(name: string): string {
  const require = createRequire(import.meta.url)
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name)
    if (existsSync(join(dir, 'package.json'))) return dir
  }
  throw new Error(`package ${name} is not installed`)
}

/** version and license from a package's package.json. */
export function packageInfo(dir: string): { version: string; license: string } {
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; license?: string }
  return { version: json.version, license: json.license ?? 'UNKNOWN' }
}
