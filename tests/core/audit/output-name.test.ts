import { describe, expect, it } from 'vitest'
import { outputBaseName } from '../../../src/core/audit/output-name'

describe('outputBaseName', () => {
  it('derives safe output names from files and URLs', () => {
    expect(outputBaseName('me at work.jpg')).toBe('me-at-work')
    expect(outputBaseName('https://www.linkedin.com/in/jane-doe/')).toBe('jane-doe')
    expect(outputBaseName('https://example.com/')).toBe('example.com')
    expect(outputBaseName('../../etc/passwd')).toBe('passwd')
    expect(outputBaseName('???')).toBe('photo')
  })
})
