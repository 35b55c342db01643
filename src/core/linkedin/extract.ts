/**
 * Finds the profile photo in a LinkedIn profile page's HTML (pure, no DOM).
 *
 * Sources, all collected and the largest real photo chosen:
 *  - `og:image` (+ `og:image:width`), `twitter:image`
 *  - the profile-photo `<img>` elements (signed-in top card, own-profile edit preview, public top card),
 *    using `src`, `data-delayed-url` (lazy-loaded public pages), `data-src` and `srcset`
 *  - JSON-LD `Person.image` (top level, `@graph`, or `ProfilePage.mainEntity`)
 * LinkedIn's default silhouette ("ghost") and its static logo images are recognised and never count
 * as a photo, so a profile without a photo is reported as such.
 */
import { linkedInErrors } from './messages'
import { scanHtml, type ScannedHtml } from './html-scan'
import { isSignInUrl, type AllowedOrigins } from './url'

export type PhotoSource = 'og:image' | 'img' | 'json-ld'

export interface PhotoCandidate {
  /** Absolute http(s) URL. */
  url: string
  source: PhotoSource
  /** Best known width in pixels (0 = unknown). */
  size: number
  /** LinkedIn's default silhouette or another static placeholder, not a member photo. */
  ghost: boolean
}

export type ProfilePageAnalysis =
  | { kind: 'photo'; photoUrl: string; size: number; candidates: PhotoCandidate[] }
  | { kind: 'no-photo'; candidates: PhotoCandidate[] }
  | { kind: 'sign-in' }
  /** Neither a photo, a silhouette nor a sign-in page (e.g. a page still rendering). */
  | { kind: 'unknown' }

/** Class names (or their prefixes) LinkedIn gives the profile owner's photo. Other avatars on the page are ignored. */
const PROFILE_PHOTO_CLASS_PREFIXES = [
  'pv-top-card-profile-picture__image',
  'profile-photo-edit__preview',
  'top-card__profile-image',
  'top-card-layout__entity-image',
  'pv-top-card__photo'
]

/** Wrappers around the owner's photo, for layouts where the <img> itself has only generic classes. */
const PROFILE_PHOTO_CONTAINER_CLASSES = new Set([
  'pv-top-card__photo-wrapper',
  'pv-top-card__non-self-photo-wrapper',
  'pv-top-card-profile-picture',
  'top-card-layout__entity-image-container',
  'profile-photo-edit'
])

/** How far (characters) after a wrapper's start tag its <img> may begin. */
const CONTAINER_REACH = 3000

const IMG_URL_ATTRIBUTES = ['data-delayed-url', 'src', 'data-src'] as const

/** Ties are broken in this order: the share image is usually LinkedIn's largest rendition. */
const SOURCE_PRIORITY: Record<PhotoSource, number> = { 'og:image': 0, 'json-ld': 1, img: 2 }

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  sol: '/',
  colon: ':',
  equals: '=',
  quest: '?',
  num: '#',
  percnt: '%'
}

/** Decodes HTML character references (`&amp;`, `&#x2F;`, `&#47;`, …) in attribute values. */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const codePoint = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      return Number.isFinite(codePoint) && codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole
  })
}

export type HtmlAttributes = Record<string, string>

/** Parses the attribute text of one start tag; names are lower-cased, values entity-decoded. */
export function parseAttributes(attributeText: string): HtmlAttributes {
  const attributes: HtmlAttributes = {}
  const pattern = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g
  for (const match of attributeText.matchAll(pattern)) {
    const name = match[1].toLowerCase()
    if (name in attributes) continue // the first occurrence wins, as in browsers
    attributes[name] = decodeHtmlEntities(match[2] ?? match[3] ?? match[4] ?? '')
  }
  return attributes
}

interface HtmlTag {
  name: string
  attributes: HtmlAttributes
  /** Offset of the tag in the markup. */
  index: number
}

/** The start tags the extractor reads: meta, the photo <img> and the wrappers around it. */
const WRAPPER_TAGS = ['div', 'span', 'button', 'a', 'section', 'figure']
const COLLECTED_TAGS = new Set(['meta', 'img', ...WRAPPER_TAGS])

