/**
 * Every decision of the in-app LinkedIn window, as pure functions (the Electron file only wires
 * them): what the loaded page is, what to do next, how long each phase may take, where the window
 * may navigate.
 */
import type { SmilecamError } from '../../shared/errors'
import {
  analyzeProfilePage,
  isAllowedTestOrigin,
  isLinkedInHost,
  isLinkedInUrl,
  isNotFoundUrl,
  isProfilePageUrl,
  isSignInUrl,
  linkedInErrors,
  type AllowedOrigins
} from '../../core'

/** `loading`: hidden window loading the profile. `signing-in`: window shown, the user signs in. */
export type SignInPhase = 'loading' | 'signing-in'

export interface SignInState {
  phase: SignInPhase
  /** How many times the profile URL was (re)loaded; bounded so a bounce between pages ends. */
  profileLoads: number
}

export const INITIAL_SIGN_IN_STATE: SignInState = { phase: 'loading', profileLoads: 1 }

/** After this many profile loads without reaching the profile the flow gives up (REDIRECT_LOOP). */
export const MAX_PROFILE_LOADS = 4

/** What the window shows right now. */
export interface PageSnapshot {
  url: string
  html: string
  /** HTTP status of the last main-frame navigation, when known. */
  httpStatus?: number
}

/** Why nothing happens yet: the user is signing in, the profile is still rendering, or the window is on another site. */
export type WaitReason = 'signing-in' | 'rendering' | 'elsewhere'

export type SignInDecision =
  | { action: 'wait'; reason: WaitReason }
  /** LinkedIn wants a sign-in: show the window so the user signs in themselves. */
  | { action: 'show-sign-in' }
  /** Signed in but elsewhere (e.g. the feed): load the profile again. */
  | { action: 'load-profile' }
  /** The profile is here: download this photo now (signed URLs expire). */
  | { action: 'download'; photoUrl: string }
  | { action: 'fail'; error: SmilecamError }

function signInOrWait(state: SignInState): SignInDecision {
  return state.phase === 'signing-in' ? { action: 'wait', reason: 'signing-in' } : { action: 'show-sign-in' }
}

/** Decides the next step from the page the window shows. */
export function decideSignInStep(
  state: SignInState,
  page: PageSnapshot,
  profileUrl: string,
  allowedOrigins?: AllowedOrigins
): SignInDecision {
  const onLinkedIn = (() => {
    try {
      return isLinkedInUrl(new URL(page.url), allowedOrigins)
    } catch {
      return false
    }
  })()
  // Other sites (about:blank while starting, an identity provider) are never decided on.
  if (!onLinkedIn) return { action: 'wait', reason: 'elsewhere' }
  if (page.httpStatus === 999 || page.httpStatus === 429) return { action: 'fail', error: linkedInErrors.blocked(page.httpStatus) }
  if (isSignInUrl(page.url, allowedOrigins)) return signInOrWait(state)
  if (isNotFoundUrl(page.url, allowedOrigins)) return { action: 'fail', error: linkedInErrors.profileNotFound(profileUrl) }

  const analysis = analyzeProfilePage(page.html, page.url, allowedOrigins)
  if (isProfilePageUrl(page.url, allowedOrigins)) {
    if (page.httpStatus === 404 || page.httpStatus === 410) {
      return { action: 'fail', error: linkedInErrors.profileNotFound(profileUrl) }
    }
    switch (analysis.kind) {
      case 'photo':
        return { action: 'download', photoUrl: analysis.photoUrl }
      case 'no-photo':
        return { action: 'fail', error: linkedInErrors.noProfilePhoto() }
      case 'sign-in':
        return signInOrWait(state)
      case 'unknown':
        return { action: 'wait', reason: 'rendering' } // the signed-in profile is rendered by script; look again shortly
    }
  }
  if (analysis.kind === 'sign-in') return signInOrWait(state)
  // A LinkedIn page that is not the profile: after sign-in LinkedIn often lands on the feed.
  if (state.profileLoads >= MAX_PROFILE_LOADS) {
    return { action: 'fail', error: linkedInErrors.redirectLoop('LinkedIn', state.profileLoads) }
  }
  return { action: 'load-profile' }
}

