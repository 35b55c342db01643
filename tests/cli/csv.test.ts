import { describe, expect, it } from 'vitest'
import { csvField, csvLine, parseCsv } from '../../src/cli/csv'

describe('csv', () => {
  it('quotes only what needs quoting', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField(undefined)).toBe('')
    expect(csvField(false)).toBe('false')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvLine(['x', 0.25, true, 'two\nlines'])).toBe('x,0.25,true,"two\nlines"')
  })

  it('parses back what it writes, CRLF too', () => {
    const rows = [
      ['file', 'error'],
      ['a, b.jpg', 'NOT_AN_IMAGE: "a, b.jpg" is not an image'],
      ['c.jpg', '']
    ]
    expect(parseCsv(rows.map((r) => csvLine(r)).join('\n') + '\n')).toEqual(rows)
    expect(parseCsv('a,b\r\n1,\r\n')).toEqual([
      ['a', 'b'],
      ['1', '']
    ])
  })
})
