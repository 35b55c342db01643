import type { FuseV1Config, FuseV1Options } from '@electron/fuses'

export declare const FUSE_SETTINGS: Readonly<Partial<Record<keyof typeof FuseV1Options, boolean>>>
export declare function electronBinaryPath(target: {
  appOutDir: string
  electronPlatformName: string
  productFilename: string
  linuxExecutableName: string
}): string
export declare function fuseConfig(electronPlatformName: string, arch: string | undefined): FuseV1Config
export declare function afterPack(context: unknown): Promise<void>
export default afterPack
