import { describe, expect, it } from 'vitest'
import { builtPaths, resolveModelDir } from '../../../src/main/paths'

describe('app paths', () => {
  it('finds models in resources/models in development and in <resources>/models when packaged', () => {
    expect(resolveModelDir({ isPackaged: false, resourcesPath: '/usr/lib/electron/resources', appPath: '/work/smilecam' })).toBe(
      '/work/smilecam/resources/models'
    )
    expect(resolveModelDir({ isPackaged: true, resourcesPath: '/opt/Smilecam/resources', appPath: '/opt/Smilecam/resources/app.asar' })).toBe(
      '/opt/Smilecam/resources/models'
    )
  })

  it('puts preload, renderer and host next to the main bundle', () => {
    expect(builtPaths('/app/out/main')).toEqual({
      preload: '/app/out/preload/index.cjs',
      rendererIndex: '/app/out/renderer/index.html',
      visionHost: '/app/out/main/vision-host.js'
    })
  })
})
