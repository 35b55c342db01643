import { describe, expect, it } from 'vitest'
import { numberValue, parseArgs } from '../../src/cli/args'

describe('parseArgs', () => {
  it('separates flags, values and positionals', () => {
    const args = parseArgs(['a.jpg', '--json', '--detector', 'full', '--max-faces=3', 'b.jpg'], ['json'], ['detector', 'max-faces'])
    expect(args.positionals).toEqual(['a.jpg', 'b.jpg'])
    expect([...args.flags]).toEqual(['json'])
    expect(args.values.get('detector')).toBe('full')
    expect(numberValue(args, 'max-faces', 1, 10)).toBe(3)
  })

  it('rejects unknown options and missing values with a typed error', () => {
    expect(() => parseArgs(['--jsn'], ['json'], [])).toThrow(/Unknown option --jsn/)
    expect(() => parseArgs(['--detector'], [], ['detector'])).toThrow(/needs a value/)
    const args = parseArgs(['--n', 'x'], [], ['n'])
    expect(() => numberValue(args, 'n', 0, 1)).toThrow(/must be a number/)
  })

  it('treats everything after -- as files', () => {
    expect(parseArgs(['--', '--json'], ['json'], []).positionals).toEqual(['--json'])
  })
})
