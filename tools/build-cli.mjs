/**
 * `npm run build:cli` (run by prepack): bundles the CLI and the vision host it forks into plain
 * JavaScript in out/cli, so an installed package runs with Node alone (no tsx, no TypeScript).
 * onnxruntime-node and sharp stay external: they load native libraries from their own folders.
 */
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

const started = performance.now()
await build({
  absWorkingDir: root,
  entryPoints: { smilecam: 'src/cli/index.ts', host: 'src/engine/host.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  // Each command is its own chunk, loaded when run: `smilecam --help` reads none of them.
  splitting: true,
  chunkNames: '[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['onnxruntime-node', 'sharp'],
  // Bundled CommonJS code may call require(); ESM has none unless it is made.
  banner: { js: "import { createRequire as __smilecamRequire } from 'node:module'; const require = __smilecamRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning'
})
console.log(`build:cli: out/cli/smilecam.mjs and out/cli/host.mjs (${Math.round(performance.now() - started)} ms)`)
