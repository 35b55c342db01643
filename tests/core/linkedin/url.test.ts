import { describe, expect, it } from 'vitest'
import { SmilecamError } from '../../../src/shared/errors'
import {
  displayUrl,
  isLinkedInHost,
  isNotFoundUrl,
  isProfilePageUrl,
  isSignInUrl,
  parseProfileUrl,
  withScheme
} from '../../../src/core/linkedin/url'

function errorOf(run: () => unknown): SmilecamError {
  try {
    run()
  } catch (error) {
    if (error instanceof SmilecamError) return error
    throw error
  }
  throw new Error('expected a SmilecamError')
}

describe('parseProfileUrl', () => {
  it.each([
    ['https://www.linkedin.com/in/jane-doe', 'jane-doe'],
    ['https://www.linkedin.com/in/jane-doe/', 'jane-doe'],
    ['https://linkedin.com/in/jane-doe', 'jane-doe'],
    ['https://uk.linkedin.com/in/jane-doe', 'jane-doe'],
    ['https://de.linkedin.com/in/jane-doe/?originalSubdomain=de', 'jane-doe'],
    ['http://www.linkedin.com/in/jane-doe', 'jane-doe'],
    ['www.linkedin.com/in/jane-doe', 'jane-doe'],
    ['linkedin.com/in/jane-doe/', 'jane-doe'],
    ['  https://www.linkedin.com/in/jane-doe?trk=public_profile#experience  ', 'jane-doe'],
    ['HTTPS://WWW.LINKEDIN.COM/in/Jane_Doe-42', 'Jane_Doe-42'],
    ['https://www.linkedin.com/in/j%C3%B6rg-m%C3%BCller-1a2b3c', 'jörg-müller-1a2b3c'],
    ['https://www.linkedin.com/in/jörg-müller', 'jörg-müller']
  ])('accepts %s', (input, slug) => {
    const parsed = parseProfileUrl(input)
    expect(parsed.slug).toBe(slug)
    expect(parsed.url).toBe(`https://www.linkedin.com/in/${encodeURIComponent(slug)}`)
  })

  it.each([
    ['', 'Paste a LinkedIn profile URL'],
    ['jane-doe', 'is not a web address'],
    ['ftp://www.linkedin.com/in/jane-doe', 'is not a web address'],
    ['javascript:alert(1)', 'is not a web address'],
    ['https://www.linkedin.com.evil.example/in/jane-doe', 'is not a LinkedIn address'],
    ['https://evil-linkedin.com/in/jane-doe', 'is not a LinkedIn address'],
    ['https://linkedin.com@evil.example/in/jane-doe', 'is not a LinkedIn address'],
    ['https://www.linkedin.com:8443/in/jane-doe', 'not a LinkedIn profile address'],
    ['https://www.linkedin.com/company/acme', 'is a LinkedIn page but not a profile'],
    ['https://www.linkedin.com/in/', 'is a LinkedIn page but not a profile'],
    ['https://www.linkedin.com/in/jane-doe/details/experience', 'is a LinkedIn page but not a profile'],
    ['https://www.linkedin.com/in/a', 'does not contain a valid profile name'],
    ['https://www.linkedin.com/in/%E0%A4%A', 'does not contain a valid profile name'],
    ['https://www.linkedin.com/in/jane%20doe', 'does not contain a valid profile name'],
    ['http://127.0.0.1:4000/in/jane-doe', 'is not a LinkedIn address']
  ])('rejects %s with INVALID_URL and an example', (input, reason) => {
    const error = errorOf(() => parseProfileUrl(input))
    expect(error.code).toBe('INVALID_URL')
    expect(error.message).toContain(reason)
    expect(error.message).toContain('https://www.linkedin.com/in/your-name')
  })

  it('shortens a huge paste in the message', () => {
    const error = errorOf(() => parseProfileUrl(`https://example.com/${'x'.repeat(5000)}`))
    expect(error.message.length).toBeLessThan(400)
  })

  it('accepts an explicitly allowed test origin, keeping it in the canonical URL', () => {
    const origins = ['http://127.0.0.1:4000']
    expect(parseProfileUrl('http://127.0.0.1:4000/in/with-photo/', origins)).toEqual({
      url: 'http://127.0.0.1:4000/in/with-photo',
      slug: 'with-photo'
    })
    expect(errorOf(() => parseProfileUrl('http://127.0.0.1:4001/in/with-photo', origins)).code).toBe('INVALID_URL')
    // LinkedIn itself stays accepted next to a test origin.
    expect(parseProfileUrl('linkedin.com/in/jane-doe', origins).url).toBe('https://www.linkedin.com/in/jane-doe')
  })
})

describe('host and page rules', () => {
  it('knows LinkedIn hosts', () => {
    expect(isLinkedInHost('www.linkedin.com')).toBe(true)
    expect(isLinkedInHost('fr.linkedin.com')).toBe(true)
    expect(isLinkedInHost('LINKEDIN.COM')).toBe(true)
    expect(isLinkedInHost('media.licdn.com')).toBe(false)
    expect(isLinkedInHost('linkedin.com.example')).toBe(false)
    expect(isLinkedInHost('notlinkedin.com')).toBe(false)
  })

  it('recognises sign-in, authwall and 404 pages by URL', () => {
    expect(isSignInUrl('https://www.linkedin.com/authwall?trk=x&sessionRedirect=y')).toBe(true)
    expect(isSignInUrl('https://www.linkedin.com/login')).toBe(true)
    expect(isSignInUrl('https://www.linkedin.com/uas/login?session_redirect=z')).toBe(true)
    expect(isSignInUrl('https://www.linkedin.com/checkpoint/challenge/abc')).toBe(true)
    expect(isSignInUrl('https://www.linkedin.com/signup/cold-join')).toBe(true)
    expect(isSignInUrl('https://www.linkedin.com/in/login')).toBe(false)
    expect(isSignInUrl('https://www.linkedin.com/loginsomething')).toBe(false)
    expect(isSignInUrl('https://example.com/login')).toBe(false)
    expect(isSignInUrl('http://127.0.0.1:4000/authwall', ['http://127.0.0.1:4000'])).toBe(true)
    expect(isNotFoundUrl('https://www.linkedin.com/404/')).toBe(true)
    expect(isNotFoundUrl('https://www.linkedin.com/in/404-fan')).toBe(false)
    expect(isProfilePageUrl('https://www.linkedin.com/in/other-slug/')).toBe(true)
    expect(isProfilePageUrl('https://www.linkedin.com/feed/')).toBe(false)
  })

  it('adds a scheme only to things that look like addresses', () => {
    expect(withScheme('example.com/a.jpg')).toBe('https://example.com/a.jpg')
    expect(withScheme('//cdn.example.com/a.jpg')).toBe('https://cdn.example.com/a.jpg')
    expect(withScheme('http://x.example')).toBe('http://x.example')
    expect(withScheme('not an address')).toBe('not an address')
  })

  it('drops query and fragment for display (signed URLs carry tokens there)', () => {
    expect(displayUrl('https://media.licdn.com/dms/image/x/photo.jpg?e=1&t=secret#f')).toBe(
      'https://media.licdn.com/dms/image/x/photo.jpg'
    )
  })
})
