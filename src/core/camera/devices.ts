/**
 * Video devices and whether this machine can offer a virtual camera. Linux only: the
 * virtual camera is a v4l2loopback device that ffmpeg writes into (./ffmpeg-sink.ts).
 * Devices are found through sysfs, as plain data, so the parsing is tested against a
 * fake tree.
 */
import { readdir, readFile, readlink, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { SmilecamError } from '../../shared/errors'

export interface VideoDevice {
  /** Device node, e.g. /dev/video10. */
  path: string
  /** What sysfs `name` says (v4l2loopback: its card_label, e.g. "Smilecam"). */
  name: string
  /** Kernel driver bound to the device (uvcvideo, v4l2loopback, ...), or null when sysfs shows none. */
  driver: string | null
  /** A v4l2loopback device: something Smilecam can write into and call apps read as a camera. */
  isLoopback: boolean
}

export interface ListVideoDevicesOptions {
  /** Where the video4linux class lives (tests pass a fake tree). */
  sysRoot?: string
  /** Where device nodes live. */
  devRoot?: string
}

const LOOPBACK_DRIVER = 'v4l2loopback'
/** Attributes only v4l2loopback adds to its devices (older versions bind no driver link). */
const LOOPBACK_ATTRIBUTES = ['max_openers', 'buffers']

/** Every /dev/videoN that sysfs knows, in device-number order. No devices (or no sysfs) is an empty list. */
export async function listVideoDevices({ sysRoot = '/sys/class/video4linux', devRoot = '/dev' }: ListVideoDevicesOptions = {}): Promise<VideoDevice[]> {
  let entries: string[]
  try {
    entries = await readdir(sysRoot)
  } catch {
    return []
  }
  const devices: VideoDevice[] = []
  for (const entry of entries.filter((e) => /^video\d+$/.test(e)).sort(byDeviceNumber)) {
    const dir = join(sysRoot, entry)
    const name = (await readText(join(dir, 'name')))?.trim()
    if (name === undefined) continue
    const driver = await driverOf(dir)
    const hasLoopbackAttributes = (await Promise.all(LOOPBACK_ATTRIBUTES.map((a) => exists(join(dir, a))))).some(Boolean)
    devices.push({ path: join(devRoot, entry), name, driver, isLoopback: driver === LOOPBACK_DRIVER || hasLoopbackAttributes })
  }
  return devices
}

function byDeviceNumber(a: string, b: string): number {
  return Number(a.slice(5)) - Number(b.slice(5))
}

async function driverOf(dir: string): Promise<string | null> {
  try {
    return basename(await readlink(join(dir, 'device', 'driver')))
  } catch {
    return null
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return undefined
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

/** What a user runs to get a loopback device (the app shows it when none exists, then re-checks). */
export const LOOPBACK_SETUP = {
  package: 'v4l2loopback-dkms',
  install: 'sudo apt install v4l2loopback-dkms',
  load: 'sudo modprobe v4l2loopback exclusive_caps=1 card_label="Smilecam"'
} as const

export const NO_LOOPBACK_MESSAGE =
  `No virtual camera device found. Install the package ${LOOPBACK_SETUP.package} (${LOOPBACK_SETUP.install}), ` +
  `then run: ${LOOPBACK_SETUP.load}`

export type VirtualCameraSupport = { available: true } | { available: false; code: 'NOT_AVAILABLE'; reason: string }

const UNAVAILABLE_REASONS: Partial<Record<NodeJS.Platform, string>> = {
  win32:
    'The virtual camera is not available on Windows yet, because Windows has no v4l2loopback: it needs a ' +
    'Media Foundation virtual camera, which Smilecam does not ship yet.',
  darwin:
    'The virtual camera is not available on macOS yet, because macOS needs a signed CoreMediaIO camera ' +
    'extension that the user approves, which Smilecam does not ship yet.'
}

/** Whether this platform can have a Smilecam virtual camera at all (devices are a separate question). */
export function virtualCameraSupport(platform: NodeJS.Platform = process.platform): VirtualCameraSupport {
  if (platform === 'linux') return { available: true }
  const reason =
    UNAVAILABLE_REASONS[platform] ??
    `The virtual camera is not available on ${platform} yet, because it relies on v4l2loopback, a Linux kernel module.`
  return { available: false, code: 'NOT_AVAILABLE', reason }
}

/** Throws the typed NOT_AVAILABLE error where there is no virtual camera. */
export function requireVirtualCameraSupport(platform: NodeJS.Platform = process.platform): void {
  const support = virtualCameraSupport(platform)
  if (!support.available) throw new SmilecamError(support.code, support.reason)
}
