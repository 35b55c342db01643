import { describe, expect, it } from 'vitest'
import {
  DEFAULT_SIGN_IN_TIMEOUTS,
  INITIAL_SIGN_IN_STATE,
  MAX_PROFILE_LOADS,
  decideSignInStep,
  isAllowedNavigation,
  isAllowedPhotoUrl,
  isAllowedPopup,
  nextSignInState,
  phaseTimeoutError,
  phaseTimeoutMs,
  type SignInDecision,
  type SignInState
} from '../../../src/main/linkedin/sign-in-flow'
import { authwallPage, feedPage, loginPage, noPhotoPage, signedInProfilePage, withPhotoPage } from '../../fixtures/linkedin/pages'

const PROFILE = 'https://www.linkedin.com/in/ada-fixture'
const MEDIA = 'https://media.licdn.com'
const SIGNING_IN: SignInState = { phase: 'signing-in', profileLoads: 1 }

function decide(state: SignInState, url: string, html: string, httpStatus?: number): SignInDecision {
  return decideSignInStep(state, { url, html, httpStatus }, PROFILE)
}

function failCode(decision: SignInDecision): string {
  return decision.action === 'fail' ? decision.error.code : decision.action
}

describe('decideSignInStep', () => {
  it('downloads as soon as the profile with a photo is there', () => {
    const decision = decide(INITIAL_SIGN_IN_STATE, PROFILE, withPhotoPage(MEDIA), 200)
    expect(decision).toEqual({ action: 'download', photoUrl: expect.stringContaining('/media/photo-800.jpg') })
    // LinkedIn may rename the slug: any /in/ page counts as the profile.
    expect(decide(INITIAL_SIGN_IN_STATE, 'https://www.linkedin.com/in/ada-fixture-2/', signedInProfilePage(MEDIA)).action).toBe('download')
  })

  it('shows the window on the authwall or login page, then waits while the user signs in', () => {
    const authwall = decide(INITIAL_SIGN_IN_STATE, 'https://www.linkedin.com/authwall?trk=x', authwallPage())
    expect(authwall.action).toBe('show-sign-in')
    const state = nextSignInState(INITIAL_SIGN_IN_STATE, authwall)
    expect(state.phase).toBe('signing-in')
    expect(decide(state, 'https://www.linkedin.com/login', loginPage()).action).toBe('wait')
    expect(decide(state, 'https://www.linkedin.com/checkpoint/challenge/x', '<html></html>').action).toBe('wait')
    // A sign-in page served at the profile URL itself.
    expect(decide(INITIAL_SIGN_IN_STATE, PROFILE, loginPage()).action).toBe('show-sign-in')
  })

  it('waits on other sites (identity providers, about:blank) and on a profile still rendering', () => {
    expect(decide(SIGNING_IN, 'https://accounts.google.com/o/oauth2', '<html></html>').action).toBe('wait')
    expect(decide(INITIAL_SIGN_IN_STATE, 'about:blank', '').action).toBe('wait')
    expect(decide(INITIAL_SIGN_IN_STATE, PROFILE, '<html><body><div id="app"></div></body></html>')).toEqual({ action: 'wait', reason: 'rendering' })
  })

  it('loads the profile again when sign-in lands on the feed, a bounded number of times', () => {
    let state: SignInState = SIGNING_IN
    for (let load = 1; load < MAX_PROFILE_LOADS; load++) {
      const decision = decide(state, 'https://www.linkedin.com/feed/', feedPage())
      expect(decision.action).toBe('load-profile')
      state = nextSignInState(state, decision)
      expect(state).toEqual({ phase: 'loading', profileLoads: load + 1 })
    }
    expect(failCode(decide(state, 'https://www.linkedin.com/feed/', feedPage()))).toBe('REDIRECT_LOOP')
  })

  it('fails with the matching error', () => {
    expect(failCode(decide(INITIAL_SIGN_IN_STATE, PROFILE, noPhotoPage(), 200))).toBe('NO_PROFILE_PHOTO')
    expect(failCode(decide(INITIAL_SIGN_IN_STATE, PROFILE, '<html></html>', 999))).toBe('BLOCKED')
    expect(failCode(decide(INITIAL_SIGN_IN_STATE, PROFILE, '<html></html>', 404))).toBe('PROFILE_NOT_FOUND')
    expect(failCode(decide(INITIAL_SIGN_IN_STATE, 'https://www.linkedin.com/404/', '<html></html>'))).toBe('PROFILE_NOT_FOUND')
  })

  it('honours a test origin only when given', () => {
    const origin = 'http://127.0.0.1:4000'
    const page = { url: `${origin}/authwall`, html: authwallPage() }
    expect(decideSignInStep(INITIAL_SIGN_IN_STATE, page, `${origin}/in/x`, [origin]).action).toBe('show-sign-in')
    expect(decideSignInStep(INITIAL_SIGN_IN_STATE, page, `${origin}/in/x`).action).toBe('wait')
  })
})

