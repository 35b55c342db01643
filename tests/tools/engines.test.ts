/**
 * The Node versions package.json promises are the ones every locked dependency accepts, so
 * `npm install` prints no EBADENGINE warning on any of them (issue 13, item 9).
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
// semver ships with npm's dependency tree (vite, eslint, electron-builder all use it).
const semver = require('semver') as { satisfies(version: string, range: string): boolean; minVersion(range: string): { version: string } | null }
const root = join(import.meta.dirname, '..', '..')

interface LockEntry {
  version?: string
  engines?: { node?: string } | string[]
  os?: string[]
  cpu?: string[]
}

interface Lock {
  packages: Record<string, LockEntry>
}

/** npm installs (and checks the engines of) only the platform packages of the machine it runs on. */
function installedOn(entry: LockEntry, platform: string, arch: string): boolean {
  return (!entry.os || entry.os.includes(platform)) && (!entry.cpu || entry.cpu.includes(arch))
}

describe('engines', () => {
  it('promises only Node versions that every locked package accepts (lowest of each range: 20.19, 22.13, 24)', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }
    const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as Lock
    const lowest = pkg.engines.node.split('||').map((range) => semver.minVersion(range.trim())?.version)
    expect(lowest).toEqual(['20.19.0', '22.13.0', '24.0.0'])
    const refusing: string[] = []
    for (const [path, entry] of Object.entries(lock.packages)) {
      const wanted = Array.isArray(entry.engines) ? undefined : entry.engines?.node
      if (!path || !wanted) continue
      // Other platforms' binaries: each would be checked on its own platform; ours must pass here.
      if (!installedOn(entry, process.platform, process.arch)) continue
      for (const version of lowest) if (version && !semver.satisfies(version, wanted)) refusing.push(`${path}@${entry.version} wants ${wanted}, not ${version}`)
    }
    expect(refusing).toEqual([])
  })

  it('says the same Node versions in the README', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8')
    expect(readme).toContain('Requires Node.js 20.19+, 22.13+ or 24+')
  })
})