/** The state after acting on `decision`. */
export function nextSignInState(state: SignInState, decision: SignInDecision): SignInState {
  switch (decision.action) {
    case 'show-sign-in':
      return { ...state, phase: 'signing-in' }
    case 'load-profile':
      return { phase: 'loading', profileLoads: state.profileLoads + 1 }
    default:
      return state
  }
}

export interface SignInTimeouts {
  /** Loading a page while hidden (or after sign-in). */
  pageTimeoutMs: number
  /** The user signing in. */
  signInTimeoutMs: number
}

export const DEFAULT_SIGN_IN_TIMEOUTS: SignInTimeouts = {
  pageTimeoutMs: 45_000,
  signInTimeoutMs: 10 * 60_000
}

export function phaseTimeoutMs(phase: SignInPhase, timeouts: SignInTimeouts): number {
  return phase === 'signing-in' ? timeouts.signInTimeoutMs : timeouts.pageTimeoutMs
}

/**
 * The error when a phase runs out of time. A profile that loaded but never showed a photo we
 * recognise is reported as such, not as a slow connection.
 */
export function phaseTimeoutError(phase: SignInPhase, timeouts: SignInTimeouts, lastWait?: WaitReason): SmilecamError {
  if (phase === 'signing-in') return linkedInErrors.signInTimeout(timeouts.signInTimeoutMs)
  if (lastWait === 'rendering') return linkedInErrors.photoNotFoundOnPage()
  return linkedInErrors.timeout('Loading the LinkedIn profile', timeouts.pageTimeoutMs)
}

/**
 * Sign-in pages of the identity providers LinkedIn offers ("Continue with Google / Apple"). People
 * who sign in to LinkedIn that way need them in the LinkedIn window; they load in the same
 * LinkedIn-only partition, over https only.
 */
const SIGN_IN_PROVIDER_HOST = /^(?:accounts\.google\.com|accounts\.youtube\.com|appleid\.apple\.com|idmsa\.apple\.com)$/i

/** LinkedIn's static and media CDN. */
const LINKEDIN_CDN_HOST = /(?:^|\.)licdn\.com$/i

function parseHttpUrl(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

export function isSignInProviderUrl(url: string): boolean {
  const parsed = parseHttpUrl(url)
  return parsed !== null && parsed.protocol === 'https:' && SIGN_IN_PROVIDER_HOST.test(parsed.hostname)
}

/**
 * Where the sign-in window may go: LinkedIn itself and its CDN (licdn.com), the Google and Apple
 * sign-in pages, all over https only (a cookie must never travel over plain http), and an explicit
 * test origin. Everything else is blocked so the partition stays LinkedIn-only.
 */
export function isAllowedNavigation(url: string, allowedOrigins?: AllowedOrigins): boolean {
  const parsed = parseHttpUrl(url)
  if (!parsed) return false
  if (parsed.href === 'about:blank') return true
  if (isAllowedTestOrigin(parsed, allowedOrigins)) return true
  if (parsed.protocol !== 'https:') return false
  return isLinkedInHost(parsed.hostname) || LINKEDIN_CDN_HOST.test(parsed.hostname) || SIGN_IN_PROVIDER_HOST.test(parsed.hostname)
}

/** Pop-ups the LinkedIn window may open: only the Google/Apple sign-in pages (their "sign in with" buttons open one). */
export function isAllowedPopup(url: string): boolean {
  return isSignInProviderUrl(url)
}

/**
 * Where the in-app photo download may go (it runs on Electron's network stack, outside the
 * public-address guard of the headless flow): LinkedIn's CDN or LinkedIn over https, or the test origin.
 */
export function isAllowedPhotoUrl(url: string, allowedOrigins?: AllowedOrigins): boolean {
  const parsed = parseHttpUrl(url)
  if (!parsed) return false
  if (isAllowedTestOrigin(parsed, allowedOrigins)) return true
  return parsed.protocol === 'https:' && parsed.port === '' && (LINKEDIN_CDN_HOST.test(parsed.hostname) || isLinkedInHost(parsed.hostname))
}
