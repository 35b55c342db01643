/** Saved selfies: list, thumbnails (object URLs), save, delete, open. */
import { onBeforeUnmount, ref } from 'vue'
import type { SmilecamApi } from '../../../shared/api'
import { SmilecamError } from '../../../shared/errors'
import type { CaptureInfo, CaptureRequest } from '../../../shared/ipc'
import { encodedImageUrl } from '../lib/object-url'

export interface CaptureThumb extends CaptureInfo {
  url: string | null
}

/** Most thumbnails loaded into the strip (the newest). */
const STRIP_LIMIT = 24

export function useCaptures(api: SmilecamApi) {
  const captures = ref<CaptureThumb[]>([])
  const error = ref<string | null>(null)
  const urls = new Map<string, string>()

  async function thumbnailUrl(name: string): Promise<string | null> {
    const known = urls.get(name)
    if (known) return known
    try {
      const url = encodedImageUrl(await api.captures.read(name))
      urls.set(name, url)
      return url
    } catch {
      return null // a file that vanished shows as a placeholder, not an error
    }
  }

  function forget(name: string): void {
    const url = urls.get(name)
    if (url) URL.revokeObjectURL(url)
    urls.delete(name)
  }

  async function guard(action: () => Promise<void>): Promise<void> {
    try {
      await action()
      error.value = null
    } catch (caught) {
      error.value = SmilecamError.from(caught).message
    }
  }

  async function refresh(): Promise<void> {
    await guard(async () => {
      const list = (await api.captures.list()).sort((a, b) => b.createdMs - a.createdMs)
      const shown = list.slice(0, STRIP_LIMIT)
      for (const name of [...urls.keys()]) if (!shown.some((each) => each.name === name)) forget(name)
      captures.value = await Promise.all(list.map(async (info, index) => ({
        ...info,
        url: index < STRIP_LIMIT ? await thumbnailUrl(info.name) : null
      })))
    })
  }

  async function save(request: CaptureRequest): Promise<CaptureInfo | null> {
    let saved: CaptureInfo | null = null
    await guard(async () => {
      saved = await api.captures.save(request)
    })
    await refresh()
    return saved
  }

  async function remove(name: string): Promise<void> {
    await guard(() => api.captures.delete(name))
    forget(name)
    await refresh()
  }

  /** The system viewer in the app; in browser mode the photo opens in a new tab. */
  async function open(name: string): Promise<void> {
    // Opened now, while the click still counts as the user's, so the browser does not block it.
    const tab = api.platform === 'browser' ? window.open('about:blank', '_blank') : null
    await guard(async () => {
      const image = await api.captures.open(name)
      if (!image) return tab?.close()
      const url = encodedImageUrl(image)
      if (tab) tab.location.href = url
      else window.open(url, '_blank')
      // The tab has loaded the picture long before; the URL is not needed after that.
      setTimeout(() => URL.revokeObjectURL(url), 60_000)
    })
  }

  onBeforeUnmount(() => {
    for (const name of [...urls.keys()]) forget(name)
  })

  return { captures, error, refresh, save, remove, open }
}
