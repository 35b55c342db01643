// electron-builder afterPack hook: flips the Electron fuses in the packaged binary.
// (electron-builder 25 has no `electronFuses:` option; this does the same with @electron/fuses.)
// RunAsNode off is safe: the engine host is a utilityProcess, not a child_process.fork.
// The renderer comes from app://, so file:// needs no privileges.
import { join } from 'node:path'
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses'

/** Fuse name (a FuseV1Options member) -> wanted state. */
export const FUSE_SETTINGS = Object.freeze({
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableCookieEncryption: true,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  GrantFileProtocolExtraPrivileges: false
})

const BINARY_SUFFIX = { darwin: '.app', mas: '.app', win32: '.exe', linux: '' }

/** The packaged Electron binary (the .app bundle on macOS) that afterPack sees. */
export function electronBinaryPath({ appOutDir, electronPlatformName, productFilename, linuxExecutableName }) {
  const suffix = BINARY_SUFFIX[electronPlatformName]
  if (suffix === undefined) throw new Error(`after-pack: no Electron binary known for platform "${electronPlatformName}"`)
  // Linux names the binary after executableName (lower-case), the others after productFilename.
  const name = electronPlatformName === 'linux' ? linuxExecutableName : productFilename
  return join(appOutDir, `${name}${suffix}`)
}

/** The @electron/fuses config: FUSE_SETTINGS by wire index; arm64 macOS needs its ad-hoc signature redone. */
export function fuseConfig(electronPlatformName, arch) {
  const config = { version: FuseVersion.V1, resetAdHocDarwinSignature: isDarwin(electronPlatformName) && arch === 'arm64' }
  for (const [name, state] of Object.entries(FUSE_SETTINGS)) config[FuseV1Options[name]] = state
  return config
}

function isDarwin(platform) {
  return platform === 'darwin' || platform === 'mas'
}

// electron-builder's Arch enum: 0 ia32, 1 x64, 2 armv7l, 3 arm64, 4 universal.
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal']

export async function afterPack(context) {
  const path = electronBinaryPath({
    appOutDir: context.appOutDir,
    electronPlatformName: context.electronPlatformName,
    productFilename: context.packager.appInfo.productFilename,
    linuxExecutableName: context.packager.executableName
  })
  await flipFuses(path, fuseConfig(context.electronPlatformName, ARCH_NAMES[context.arch]))
}

export default afterPack
