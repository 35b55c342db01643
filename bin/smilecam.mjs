#!/usr/bin/env node
// Runs the Smilecam CLI from its TypeScript sources (tsx is a runtime dependency).
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli/index.ts')
process.exitCode = await main(process.argv.slice(2))