function tagsNamed(tags: HtmlTag[], names: readonly string[]): HtmlTag[] {
  return tags.filter((tag) => names.includes(tag.name))
}

function jsonLdBlocks(scripts: ScannedHtml['scripts']): unknown[] {
  const blocks: unknown[] = []
  for (const script of scripts) {
    const type = parseAttributes(script.attributeText).type ?? ''
    if (type.trim().toLowerCase() !== 'application/ld+json') continue
    try {
      blocks.push(JSON.parse(script.text.trim()))
    } catch {
      // A broken block is skipped; the other sources still count.
    }
  }
  return blocks
}

/** Resolves `value` against the page URL; null unless the result is http(s). */
function absoluteHttpUrl(value: string, pageUrl: string): string | null {
  const trimmed = value.trim()
  if (trimmed === '') return null
  try {
    const url = new URL(trimmed, pageUrl)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null
  } catch {
    return null
  }
}

/** Width encoded in LinkedIn image URLs: `profile-displayphoto-shrink_800_800`, `scale_400_400`. */
export function sizeFromPhotoUrl(url: string): number {
  const match = /(?:shrink|scale|crop)_(\d{2,5})_(\d{2,5})/i.exec(url)
  return match ? Math.max(Number(match[1]), Number(match[2])) : 0
}

function positiveInt(value: unknown): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? parseInt(value, 10) : NaN
  return Number.isFinite(number) && number > 0 ? number : 0
}

/** `srcset` candidates with their `w` width (or the density times `baseWidth`). */
export function parseSrcset(srcset: string, baseWidth = 0): Array<{ url: string; width: number }> {
  const entries: Array<{ url: string; width: number }> = []
  for (const match of srcset.matchAll(/\s*(\S+?)(?:\s+(\d+(?:\.\d+)?)([wx]))?\s*(?:,|$)/gi)) {
    if (match[1] === '') continue
    const value = match[2] === undefined ? 0 : Number(match[2])
    const width = match[3]?.toLowerCase() === 'w' ? value : match[3] && baseWidth > 0 ? Math.round(value * baseWidth) : 0
    entries.push({ url: match[1], width })
  }
  return entries
}

/**
 * LinkedIn's default silhouette and logos live on static.licdn.com (`/aero-v1/sc/h/<hash>`,
 * older `static-exp1.licdn.com/sc/h/…`); member photos live on media.licdn.com.
 */
export function isGhostImageUrl(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return true
  }
  if (/^static(?:-exp\d+)?\.licdn\.com$/i.test(parsed.hostname)) return true
  if (/\/sc\/h\//.test(parsed.pathname)) return true
  // Whole words only: member photo paths are random IDs that may contain any letters.
  return /(?:^|[/_.-])(?:ghost|silhouette|default[-_]?(?:avatar|profile|photo))/i.test(parsed.pathname)
}

function classTokens(attributes: HtmlAttributes): string[] {
  return (attributes.class ?? '').split(/\s+/).filter((token) => token !== '')
}

function isProfilePhotoElement(attributes: HtmlAttributes): boolean {
  return classTokens(attributes).some((token) =>
    PROFILE_PHOTO_CLASS_PREFIXES.some((prefix) => token.startsWith(prefix))
  )
}

/** The owner's photo <img> elements: by their own class, or the first <img> inside a known wrapper. */
function profilePhotoElements(tags: HtmlTag[]): HtmlTag[] {
  const images = tagsNamed(tags, ['img'])
  const wrappers = tagsNamed(tags, WRAPPER_TAGS).filter((tag) =>
    classTokens(tag.attributes).some((token) => PROFILE_PHOTO_CONTAINER_CLASSES.has(token))
  )
  // Both lists are in document order: one forward walk finds each wrapper's first <img> (linear, not wrappers × images).
  const wrapped = new Set<HtmlTag>()
  let next = 0
  for (const wrapper of wrappers) {
    while (next < images.length && images[next].index <= wrapper.index) next++
    if (next < images.length && images[next].index - wrapper.index < CONTAINER_REACH) wrapped.add(images[next])
  }
  return images.filter((image) => wrapped.has(image) || isProfilePhotoElement(image.attributes))
}

