/**
 * The package as a user gets it: `npm pack` (prepack converts the models and bundles the CLI),
 * then `npm install --omit=dev --offline` of the tarball into an empty folder, then
 * `npx smilecam analyze photo.jpg --json`. No TypeScript, no tsx, no converter inputs.
 * Offline needs the registry metadata of onnxruntime-node and sharp in npm's cache (any earlier
 * online install of them); without it the test skips and says so.
 */
import { execFile } from 'node:child_process'
import { copyFile, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const require = createRequire(import.meta.url)
const root = resolve(import.meta.dirname, '..', '..')
const photo = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample2.jpg')
/** Older npm runs onnxruntime-node's install script, which would fetch CUDA libraries without this. */
const installEnv = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' }

let work: string
let app: string
let tarball: string
let skipReason: string | null = null

async function duBytes(path: string): Promise<number> {
  const info = await stat(path)
  if (!info.isDirectory()) return info.size
  let total = 0
  for (const entry of await readdir(path)) total += await duBytes(join(path, entry))
  return total
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'smilecam-pack-'))
  const { stdout } = await run('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: root, maxBuffer: 1 << 24 })
  tarball = join(work, stdout.trim().split('\n').at(-1)!)
  app = join(work, 'app')
  await run('mkdir', [app])
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'empty-folder', private: true }))
  try {
    await run('npm', ['install', '--omit=dev', '--offline', '--no-audit', '--no-fund', tarball], { cwd: app, env: installEnv, maxBuffer: 1 << 24 })
  } catch (error) {
    const output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`
    if (!/ENOTCACHED/.test(output)) throw error
    skipReason = `npm's cache lacks registry metadata for an offline install (${output.match(/request to (\S+)/)?.[1] ?? 'a dependency'}); install once online`
  }
}, 600_000)

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true })
})

describe('packed package, installed without dev tools', () => {
  it('installs only runtime dependencies and the built CLI with its models', async (context) => {
    if (skipReason) context.skip(skipReason)
    const installed = await readdir(join(app, 'node_modules'))
    for (const devOnly of ['tsx', 'typescript', 'vite', 'esbuild', '@mediapipe', '@vladmandic', 'flatbuffers', 'onnx-proto']) {
      expect(installed).not.toContain(devOnly)
    }
    const pkg = join(app, 'node_modules', 'smilecam')
    expect(await readdir(pkg)).not.toContain('src')
    expect((await readdir(join(pkg, 'resources', 'models'))).filter((file) => file.endsWith('.onnx')).length).toBeGreaterThanOrEqual(8)
    console.log(
      `package: ${((await stat(tarball)).size / 1e6).toFixed(1)} MB packed, ${((await duBytes(pkg)) / 1e6).toFixed(1)} MB installed; ` +
        `with its dependencies ${((await duBytes(join(app, 'node_modules'))) / 1e6).toFixed(0)} MB`
    )
  })

  it('npx smilecam --help and analyze photo.jpg --json work from the installed package', async (context) => {
    if (skipReason) context.skip(skipReason)
    await copyFile(photo, join(app, 'photo.jpg'))
    let started = performance.now()
    const help = await run('npx', ['--offline', 'smilecam', '--help'], { cwd: app })
    const helpMs = performance.now() - started
    expect(help.stdout).toMatch(/^Usage: smilecam <command>/)
    started = performance.now()
    const analyzed = await run('npx', ['--offline', 'smilecam', 'analyze', 'photo.jpg', '--json'], { cwd: app, maxBuffer: 1 << 24 })
    const analyzeMs = performance.now() - started
    const result = JSON.parse(analyzed.stdout.trim().split('\n')[0]) as { file: string; faces: { landmarks68: unknown[] }[] }
    expect(result.file).toBe('photo.jpg')
    expect(result.faces.length).toBeGreaterThanOrEqual(2)
    for (const face of result.faces) expect(face.landmarks68).toHaveLength(68)
    console.log(`installed CLI through npx: --help ${helpMs.toFixed(0)} ms, analyze one photo ${analyzeMs.toFixed(0)} ms (wall clock, shared machine)`)
  })
})
