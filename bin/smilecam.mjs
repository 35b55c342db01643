#!/usr/bin/env node
// The Smilecam CLI. An installed package runs the bundle built at prepack (out/cli, plain
// JavaScript); a clone runs the TypeScript sources through tsx (a dev dependency), so edits
// take effect without a build.
import { existsSync } from 'node:fs'

const sources = new URL('../src/cli/index.ts', import.meta.url)
let main
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api')
  register()
  ;({ main } = await import(sources.href))
} else {
  ;({ main } = await import('../out/cli/smilecam.mjs'))
}
process.exitCode = await main(process.argv.slice(2))