function hasGhostClass(attributes: HtmlAttributes): boolean {
  return classTokens(attributes).some((token) => /ghost/i.test(token))
}

function imgCandidates(tag: HtmlTag, pageUrl: string): PhotoCandidate[] {
  const { attributes } = tag
  const ghostElement = hasGhostClass(attributes)
  const ghostUrl = attributes['data-ghost-url'] ? absoluteHttpUrl(attributes['data-ghost-url'], pageUrl) : null
  const displayWidth = Math.max(positiveInt(attributes.width), positiveInt(attributes.height))
  const found: PhotoCandidate[] = []
  const add = (raw: string, width: number) => {
    const url = absoluteHttpUrl(raw, pageUrl)
    if (!url) return
    const ghost = ghostElement || url === ghostUrl || isGhostImageUrl(url)
    found.push({ url, source: 'img', size: sizeFromPhotoUrl(url) || width || displayWidth, ghost })
  }
  for (const name of IMG_URL_ATTRIBUTES) {
    if (attributes[name]) add(attributes[name], 0)
  }
  if (attributes.srcset) {
    for (const entry of parseSrcset(attributes.srcset, displayWidth)) add(entry.url, entry.width)
  }
  return found
}

function metaCandidates(tags: HtmlTag[], pageUrl: string): PhotoCandidate[] {
  const metaValue = (key: string) =>
    tags.find((tag) => (tag.attributes.property ?? tag.attributes.name ?? '').toLowerCase() === key)?.attributes.content
  const ogWidth = positiveInt(metaValue('og:image:width'))
  const found: PhotoCandidate[] = []
  for (const key of ['og:image', 'og:image:secure_url', 'og:image:url', 'twitter:image']) {
    const value = metaValue(key)
    const url = value ? absoluteHttpUrl(value, pageUrl) : null
    if (!url) continue
    const width = key.startsWith('og:') ? ogWidth : 0
    found.push({ url, source: 'og:image', size: sizeFromPhotoUrl(url) || width, ghost: isGhostImageUrl(url) })
  }
  return found
}

function isType(node: Record<string, unknown>, type: string): boolean {
  const value = node['@type']
  return value === type || (Array.isArray(value) && value.includes(type))
}

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
}

/** The profile owner's Person nodes: top level, in `@graph`, or `ProfilePage.mainEntity` (not colleagues). */
function personNodes(block: unknown): Record<string, unknown>[] {
  const roots = Array.isArray(block) ? block : [block]
  const people: Record<string, unknown>[] = []
  for (const root of roots) {
    const node = asObject(root)
    if (!node) continue
    const graph = Array.isArray(node['@graph']) ? node['@graph'] : []
    for (const candidate of [node, ...graph, node.mainEntity]) {
      const object = asObject(candidate)
      if (!object) continue
      if (isType(object, 'Person')) people.push(object)
      const main = asObject(object.mainEntity)
      if (object !== node && main && isType(main, 'Person')) people.push(main)
    }
  }
  return people
}

function jsonLdCandidates(blocks: unknown[], pageUrl: string): { candidates: PhotoCandidate[]; hasPerson: boolean } {
  const candidates: PhotoCandidate[] = []
  let hasPerson = false
  for (const person of blocks.flatMap(personNodes)) {
    hasPerson = true
    const images = Array.isArray(person.image) ? person.image : [person.image]
    for (const image of images) {
      const object = asObject(image)
      const raw = typeof image === 'string' ? image : object ? (object.contentUrl ?? object.url) : undefined
      if (typeof raw !== 'string') continue
      const url = absoluteHttpUrl(raw, pageUrl)
      if (!url) continue
      const width = object ? Math.max(positiveInt(object.width), positiveInt(object.height)) : 0
      candidates.push({ url, source: 'json-ld', size: sizeFromPhotoUrl(url) || width, ghost: isGhostImageUrl(url) })
    }
  }
  return { candidates, hasPerson }
}

