import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  main: {
    build: {
      // The vision host runs in a utilityProcess, so it is its own entry.
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          'vision-host': resolve('src/engine/host.ts')
        },
        external: ['onnxruntime-node', 'sharp']
      }
    }
  },
  preload: {
    build: {
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } }
    }
  },
  renderer: {
    resolve: { alias: { '@renderer': resolve('src/renderer/src') } },
    plugins: [vue()]
  }
})
