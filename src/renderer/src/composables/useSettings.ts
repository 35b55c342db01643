/**
 * The user's settings, loaded once per app and shared by provide/inject (Live and Settings
 * pages read the same reactive object). Every change is persisted through settings.set,
 * and the stored result (as the main side normalised it) replaces the local copy.
 */
import { inject, reactive, ref, type InjectionKey, type Ref } from 'vue'
import type { SmilecamApi } from '../../../shared/api'
import { SmilecamError } from '../../../shared/errors'
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../../../shared/settings'

export interface SettingsStore {
  settings: Settings
  loaded: Ref<boolean>
  /** Set when the stored settings were unreadable and defaults are in use. */
  warning: Ref<string | null>
  error: Ref<string | null>
  load(): Promise<void>
  update(patch: SettingsPatch): Promise<void>
}

export const SETTINGS_STORE_KEY: InjectionKey<SettingsStore> = Symbol('settings-store')

function copyInto(target: Settings, source: Settings): void {
  for (const section of Object.keys(source) as (keyof Settings)[]) {
    Object.assign(target[section], source[section])
  }
}

export function createSettingsStore(api: SmilecamApi): SettingsStore {
  const settings = reactive(structuredClone(DEFAULT_SETTINGS)) as Settings
  const loaded = ref(false)
  const warning = ref<string | null>(null)
  const error = ref<string | null>(null)
  let saving: Promise<void> = Promise.resolve()
  let latestUpdate = 0

  return {
    settings,
    loaded,
    warning,
    error,
    async load() {
      try {
        const result = await api.settings.get()
        copyInto(settings, result.settings)
        warning.value = result.warning ?? null
        error.value = null
      } catch (caught) {
        error.value = SmilecamError.from(caught).message
      } finally {
        loaded.value = true
      }
    },
    update(patch) {
      // Show the change at once. Saves run one after another, and only the answer to the
      // newest one is copied back (it may clamp values); an older answer would undo newer edits.
      for (const section of Object.keys(patch) as (keyof Settings)[]) Object.assign(settings[section], patch[section])
      const ticket = ++latestUpdate
      const save = saving.then(async () => {
        try {
          const stored = await api.settings.set(patch)
          if (ticket === latestUpdate) copyInto(settings, stored)
          error.value = null
        } catch (caught) {
          error.value = `Settings were not saved: ${SmilecamError.from(caught).message}`
        }
      })
      saving = save
      return save
    }
  }
}

export function useSettings(): SettingsStore {
  const store = inject(SETTINGS_STORE_KEY)
  if (!store) throw new Error('SettingsStore was not provided')
  return store
}
