/** Command-line inputs to files: folders are searched recursively for image files. */
import { readdir, stat } from 'node:fs/promises'
import { extname, join, resolve } from 'node:path'

/** File endings of the formats the decoder reads (src/core/audit/decode.ts). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.jpe', '.png', '.webp', '.avif', '.tif', '.tiff', '.gif'] as const

export function isImageFileName(name: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase())
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false
  )
}

/** The image files under `folder` (shown as `shown/...`), sorted by name, skipping hidden entries. */
async function imagesIn(folder: string, shown: string): Promise<string[]> {
  const entries = (await readdir(folder, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'))
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const files: string[] = []
  for (const entry of entries) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) files.push(...(await imagesIn(path, join(shown, entry.name))))
    else if (entry.isFile() && isImageFileName(entry.name)) files.push(join(shown, entry.name))
  }
  return files
}

/**
 * Expands each input in order: a folder becomes its image files (recursively), anything else is
 * kept as given, so a missing or unreadable file is reported by the command that reads it.
 */
export async function expandInputs(inputs: readonly string[], cwd: string): Promise<string[]> {
  const files: string[] = []
  for (const input of inputs) {
    const path = resolve(cwd, input)
    if (await isFolder(path)) files.push(...(await imagesIn(path, input)))
    else files.push(input)
  }
  return files
}
