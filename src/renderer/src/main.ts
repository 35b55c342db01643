import { createApp, h } from 'vue'
import App from './App.vue'
import StartupError from './components/StartupError.vue'
import { getSmilecamApi, SMILECAM_API_KEY } from './api'
import { createSettingsStore, SETTINGS_STORE_KEY } from './composables/useSettings'
import { SmilecamError } from '../../shared/errors'
import './assets/main.css'

function mount(): void {
  let api
  try {
    api = getSmilecamApi()
  } catch (error) {
    const message = SmilecamError.from(error).message
    createApp({ render: () => h(StartupError, { message }) }).mount('#app')
    return
  }
  const settings = createSettingsStore(api)
  const app = createApp(App)
  app.provide(SMILECAM_API_KEY, api)
  app.provide(SETTINGS_STORE_KEY, settings)
  app.mount('#app')
  void settings.load()
}

mount()