/** Markers of LinkedIn's sign-in, join and authwall pages. */
function hasSignInMarkers(html: string, metaTags: HtmlTag[], title: string): boolean {
  const pageKey = metaTags.find((tag) => tag.attributes.name?.toLowerCase() === 'pagekey')?.attributes.content ?? ''
  if (/auth_?wall|checkpoint|login|signup|sign_in|join/i.test(pageKey)) return true
  if (/^(?:LinkedIn Login|Sign In|Sign Up|Join LinkedIn|Security Verification)\b/i.test(title)) return true
  return /name=["']?session_password\b|\/(?:checkpoint\/lg|uas)\/login-submit|class=["'][^"']*\bauthwall/i.test(html)
}

/** Markers of a member profile page (public or signed-in). */
function hasProfileMarkers(metaTags: HtmlTag[], hasPerson: boolean, hasPhotoElement: boolean): boolean {
  if (hasPerson || hasPhotoElement) return true
  const ogType = metaTags.find((tag) => tag.attributes.property?.toLowerCase() === 'og:type')?.attributes.content
  return ogType?.toLowerCase() === 'profile'
}

/** Orders candidates largest first, then by source priority. */
function byPreference(a: PhotoCandidate, b: PhotoCandidate): number {
  return b.size - a.size || SOURCE_PRIORITY[a.source] - SOURCE_PRIORITY[b.source]
}

/**
 * Classifies a loaded page: the photo to download, a profile without photo, a sign-in page, or
 * unknown. A real photo wins over sign-in markers because public profiles embed a sign-in modal.
 */
export function analyzeProfilePage(html: string, pageUrl: string, allowedOrigins?: AllowedOrigins): ProfilePageAnalysis {
  if (isSignInUrl(pageUrl, allowedOrigins)) return { kind: 'sign-in' }
  // One linear pass over at most MAX_SCANNED_HTML_CHARS: hostile markup cannot make this slow.
  const scanned = scanHtml(html, COLLECTED_TAGS)
  const tags: HtmlTag[] = scanned.tags.map((tag) => ({ name: tag.name, attributes: parseAttributes(tag.attributeText), index: tag.index }))
  const metaTags = tagsNamed(tags, ['meta'])
  const photoElements = profilePhotoElements(tags)
  const jsonLd = jsonLdCandidates(jsonLdBlocks(scanned.scripts), pageUrl)
  const candidates = [
    ...metaCandidates(metaTags, pageUrl),
    ...jsonLd.candidates,
    ...photoElements.flatMap((tag) => imgCandidates(tag, pageUrl))
  ]
  const photos = candidates.filter((candidate) => !candidate.ghost).sort(byPreference)
  if (photos.length > 0) {
    return { kind: 'photo', photoUrl: photos[0].url, size: photos[0].size, candidates }
  }
  const isProfile = hasProfileMarkers(metaTags, jsonLd.hasPerson, photoElements.length > 0)
  const hasGhost = candidates.some((candidate) => candidate.ghost)
  if (isProfile && hasGhost) return { kind: 'no-photo', candidates }
  if (hasSignInMarkers(scanned.markup, metaTags, decodeHtmlEntities(scanned.title).replace(/\s+/g, ' ').trim())) return { kind: 'sign-in' }
  return { kind: 'unknown' }
}

/** The URL of the profile photo on `html`, or the typed error saying why there is none. */
export function extractProfilePhotoUrl(html: string, pageUrl: string, allowedOrigins?: AllowedOrigins): string {
  const analysis = analyzeProfilePage(html, pageUrl, allowedOrigins)
  switch (analysis.kind) {
    case 'photo':
      return analysis.photoUrl
    case 'no-photo':
      throw linkedInErrors.noProfilePhoto()
    case 'sign-in':
      throw linkedInErrors.signInRequired()
    case 'unknown':
      throw linkedInErrors.photoNotFoundOnPage()
  }
}
