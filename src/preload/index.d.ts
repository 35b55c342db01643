import type { SmilecamApi } from '../shared/api'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode until the bridge installs its client. */
    smilecam: SmilecamApi
  }
}

export {}
