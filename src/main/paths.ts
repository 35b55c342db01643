/** Where the app finds its files, as pure functions of what Electron reports. */
import { join } from 'node:path'

export interface AppLocation {
  isPackaged: boolean
  /** process.resourcesPath */
  resourcesPath: string
  /** app.getAppPath(): the project root in development, …/resources/app.asar when packaged. */
  appPath: string
}

/**
 * Models ship as extraResources (resources/models -> <resources>/models, outside
 * the asar, so onnxruntime can open them as plain files); in development they
 * sit in the project's resources/models.
 */
export function resolveModelDir({ isPackaged, resourcesPath, appPath }: AppLocation): string {
  return isPackaged ? join(resourcesPath, 'models') : join(appPath, 'resources', 'models')
}

/** Built files next to the main bundle (out/main): preload, renderer page, vision host entry. */
export function builtPaths(mainDir: string): { preload: string; rendererIndex: string; visionHost: string } {
  return {
    preload: join(mainDir, '..', 'preload', 'index.cjs'),
    rendererIndex: join(mainDir, '..', 'renderer', 'index.html'),
    visionHost: join(mainDir, 'vision-host.js')
  }
}
