/**
 * `smilecam audit <linkedin-url>` against the LinkedIn fixture server: the real engine
 * audits the fixture profile photo, and every error case reaches the command line as
 * its own typed error and message. The fixture origin is passed as a test-only LinkedIn
 * origin; the real CLI accepts LinkedIn hosts only.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAuditCommand, type AuditEngineFactory } from '../../src/cli/audit'
import { main } from '../../src/cli/index'
import type { CliIo } from '../../src/cli/io'
import { FIXTURE_COOKIE_VALUE, startLinkedInFixtureServer, type LinkedInFixtureServer } from '../fixtures/linkedin/server'

const MODEL_DIR = fileURLToPath(new URL('../../resources/models', import.meta.url))

let server: LinkedInFixtureServer
let dir: string

beforeAll(async () => {
  server = await startLinkedInFixtureServer()
  dir = await mkdtemp(join(tmpdir(), 'smilecam-cli-linkedin-'))
})

afterAll(async () => {
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

function captureIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = []
  const stderr: string[] = []
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), modelDir: MODEL_DIR, cwd: dir }
}

/** Error cases fail before any detection, so they need no real engine. */
const unusedEngine: AuditEngineFactory = async () => ({
  detect: () => Promise.reject(new Error('the engine should not be reached')),
  close: async () => undefined
})

describe('smilecam audit with a LinkedIn profile URL', () => {
  it('downloads the profile photo and writes the audit for it', async () => {
    const io = captureIo()
    const code = await runAuditCommand([`${server.origin}/in/with-photo`, '--out', 'with-photo', '--json'], io, {
      linkedInTestOrigins: [server.origin],
      privateOriginsForTests: server.privateOrigins
    })
    expect(code).toBe(0)
    const { report } = JSON.parse(io.stdout[0]) as { report: { faceCount: number; checks?: object; source: string } }
    expect(report.faceCount).toBe(1)
    expect(report.checks).toBeDefined()
    // The report names the profile, never the signed photo address.
    expect(report.source).toContain('/in/with-photo')
    expect((await readdir(join(dir, 'with-photo'))).sort()).toHaveLength(3)
  })

  it.each([
    ['no-photo', 'NO_PROFILE_PHOTO', /no profile photo/i],
    ['authwall', 'SIGN_IN_REQUIRED', /sign in/i],
    ['blocked', 'BLOCKED', /status 999.*sign in to LinkedIn there, or save your profile photo/i],
    ['missing', 'PROFILE_NOT_FOUND', /no profile at/i],
    ['not-image', 'RESPONSE_NOT_IMAGE', /did not return an image/i],
    ['redirect-loop', 'REDIRECT_LOOP', /kept redirecting/i]
  ])('/in/%s fails with %s and its own message', async (slug, code, message) => {
    const failure = runAuditCommand([`${server.origin}/in/${slug}`, '--out', 'errors'], captureIo(), {
      createEngine: unusedEngine,
      linkedInTestOrigins: [server.origin],
      privateOriginsForTests: server.privateOrigins
    })
    await expect(failure).rejects.toMatchObject({ code, message: expect.stringMatching(message) })
  })

  it('treats the fixture as LinkedIn only when told to: otherwise it is an image address that returns a page', async () => {
    const profile = runAuditCommand([`${server.origin}/in/with-photo`], captureIo(), {
      createEngine: unusedEngine,
      privateOriginsForTests: server.privateOrigins
    })
    // Without the test origin the fixture is just an image URL that returns a page.
    await expect(profile).rejects.toMatchObject({ code: 'RESPONSE_NOT_IMAGE' })
  })

  it('refuses a loopback URL without the test allowance: URL_NOT_ALLOWED and a non-zero exit, no request made', async () => {
    const before = server.requests.length
    const io = captureIo()
    const code = await main(['audit', `${server.mediaOrigin}/media/photo-800.jpg`, '--out', 'errors'], io)
    expect(code).toBe(1)
    expect(io.stderr.join('\n')).toMatch(/127\.0\.0\.1 is a loopback address; Smilecam downloads photos from public internet addresses only/)
    await expect(
      runAuditCommand([`http://2130706433:${new URL(server.origin).port}/in/with-photo`], captureIo(), { createEngine: unusedEngine })
    ).rejects.toMatchObject({ code: 'URL_NOT_ALLOWED' })
    expect(server.requests.length).toBe(before)
  })

  it('takes the li_at cookie from SMILECAM_LI_AT or --cookie-file, and refuses --cookie on the command line', async () => {
    const fixture = { linkedInTestOrigins: [server.origin], privateOriginsForTests: server.privateOrigins }
    const secret = `li_at=${FIXTURE_COOKIE_VALUE}`
    const members = `${server.origin}/in/members-only`
    const refused = runAuditCommand([members, '--cookie', secret], captureIo(), { createEngine: unusedEngine, ...fixture })
    await expect(refused).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/other users of this computer.*SMILECAM_LI_AT.*--cookie-file/) })
    await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining(FIXTURE_COOKIE_VALUE) })
    await expect(runAuditCommand([members, `--cookie=${secret}`], captureIo(), { createEngine: unusedEngine, ...fixture })).rejects.toMatchObject({ code: 'INVALID_INPUT' })

    // Without a cookie the profile is members-only; with it (either way) the photo downloads.
    const engineReached = { createEngine: unusedEngine, ...fixture }
    await expect(runAuditCommand([members], captureIo(), { ...engineReached, env: {} })).rejects.toMatchObject({ code: 'SIGN_IN_REQUIRED' })
    await expect(runAuditCommand([members], captureIo(), { ...engineReached, env: { SMILECAM_LI_AT: secret } })).rejects.toThrow(
      'the engine should not be reached'
    )
    const cookieFile = join(dir, 'li_at.txt')
    await writeFile(cookieFile, `${secret}\n`, { mode: 0o600 })
    await expect(runAuditCommand([members, '--cookie-file', cookieFile], captureIo(), { ...engineReached, env: {} })).rejects.toThrow(
      'the engine should not be reached'
    )
    await expect(runAuditCommand([members, '--cookie-file', join(dir, 'none.txt')], captureIo(), engineReached)).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND'
    })
  })

  it('refuses a LinkedIn address that is not a profile, saying what a profile URL looks like', async () => {
    const failure = runAuditCommand(['uk.linkedin.com/company/acme'], captureIo(), { createEngine: unusedEngine })
    await expect(failure).rejects.toMatchObject({ code: 'INVALID_URL', message: expect.stringContaining('linkedin.com/in/') })
  })
})
