/**
 * Which SmilecamApi the UI talks to: the Electron preload's `window.smilecam`, or the
 * browser-mode bridge. Components get it by inject (useSmilecamApi), never from a global.
 */
import { inject, type InjectionKey } from 'vue'
import type { SmilecamApi } from '../../../shared/api'
import { SmilecamError } from '../../../shared/errors'
import { createBrowserBridge } from './browser-bridge'
import { takeBridgeToken } from './token'

export const SMILECAM_API_KEY: InjectionKey<SmilecamApi> = Symbol('smilecam-api')

export function getSmilecamApi(): SmilecamApi {
  if (window.smilecam) return window.smilecam
  const token = takeBridgeToken({
    location: window.location,
    storage: window.sessionStorage,
    replaceUrl: (url) => window.history.replaceState(null, '', url)
  })
  if (!token) {
    throw new SmilecamError(
      'FORBIDDEN',
      'No access token. Open Smilecam with the link printed by `npm run dev:web` (it ends in ?token=…).'
    )
  }
  return createBrowserBridge({
    baseUrl: '',
    token,
    fetch: window.fetch.bind(window),
    createEventSource: (url) => new EventSource(url)
  })
}

export function useSmilecamApi(): SmilecamApi {
  const api = inject(SMILECAM_API_KEY)
  if (!api) throw new Error('SmilecamApi was not provided (app.provide(SMILECAM_API_KEY, api))')
  return api
}
