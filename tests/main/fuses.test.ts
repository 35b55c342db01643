/**
 * Electron fuses of the packaged app (electron-builder flips them in the binary at build time):
 * no ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect on a shipped app, cookies encrypted at rest,
 * the app only from its asar, asar integrity checked where Electron supports it, no file://
 * privileges (the renderer comes from app://). Every key must be one electron-builder knows, or
 * it would be ignored.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')

/** The `electronFuses:` block of electron-builder.yml as key -> boolean. */
function fusesFromConfig(): Record<string, boolean> {
  const yaml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')
  const block = /^electronFuses:\n((?:[ \t]+.*\n?)*)/m.exec(yaml)?.[1] ?? ''
  return Object.fromEntries(
    block
      .split('\n')
      .map((line) => /^\s+([A-Za-z]+):\s*(true|false)\s*(?:#.*)?$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1], match[2] === 'true'])
  )
}

describe('electron-builder electronFuses', () => {
  it('turns off the Node back doors and turns on cookie encryption and asar integrity', () => {
    expect(fusesFromConfig()).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false
    })
  })

  it('uses only fuse names electron-builder knows', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } }
    }
    const known = Object.keys(schema.definitions.FuseOptionsV1.properties)
    for (const key of Object.keys(fusesFromConfig())) expect(known).toContain(key)
  })
})
