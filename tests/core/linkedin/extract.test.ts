import { describe, expect, it } from 'vitest'
import { SmilecamError } from '../../../src/shared/errors'
import {
  analyzeProfilePage,
  decodeHtmlEntities,
  extractProfilePhotoUrl,
  isGhostImageUrl,
  parseAttributes,
  parseSrcset,
  sizeFromPhotoUrl
} from '../../../src/core/linkedin/extract'
import {
  GHOST_PERSON_URL,
  authwallPage,
  feedPage,
  loginPage,
  noPhotoPage,
  ownProfilePage,
  signedInProfilePage,
  withPhotoPage
} from '../../fixtures/linkedin/pages'

const MEDIA = 'https://media.licdn.com'
const PAGE = 'https://www.linkedin.com/in/ada-fixture'
const SIGNED = '?e=2147483647&v=beta&t=fixture-signature_AbC123'

function codeOf(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (error instanceof SmilecamError) return error.code
    throw error
  }
  return 'no error'
}

describe('HTML helpers', () => {
  it('decodes entities in attribute values', () => {
    expect(decodeHtmlEntities('a.jpg?e=1&amp;v=beta&#38;t=x&#x26;y=&#47;&quot;&lt;')).toBe('a.jpg?e=1&v=beta&t=x&y=/"<')
    expect(decodeHtmlEntities('&unknown; &#0; &#x110000;')).toBe('&unknown; &#0; &#x110000;')
  })

  it('parses quoted, unquoted and valueless attributes', () => {
    expect(parseAttributes(` class="a b" data-x='1>2' width=100 hidden SRC="x&amp;y" src="second"`)).toEqual({
      class: 'a b',
      'data-x': '1>2',
      width: '100',
      hidden: '',
      src: 'x&y'
    })
  })

  it('reads sizes from LinkedIn URLs and srcset', () => {
    expect(sizeFromPhotoUrl(`${MEDIA}/dms/image/D4E03AQF/profile-displayphoto-shrink_800_800/0/1?e=1`)).toBe(800)
    expect(sizeFromPhotoUrl(`${MEDIA}/dms/image/x/profile-displayphoto-scale_400_400/0/1`)).toBe(400)
    expect(sizeFromPhotoUrl(`${MEDIA}/photo.jpg`)).toBe(0)
    expect(parseSrcset('a.jpg 100w, b.jpg 800w')).toEqual([
      { url: 'a.jpg', width: 100 },
      { url: 'b.jpg', width: 800 }
    ])
    expect(parseSrcset('a.jpg 1x, b.jpg 2x', 200)).toEqual([
      { url: 'a.jpg', width: 200 },
      { url: 'b.jpg', width: 400 }
    ])
  })

  it('recognises the default silhouette and static LinkedIn images', () => {
    expect(isGhostImageUrl(GHOST_PERSON_URL)).toBe(true)
    expect(isGhostImageUrl('https://static-exp1.licdn.com/sc/h/244xhbkr7g40x6bsu4gi6q4ry')).toBe(true)
    expect(isGhostImageUrl('https://example.com/img/ghost-person.png')).toBe(true)
    expect(isGhostImageUrl(`${MEDIA}/dms/image/x/profile-displayphoto-shrink_800_800/0/1`)).toBe(false)
    expect(isGhostImageUrl(`${MEDIA}/dms/image/v2/D4E03AQGhOsTz1/profile-displayphoto-shrink_800_800/0/1`)).toBe(false)
  })
})

