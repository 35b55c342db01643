import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { '@renderer': resolve('src/renderer/src') } },
  test: {
    include: ['tests/**/*.test.ts'],
    // Engine integration and e2e tests start processes and browsers; keep them unhurried.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false
  }
})
