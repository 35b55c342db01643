/**
 * The app under test in browser mode: the web renderer built once per source version
 * (vite.web.config.ts, into a content-addressed temp folder) and the browser-mode server
 * started in-process with its test-only flags (captures dir, settings file, LinkedIn origin).
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { startBrowserServer } from '../../src/server/index'

/** A settings file's content: any sections, any keys (the server fills in the rest). */
export type SettingsFileContent = Record<string, Record<string, unknown>>

export interface AppOptions {
  /** Written to the settings file before the server starts (omit to keep what is there). */
  settings?: SettingsFileContent
  /** Reuse this folder (captures/ and settings.json); it is then not deleted on close. */
  dir?: string
  linkedinTestOrigin?: string
  /** Local fixture servers the audit may download from (downloads reach public addresses only otherwise). */
  privateOriginsForTests?: string[]
  /** A y4m file offered as a virtual camera device (the file sink). */
  vcamFileSink?: string
}

export interface RunningApp {
  /** Page URL with the access token. */
  url: string
  origin: string
  dir: string
  capturesDir: string
  settingsFile: string
  /** Image files in the captures folder. */
  listCaptures(): Promise<string[]>
  close(): Promise<void>
}

const REPO_ROOT = resolve(import.meta.dirname, '../..')
const WEB_SOURCES = ['src/renderer', 'src/shared', 'vite.web.config.ts', 'package-lock.json']

async function listFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => null)
  if (!info) return []
  if (info.isFile()) return [path]
  const entries = await readdir(path, { withFileTypes: true })
  const nested = await Promise.all(entries.map((entry) => listFiles(join(path, entry.name))))
  return nested.flat().sort()
}

/** Hash of every file the web build reads, so the cached build is redone whenever one changes. */
async function webSourceKey(): Promise<string> {
  const hash = createHash('sha256')
  for (const source of WEB_SOURCES) {
    for (const file of await listFiles(join(REPO_ROOT, source))) {
      hash.update(relative(REPO_ROOT, file))
      hash.update(await readFile(file))
    }
  }
  return hash.digest('hex').slice(0, 16)
}

/** Builds the web renderer (or reuses the build of the same sources) and returns its folder. */
export async function ensureWebBuild(): Promise<string> {
  const cacheRoot = join(tmpdir(), 'smilecam-e2e-web')
  const outDir = join(cacheRoot, await webSourceKey())
  if (existsSync(join(outDir, 'index.html'))) return outDir
  await mkdir(cacheRoot, { recursive: true })
  const partial = `${outDir}.${process.pid}.partial`
  const { build } = await import('vite')
  await build({
    configFile: join(REPO_ROOT, 'vite.web.config.ts'),
    logLevel: 'warn',
    build: { outDir: partial, emptyOutDir: true }
  })
  await rename(partial, outDir).catch(async (error: NodeJS.ErrnoException) => {
    // Another test file finished the same build first; theirs is as good as ours.
    if (existsSync(join(outDir, 'index.html'))) await rm(partial, { recursive: true, force: true })
    else throw error
  })
  await removeStaleBuilds(cacheRoot, outDir)
  return outDir
}

/** Builds of older sources, untouched for a while (a run in progress keeps its own). */
async function removeStaleBuilds(cacheRoot: string, keep: string): Promise<void> {
  const staleBeforeMs = Date.now() - 30 * 60_000
  for (const name of await readdir(cacheRoot)) {
    const path = join(cacheRoot, name)
    if (path === keep) continue
    const info = await stat(path).catch(() => null)
    if (info && info.mtimeMs < staleBeforeMs) await rm(path, { recursive: true, force: true })
  }
}

export async function startApp(options: AppOptions = {}): Promise<RunningApp> {
  const webRoot = await ensureWebBuild()
  const ownsDir = options.dir === undefined
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'smilecam-e2e-app-')))
  const capturesDir = join(dir, 'captures')
  const settingsFile = join(dir, 'settings.json')
  await mkdir(capturesDir, { recursive: true })
  if (options.settings) await writeFile(settingsFile, JSON.stringify(options.settings, null, 2))
  const server = await startBrowserServer({
    webRoot,
    capturesDir,
    settingsFile,
    linkedinTestOrigin: options.linkedinTestOrigin,
    privateOriginsForTests: options.privateOriginsForTests,
    vcamFileSink: options.vcamFileSink,
    // Default resources/models (npm run models); SMILECAM_MODEL_DIR points at another conversion.
    modelDir: process.env.SMILECAM_MODEL_DIR || undefined
  })
  return {
    url: server.url,
    origin: server.origin,
    dir,
    capturesDir,
    settingsFile,
    async listCaptures() {
      const names = await readdir(capturesDir).catch(() => [] as string[])
      return names.filter((name) => /\.(jpe?g|png)$/i.test(name) && !name.startsWith('.')).sort()
    },
    async close() {
      await server.close()
      if (ownsDir) await rm(dir, { recursive: true, force: true })
    }
  }
}
