/**
 * Builds the renderer as a plain web page for browser mode (served by
 * src/server with the same CSP). The page talks to the server through the
 * browser bridge instead of the Electron preload.
 */
import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  root: resolve('src/renderer'),
  base: '/',
  resolve: { alias: { '@renderer': resolve('src/renderer/src') } },
  plugins: [vue()],
  build: {
    outDir: resolve('out/web'),
    emptyOutDir: true,
    // Keep every script an external file: the CSP has no 'unsafe-inline' for scripts.
    assetsInlineLimit: (file) => (file.endsWith('.js') ? false : undefined),
    sourcemap: false
  }
})
