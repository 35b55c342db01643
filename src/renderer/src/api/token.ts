/** The browser-mode access token: read from ?token= once, kept in sessionStorage, stripped from the URL. */

export const TOKEN_STORAGE_KEY = 'smilecam.token'

export interface TokenEnvironment {
  location: { search: string; pathname: string; hash: string }
  storage: Pick<Storage, 'getItem' | 'setItem'>
  replaceUrl: (url: string) => void
}

export function takeBridgeToken(env: TokenEnvironment): string | null {
  const params = new URLSearchParams(env.location.search)
  const fromUrl = params.get('token')
  if (fromUrl) {
    env.storage.setItem(TOKEN_STORAGE_KEY, fromUrl)
    params.delete('token')
    const rest = params.toString()
    // Keep the token out of history, bookmarks and screenshots of the address bar.
    env.replaceUrl(`${env.location.pathname}${rest ? `?${rest}` : ''}${env.location.hash}`)
    return fromUrl
  }
  return env.storage.getItem(TOKEN_STORAGE_KEY)
}
