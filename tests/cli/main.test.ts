import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli/index'
import type { CliIo } from '../../src/cli/io'

function captureIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = []
  const stderr: string[] = []
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), modelDir: '/nonexistent', cwd: process.cwd() }
}

describe('smilecam (top level)', () => {
  it('prints the package version for --version and -v', async () => {
    const { version } = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
    for (const flag of ['--version', '-v']) {
      const io = captureIo()
      expect(await main([flag], io)).toBe(0)
      expect(io.stdout).toEqual([version])
    }
  })

  it('prints the command list, ending with the pointer to per-command help and no stray command usage', async () => {
    const io = captureIo()
    expect(await main(['--help'], io)).toBe(0)
    const help = io.stdout.join('\n')
    expect(help.startsWith('Usage: smilecam <command> [options]')).toBe(true)
    expect(help).toMatch(/--version/)
    expect(help.match(/Usage:/g)).toHaveLength(1)
    expect(help.trimEnd().split('\n').at(-1)).toMatch(/^Run "smilecam <command> --help"/)
  })

  it('exits 2 on an unknown command with a typed message', async () => {
    const io = captureIo()
    expect(await main(['analyse'], io)).toBe(2)
    expect(io.stderr).toEqual(['smilecam: Unknown command "analyse". Run smilecam --help.'])
  })
})
