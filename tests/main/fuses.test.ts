/**
 * Electron fuses of the packaged app, flipped by the afterPack hook (build/after-pack.mjs) with
 * @electron/fuses: no ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect on a shipped app, cookies
 * encrypted at rest, the app only from its asar, asar integrity checked where Electron supports it,
 * no file:// privileges (the renderer comes from app://).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FuseV1Options, FuseVersion } from '@electron/fuses'
import { describe, expect, it } from 'vitest'
import { FUSE_SETTINGS, afterPack, electronBinaryPath, fuseConfig } from '../../build/after-pack.mjs'

const ROOT = join(import.meta.dirname, '..', '..')
// The marker @electron/fuses looks for in an Electron binary; the fuse wire follows it.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'

describe('fuse settings', () => {
  it('turns off the Node back doors and turns on cookie encryption and asar integrity', () => {
    expect(FUSE_SETTINGS).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableCookieEncryption: true,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false
    })
  })

  it('names only fuses @electron/fuses knows', () => {
    for (const name of Object.keys(FUSE_SETTINGS)) expect(Object.keys(FuseV1Options)).toContain(name)
  })

  it('maps the settings to wire indices and redoes the ad-hoc signature only on arm64 macOS', () => {
    expect(fuseConfig('linux', 'x64')).toEqual({
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: false,
      0: false,
      1: true,
      2: false,
      3: false,
      4: true,
      5: true,
      7: false
    })
    expect(fuseConfig('darwin', 'arm64').resetAdHocDarwinSignature).toBe(true)
    expect(fuseConfig('darwin', 'x64').resetAdHocDarwinSignature).toBe(false)
    expect(fuseConfig('win32', 'arm64').resetAdHocDarwinSignature).toBe(false)
  })
})

describe('afterPack hook', () => {
  it('is the afterPack of electron-builder.yml, which no longer has the electron-builder 26 electronFuses block', async () => {
    const yaml = await readFile(join(ROOT, 'electron-builder.yml'), 'utf8')
    expect(yaml).toMatch(/^afterPack: \.\/build\/after-pack\.mjs$/m)
    expect(yaml).not.toMatch(/^electronFuses:/m)
  })

  it('finds the Electron binary electron-builder packs on each platform', () => {
    const target = { appOutDir: '/out', productFilename: 'Smilecam', linuxExecutableName: 'smilecam' }
    expect(electronBinaryPath({ ...target, electronPlatformName: 'linux' })).toBe(join('/out', 'smilecam'))
    expect(electronBinaryPath({ ...target, electronPlatformName: 'win32' })).toBe(join('/out', 'Smilecam.exe'))
    expect(electronBinaryPath({ ...target, electronPlatformName: 'darwin' })).toBe(join('/out', 'Smilecam.app'))
    expect(() => electronBinaryPath({ ...target, electronPlatformName: 'beos' })).toThrow(/beos/)
  })

  it('flips the fuse wire of a packed Linux binary', async () => {
    const appOutDir = await mkdtemp(join(tmpdir(), 'smilecam-fuses-'))
    try {
      // A binary with a v1 wire of 8 fuses, all on except cookie encryption (Electron's defaults).
      const binary = join(appOutDir, 'smilecam')
      await writeFile(binary, Buffer.concat([Buffer.from('ELF..' + SENTINEL), Buffer.from([1, 8]), Buffer.from('10111111'), Buffer.from('..')]))
      await afterPack({
        appOutDir,
        electronPlatformName: 'linux',
        arch: 1,
        packager: { appInfo: { productFilename: 'Smilecam' }, executableName: 'smilecam' }
      })
      const packed = await readFile(binary)
      const wireAt = packed.indexOf(SENTINEL) + SENTINEL.length + 2
      // LoadBrowserProcessSpecificV8Snapshot (index 6) is not set, so it stays as it was.
      expect(packed.subarray(wireAt, wireAt + 8).toString()).toBe('01001110')
    } finally {
      await rm(appOutDir, { recursive: true, force: true })
    }
  })
})
