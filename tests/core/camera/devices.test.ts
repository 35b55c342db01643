import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SmilecamError } from '../../../src/shared/errors'
import { listVideoDevices, LOOPBACK_SETUP, NO_LOOPBACK_MESSAGE, requireVirtualCameraSupport, virtualCameraSupport } from '../../../src/core'

let root: string

/** A fake /sys/class/video4linux entry, laid out as the kernel does. */
function addDevice(entry: string, name: string, { driver, attributes = [] }: { driver?: string; attributes?: string[] } = {}): void {
  const dir = join(root, 'class', entry)
  mkdirSync(join(dir, 'device'), { recursive: true })
  writeFileSync(join(dir, 'name'), `${name}\n`)
  for (const attribute of attributes) writeFileSync(join(dir, attribute), '2\n')
  if (driver) {
    mkdirSync(join(root, 'bus', 'drivers', driver), { recursive: true })
    symlinkSync(join(root, 'bus', 'drivers', driver), join(dir, 'device', 'driver'))
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'smilecam-sysfs-'))
  mkdirSync(join(root, 'class'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('listVideoDevices', () => {
  it('reads names and drivers and tells loopback devices apart, in device-number order', async () => {
    addDevice('video10', 'Smilecam', { driver: 'v4l2loopback' })
    addDevice('video0', 'Integrated Camera: Integrated C', { driver: 'uvcvideo' })
    addDevice('video2', 'OBS Virtual Camera', { attributes: ['max_openers', 'buffers'] })
    addDevice('video1', 'Integrated Camera: Integrated I', { driver: 'uvcvideo' })
    mkdirSync(join(root, 'class', 'v4l-subdev0'))
    const devices = await listVideoDevices({ sysRoot: join(root, 'class') })
    expect(devices).toEqual([
      { path: '/dev/video0', name: 'Integrated Camera: Integrated C', driver: 'uvcvideo', isLoopback: false },
      { path: '/dev/video1', name: 'Integrated Camera: Integrated I', driver: 'uvcvideo', isLoopback: false },
      { path: '/dev/video2', name: 'OBS Virtual Camera', driver: null, isLoopback: true },
      { path: '/dev/video10', name: 'Smilecam', driver: 'v4l2loopback', isLoopback: true }
    ])
  })

  it('skips entries without a name and uses the given device folder', async () => {
    addDevice('video3', 'Smilecam', { driver: 'v4l2loopback' })
    mkdirSync(join(root, 'class', 'video4'))
    expect(await listVideoDevices({ sysRoot: join(root, 'class'), devRoot: '/tmp/dev' })).toEqual([
      { path: '/tmp/dev/video3', name: 'Smilecam', driver: 'v4l2loopback', isLoopback: true }
    ])
  })

  it('is an empty list when the class folder does not exist (no video devices, or no sysfs)', async () => {
    expect(await listVideoDevices({ sysRoot: join(root, 'missing') })).toEqual([])
  })
})

describe('virtual camera support', () => {
  it('is available on Linux and says why not elsewhere, with a typed error', () => {
    expect(virtualCameraSupport('linux')).toEqual({ available: true })
    for (const platform of ['win32', 'darwin', 'freebsd'] as const) {
      const support = virtualCameraSupport(platform)
      expect(support.available).toBe(false)
      if (!support.available) expect(support.reason).toMatch(/not available on .* yet, because/)
      expect(() => requireVirtualCameraSupport(platform)).toThrow(SmilecamError)
    }
    expect(() => requireVirtualCameraSupport('linux')).not.toThrow()
    try {
      requireVirtualCameraSupport('win32')
    } catch (error) {
      expect((error as SmilecamError).code).toBe('NOT_AVAILABLE')
    }
  })

  it('tells exactly what to run when there is no loopback device', () => {
    expect(LOOPBACK_SETUP.load).toBe('sudo modprobe v4l2loopback exclusive_caps=1 card_label="Smilecam"')
    expect(LOOPBACK_SETUP.package).toBe('v4l2loopback-dkms')
    expect(NO_LOOPBACK_MESSAGE).toContain(LOOPBACK_SETUP.load)
    expect(NO_LOOPBACK_MESSAGE).toContain('v4l2loopback-dkms')
  })
})
