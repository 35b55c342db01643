/**
 * The linear HTML scan under the profile-photo extractor: what it finds (known answers), and
 * hostile markup that made the old regular expressions quadratic (100 KB of unterminated `<img`
 * took 7.8 s). The bounds below are generous — the work done is what is asserted first.
 */
import { describe, expect, it } from 'vitest'
import { analyzeProfilePage } from '../../../src/core/linkedin/extract'
import { MAX_SCANNED_HTML_CHARS, scanHtml } from '../../../src/core/linkedin/html-scan'

const PAGE_URL = 'https://www.linkedin.com/in/jane-doe'
const PHOTO = 'https://media.licdn.com/dms/image/v2/C4E03/profile-displayphoto-shrink_800_800/0?e=1&v=beta&t=x'
const ALL = new Set(['meta', 'img', 'div'])

describe('scanHtml', () => {
  it('finds start tags with their attribute text, skipping comments, scripts and styles', () => {
    const html = [
      '<!doctype html><html><head><title>Jane &amp; co | LinkedIn</title>',
      '<meta property="og:image" content="a>b">',
      '<!-- <img src="commented.jpg"> -->',
      '<script type="application/ld+json">{"x": "<img src=in-script.jpg>"}</script>',
      '<style>div > img { }</style>',
      '</head><body><div class=card><IMG SRC=\'one.jpg\' alt="x > y"></div> 1 < 2 <img src=two.jpg></body></html>'
    ].join('')
    const scanned = scanHtml(html, ALL)
    expect(scanned.tags.map((tag) => [tag.name, tag.attributeText.trim()])).toEqual([
      ['meta', 'property="og:image" content="a>b"'],
      ['div', 'class=card'],
      ['img', 'SRC=\'one.jpg\' alt="x > y"'],
      ['img', 'src=two.jpg']
    ])
    expect(scanned.scripts).toEqual([{ attributeText: ' type="application/ld+json"', text: '{"x": "<img src=in-script.jpg>"}' }])
    expect(scanned.title).toBe('Jane &amp; co | LinkedIn')
    expect(scanned.markup).not.toContain('commented.jpg')
    expect(scanned.markup).not.toContain('in-script.jpg')
    expect(scanned.markup).toContain('two.jpg')
  })

  it('stops at a tag, comment or script that never ends', () => {
    expect(scanHtml('<img src=a.jpg><img src="b.jpg', ALL).tags.map((tag) => tag.attributeText)).toEqual([' src=a.jpg'])
    expect(scanHtml('<img src=a.jpg><!-- <img src=b.jpg>', ALL).tags).toHaveLength(1)
    expect(scanHtml('<script>var x = "<img src=b.jpg>"', ALL).tags).toHaveLength(0)
  })

  it('examines at most MAX_SCANNED_HTML_CHARS of a page', () => {
    const html = `<meta property="og:image" content="${PHOTO}">${' '.repeat(MAX_SCANNED_HTML_CHARS)}<img src=late.jpg>`
    const scanned = scanHtml(html, ALL)
    expect(scanned.scannedChars).toBe(MAX_SCANNED_HTML_CHARS)
    expect(scanned.tags.map((tag) => tag.name)).toEqual(['meta'])
  })
})

describe('hostile markup finishes fast', () => {
  // 1 MB each: the old quadratic scan took 7.8 s on 100 KB, so ~100x that here; a linear one needs
  // milliseconds. The bound is loose on purpose: the machine may be busy, the gap is four orders of magnitude.
  const MB = 1024 * 1024
  const fill = (unit: string, size = MB) => unit.repeat(Math.ceil(size / unit.length))

  it.each([
    ['unterminated <img', fill('<img ')],
    ['unterminated <img with attributes', fill('<img class="pv-top-card__photo" src=x ')],
    ['unterminated quotes', fill('<img alt="')],
    ['unterminated comments', fill('<!--')],
    ['unterminated scripts', fill('<script>')],
    ['unterminated <meta', fill('<meta property=og:image content=')],
    // 2 MB: each wrapper looked for its <img> among all images (wrappers × images).
    ['wrappers and images', fill('<div class="pv-top-card__photo-wrapper"></div>', 1024 * 1024) + fill('<img src=x>', 1024 * 1024)]
  ])('%s', (_label, html) => {
    const started = performance.now()
    const analysis = analyzeProfilePage(html, PAGE_URL)
    const elapsedMs = performance.now() - started
    expect(['unknown', 'no-photo', 'photo']).toContain(analysis.kind)
    expect(elapsedMs).toBeLessThan(20_000)
  })

  it('a real photo is still found after megabytes of junk within the cap', () => {
    const html = `<html><head><meta property="og:image" content="${PHOTO}"></head><body>${fill('<img ', 3 * 1024 * 1024)}`
    const analysis = analyzeProfilePage(html, PAGE_URL)
    expect(analysis).toMatchObject({ kind: 'photo', photoUrl: PHOTO, size: 800 })
  })
})
