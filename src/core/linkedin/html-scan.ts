/**
 * A linear scan of hostile markup for the few things the profile-photo extractor needs: start
 * tags of given names with their attribute text, the contents of <script> elements and the
 * <title>. One pass, each character looked at a bounded number of times, and at most
 * `MAX_SCANNED_HTML_CHARS` of the page examined — where the regular expressions it replaces went
 * quadratic on unterminated tags (`<img` repeated: 100 KB took 7.8 s on the Electron main thread).
 *
 * Quoting follows the extractor's previous rule: inside a tag, a quote runs to its partner, so a
 * quoted `>` does not end the tag. A tag, comment or raw-text element that never ends ends the scan.
 */

/** LinkedIn profile pages are 0.3–3 MB; the photo's tags sit in the head and the top card. */
export const MAX_SCANNED_HTML_CHARS = 4 * 1024 * 1024

export interface ScannedTag {
  /** Lower-case tag name. */
  name: string
  /** Everything between the name and the closing `>`. */
  attributeText: string
  /** Offset of the `<` in the markup. */
  index: number
}

export interface ScannedRawText {
  attributeText: string
  text: string
}

export interface ScannedHtml {
  /** Start tags whose names were asked for, in document order (none from inside comments, scripts or styles). */
  tags: ScannedTag[]
  scripts: ScannedRawText[]
  /** Text of the first <title>, or '' when there is none. */
  title: string
  /** The markup outside comments and raw-text elements (for marker searches that must not see scripts). */
  markup: string
  /** Characters examined (≤ the cap): a measure of the work done. */
  scannedChars: number
}

/** Elements whose content is text, never markup: their content is skipped as a whole. */
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'title', 'textarea', 'noscript', 'template', 'xmp'])

const isNameStart = (code: number) => (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)
const isNameChar = (code: number) => isNameStart(code) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x3a

/** Index of the `>` that ends a tag whose attributes start at `from`, honouring quotes; -1 if none. */
function endOfTag(html: string, from: number): number {
  let quote = 0
  for (let i = from; i < html.length; i++) {
    const code = html.charCodeAt(i)
    if (quote !== 0) {
      if (code === quote) quote = 0
    } else if (code === 0x22 || code === 0x27) {
      quote = code
    } else if (code === 0x3e) {
      return i
    }
  }
  return -1
}

/**
 * Scans `html` (cut to `maxChars`) once. `names` are the start tags to collect (lower case);
 * every other tag is passed over without building anything.
 */
export function scanHtml(html: string, names: ReadonlySet<string>, maxChars = MAX_SCANNED_HTML_CHARS): ScannedHtml {
  const markup = html.length > maxChars ? html.slice(0, maxChars) : html
  // One lower-case copy, so closing tags of raw-text elements are found with indexOf.
  const lower = markup.toLowerCase()
  const result: ScannedHtml = { tags: [], scripts: [], title: '', markup: '', scannedChars: markup.length }
  const outside: string[] = []
  let segmentStart = 0
  let titleSeen = false
  let i = 0
  const skipTo = (from: number, to: number) => {
    outside.push(markup.slice(segmentStart, from), ' ')
    segmentStart = to
  }
  while (i < markup.length) {
    const open = markup.indexOf('<', i)
    if (open === -1) break
    if (markup.startsWith('<!--', open)) {
      const end = markup.indexOf('-->', open + 4)
      if (end === -1) {
        skipTo(open, markup.length)
        break
      }
      i = end + 3
      skipTo(open, i)
      continue
    }
    const first = markup.charCodeAt(open + 1)
    if (first === 0x2f /* / */ || first === 0x21 /* ! */ || first === 0x3f /* ? */) {
      // End tag, doctype or processing instruction: nothing we collect.
      const end = markup.indexOf('>', open + 2)
      if (end === -1) break
      i = end + 1
      continue
    }
    if (!isNameStart(first)) {
      i = open + 1 // a literal "<" in text
      continue
    }
    let nameEnd = open + 2
    while (nameEnd < markup.length && isNameChar(markup.charCodeAt(nameEnd))) nameEnd++
    const name = lower.slice(open + 1, nameEnd)
    const close = endOfTag(markup, nameEnd)
    if (close === -1) {
      skipTo(open, markup.length) // an unterminated tag swallows the rest of the document
      break
    }
    const attributeText = markup.slice(nameEnd, close)
    if (names.has(name)) result.tags.push({ name, attributeText, index: open })
    i = close + 1
    if (RAW_TEXT_ELEMENTS.has(name)) {
      const end = lower.indexOf(`</${name}`, i)
      const text = markup.slice(i, end === -1 ? markup.length : end)
      if (name === 'script') result.scripts.push({ attributeText, text })
      if (name === 'title' && !titleSeen) {
        titleSeen = true
        result.title = text
      }
      if (end === -1) {
        skipTo(i, markup.length)
        break
      }
      skipTo(i, end)
      i = end
    }
  }
  outside.push(markup.slice(segmentStart))
  result.markup = outside.join('')
  return result
}