describe('phase timeouts', () => {
  it('gives the user minutes to sign in and pages seconds to load', () => {
    expect(phaseTimeoutMs('loading', DEFAULT_SIGN_IN_TIMEOUTS)).toBe(DEFAULT_SIGN_IN_TIMEOUTS.pageTimeoutMs)
    expect(phaseTimeoutMs('signing-in', DEFAULT_SIGN_IN_TIMEOUTS)).toBe(DEFAULT_SIGN_IN_TIMEOUTS.signInTimeoutMs)
    expect(phaseTimeoutMs('signing-in', DEFAULT_SIGN_IN_TIMEOUTS)).toBeGreaterThan(phaseTimeoutMs('loading', DEFAULT_SIGN_IN_TIMEOUTS))
    expect(phaseTimeoutError('signing-in', DEFAULT_SIGN_IN_TIMEOUTS)).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/Sign-in/) })
    expect(phaseTimeoutError('loading', DEFAULT_SIGN_IN_TIMEOUTS)).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/Loading/) })
    // The profile loaded but never showed a photo we know: say so rather than blame the connection.
    expect(phaseTimeoutError('loading', DEFAULT_SIGN_IN_TIMEOUTS, 'rendering').code).toBe('NO_PROFILE_PHOTO')
    expect(phaseTimeoutError('loading', DEFAULT_SIGN_IN_TIMEOUTS, 'elsewhere').code).toBe('TIMEOUT')
  })
})

describe('isAllowedNavigation', () => {
  it('keeps the LinkedIn window on LinkedIn', () => {
    expect(isAllowedNavigation('https://www.linkedin.com/login')).toBe(true)
    expect(isAllowedNavigation('https://static.licdn.com/aero-v1/sc/h/x')).toBe(true)
    expect(isAllowedNavigation('about:blank')).toBe(true)
    expect(isAllowedNavigation('https://evil.example/phish')).toBe(false)
    expect(isAllowedNavigation('http://media.licdn.com/x')).toBe(false)
    expect(isAllowedNavigation('file:///etc/passwd')).toBe(false)
    expect(isAllowedNavigation('http://127.0.0.1:4000/in/x')).toBe(false)
    expect(isAllowedNavigation('http://127.0.0.1:4000/in/x', ['http://127.0.0.1:4000'])).toBe(true)
  })

  it('uses https only: no plain-http LinkedIn page, where the session cookie would travel in the clear', () => {
    expect(isAllowedNavigation('http://www.linkedin.com/login')).toBe(false)
    expect(isAllowedNavigation('http://linkedin.com/in/x')).toBe(false)
  })

  it('allows the Google and Apple sign-in pages (https), nothing else of theirs', () => {
    expect(isAllowedNavigation('https://accounts.google.com/v3/signin/identifier?continue=x')).toBe(true)
    expect(isAllowedNavigation('https://appleid.apple.com/auth/authorize')).toBe(true)
    expect(isAllowedNavigation('https://idmsa.apple.com/appleauth/auth')).toBe(true)
    expect(isAllowedNavigation('http://accounts.google.com/')).toBe(false)
    expect(isAllowedNavigation('https://www.google.com/search?q=x')).toBe(false)
    expect(isAllowedNavigation('https://accounts.google.com.evil.example/')).toBe(false)
    expect(isAllowedPopup('https://accounts.google.com/o/oauth2/auth')).toBe(true)
    expect(isAllowedPopup('https://www.linkedin.com/feed')).toBe(false)
  })
})

describe('isAllowedPhotoUrl', () => {
  it('lets the in-app download reach LinkedIn photo hosts over https only', () => {
    expect(isAllowedPhotoUrl('https://media.licdn.com/dms/image/v2/x/profile-displayphoto-shrink_800_800/0?e=1&t=x')).toBe(true)
    expect(isAllowedPhotoUrl('https://www.linkedin.com/dms/x.jpg')).toBe(true)
    for (const url of ['http://media.licdn.com/x.jpg', 'https://169.254.169.254/latest/meta-data', 'https://media.licdn.com:8443/x', 'https://licdn.com.evil.example/x', 'file:///etc/passwd']) {
      expect(isAllowedPhotoUrl(url)).toBe(false)
    }
    expect(isAllowedPhotoUrl('http://127.0.0.1:4000/media/a.jpg', ['http://127.0.0.1:4000'])).toBe(true)
  })
})
