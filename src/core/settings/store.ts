/**
 * SettingsStore: the settings JSON file on disk. The file path is a parameter
 * (app.getPath('userData') in Electron, a flag in browser-mode tests).
 */
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Settings, SettingsLoadResult, SettingsPatch } from '../../shared/settings'
import { SmilecamError } from '../../shared/errors'
import { mergeSettings, sanitizeSettings } from './settings'

export interface SettingsStore {
  /** Reads the file once (later calls return the same answer); never throws for a bad file. */
  load(): Promise<SettingsLoadResult>
  /** Merges a patch, writes the file atomically and returns the new settings. */
  update(patch: SettingsPatch): Promise<Settings>
}

export interface SettingsStoreOptions {
  file: string
}

function describeReadFailure(error: unknown): string {
  if (error instanceof SyntaxError) return 'it is not valid JSON'
  return error instanceof Error ? error.message : String(error)
}

/** Writes through a temp file and rename, so a crash never leaves half a file. */
async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`
  try {
    await writeFile(temp, text, { encoding: 'utf8', mode: 0o600 })
    await rename(temp, file)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

export function createSettingsStore({ file }: SettingsStoreOptions): SettingsStore {
  let loaded: Promise<SettingsLoadResult> | undefined
  // Updates run one after another so two quick patches cannot lose each other.
  let writeChain: Promise<unknown> = Promise.resolve()

  async function readFromDisk(): Promise<SettingsLoadResult> {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return sanitizeNoWarning()
      return fallback(`Settings could not be read (${describeReadFailure(error)}); defaults are used.`)
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (error) {
      // Keep the unreadable file next to the new one so nothing the user set is lost for good.
      await copyFile(file, `${file}.corrupt`).catch(() => undefined)
      return fallback(`The settings file was damaged (${describeReadFailure(error)}); defaults are used.`)
    }
    const { settings, problems } = sanitizeSettings(raw)
    if (problems.length === 0) return { settings }
    return { settings, warning: `Some settings were invalid and were reset to defaults: ${problems.join('; ')}.` }
  }

  function sanitizeNoWarning(): SettingsLoadResult {
    return { settings: sanitizeSettings({}).settings }
  }

  function fallback(warning: string): SettingsLoadResult {
    return { settings: sanitizeSettings({}).settings, warning }
  }

  function load(): Promise<SettingsLoadResult> {
    loaded ??= readFromDisk()
    return loaded
  }

  function update(patch: SettingsPatch): Promise<Settings> {
    const next = writeChain.then(async () => {
      const current = await load()
      const settings = mergeSettings(current.settings, patch)
      try {
        await writeFileAtomic(file, `${JSON.stringify(settings, null, 2)}\n`)
      } catch (error) {
        throw new SmilecamError('INTERNAL', `Settings could not be saved: ${describeReadFailure(error)}`)
      }
      // Once saved, the old warning no longer applies.
      loaded = Promise.resolve({ settings })
      return settings
    })
    writeChain = next.catch(() => undefined)
    return next
  }

  return { load, update }
}