describe('analyzeProfilePage', () => {
  it('prefers the largest photo: og:image 800 over the 100 px top-card image', () => {
    const analysis = analyzeProfilePage(withPhotoPage(MEDIA), PAGE)
    expect(analysis.kind).toBe('photo')
    if (analysis.kind !== 'photo') return
    // Entities decoded: the signed query string survives intact.
    expect(analysis.photoUrl).toBe(`${MEDIA}/media/photo-800.jpg${SIGNED}`)
    expect(analysis.size).toBe(800)
    const sources = new Set(analysis.candidates.map((candidate) => candidate.source))
    expect(sources).toEqual(new Set(['og:image', 'json-ld', 'img']))
    // Colleagues, "people also viewed", commented-out and script-embedded images are never candidates.
    const urls = analysis.candidates.map((candidate) => candidate.url).join(' ')
    for (const stray of ['someone-else', 'commented-out', 'from-script']) expect(urls).not.toContain(stray)
    // The data: placeholder and the ghost fallback are not taken for the photo.
    expect(urls).not.toContain('data:')
  })

  it('uses each source alone: og:image, JSON-LD, the top-card img', () => {
    const ogOnly = `<html><head><meta property="og:image" content="${MEDIA}/a.jpg"></head></html>`
    expect(extractProfilePhotoUrl(ogOnly, PAGE)).toBe(`${MEDIA}/a.jpg`)
    const jsonLdOnly = `<script type="application/ld+json">
      {"@context":"http://schema.org","@type":"ProfilePage","mainEntity":{"@type":"Person","image":"${MEDIA}\\/b.jpg"}}
    </script>`
    expect(extractProfilePhotoUrl(jsonLdOnly, PAGE)).toBe(`${MEDIA}/b.jpg`)
    const imgOnly = `<img class="pv-top-card-profile-picture__image" src="/relative/c.jpg">`
    expect(extractProfilePhotoUrl(imgOnly, PAGE)).toBe('https://www.linkedin.com/relative/c.jpg')
  })

  it('picks the 2x srcset rendition of the signed-in top card and ignores other avatars', () => {
    const url = extractProfilePhotoUrl(signedInProfilePage(MEDIA), PAGE)
    expect(url).toContain('profile-displayphoto-shrink_400_400/photo.jpg')
    expect(url).toContain('&t=fixture-signature')
  })

  it('finds a photo with generic classes inside a known top-card wrapper', () => {
    const photo = `${MEDIA}/dms/image/v2/X/profile-displayphoto-shrink_400_400/0/1`
    const html = `<div class="pv-top-card__photo-wrapper ml0"><div class="presence-entity">
        <img class="evi-image ember-view" src="${photo}" alt="Ada Fixture"></div></div>
      <img class="evi-image" src="${MEDIA}/dms/image/v2/Y/profile-displayphoto-shrink_800_800/0/1" alt="Someone else">`
    expect(extractProfilePhotoUrl(html, PAGE)).toBe(photo)
    // Without the wrapper neither generic image counts.
    expect(analyzeProfilePage(html.replace('pv-top-card__photo-wrapper', 'other-wrapper'), PAGE).kind).toBe('unknown')
  })

  it("finds the own-profile edit preview", () => {
    expect(extractProfilePhotoUrl(ownProfilePage(MEDIA), PAGE)).toContain('profile-displayphoto-shrink_800_800')
  })

  it('reports the default silhouette as no photo, even with the sign-in modal on the page', () => {
    expect(analyzeProfilePage(noPhotoPage(), PAGE).kind).toBe('no-photo')
    expect(codeOf(() => extractProfilePhotoUrl(noPhotoPage(), PAGE))).toBe('NO_PROFILE_PHOTO')
  })

  it('treats a top-card img with a ghost class as no photo whatever its URL', () => {
    const html = `<meta property="og:type" content="profile">
      <img class="pv-top-card-profile-picture__image ghost-person" src="${MEDIA}/dms/image/placeholder.png">`
    expect(analyzeProfilePage(html, PAGE).kind).toBe('no-photo')
  })

  it('detects the authwall and the login page', () => {
    expect(analyzeProfilePage(authwallPage(), PAGE).kind).toBe('sign-in')
    expect(analyzeProfilePage(loginPage(), PAGE).kind).toBe('sign-in')
    expect(analyzeProfilePage('<html></html>', 'https://www.linkedin.com/authwall?trk=x').kind).toBe('sign-in')
    expect(codeOf(() => extractProfilePhotoUrl(authwallPage(), PAGE))).toBe('SIGN_IN_REQUIRED')
  })

  it('says unknown for pages without photo, silhouette or sign-in markers', () => {
    expect(analyzeProfilePage(feedPage(), 'https://www.linkedin.com/feed/').kind).toBe('unknown')
    expect(analyzeProfilePage('', PAGE).kind).toBe('unknown')
    expect(codeOf(() => extractProfilePhotoUrl('<html><body>Loading…</body></html>', PAGE))).toBe('NO_PROFILE_PHOTO')
  })

  it('survives broken JSON-LD and odd markup', () => {
    const html = `<script type="application/ld+json">{"@type": "Person", "image": </script>
      <meta property="og:image" content="javascript:alert(1)">
      <img class="top-card__profile-image" data-delayed-url="  ">
      <meta property="og:image" content="${MEDIA}/second.jpg">`
    // The first og:image wins as in browsers; it is not http(s) so nothing usable is found.
    expect(analyzeProfilePage(html, PAGE).kind).toBe('unknown')
    expect(analyzeProfilePage('<img class="top-card__profile-image" src=">', PAGE).kind).toBe('unknown')
  })
})
