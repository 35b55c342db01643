#!/usr/bin/env node
// A stand-in for ffmpeg in the sink tests: records its argv and what arrives on stdin, and can be
// told (FAKE_FFMPEG, a JSON object) to fail at start, die after some bytes, or read slowly.
//   record: file to write {argv, bytes, sha256, ended} into when stdin ends or it dies
//   stderr: text to print on stderr before failing; exitCode: the code to fail with
//   failAtStart: fail before reading anything; dieAfterBytes: fail once this many bytes came in
//   readDelayMs: pause between chunks (a slow consumer, for backpressure)
//   ignoreTerm: keep running on SIGTERM (tests the kill fallback)
//   frameBytes: also record the first byte of every frame of this size (which frames arrived)
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'

const config = JSON.parse(process.env.FAKE_FFMPEG ?? '{}')
const hash = createHash('sha256')
let bytes = 0
const frameFirstBytes = []

function record(ended) {
  if (config.record) writeFileSync(config.record, JSON.stringify({ argv: process.argv.slice(2), bytes, sha256: hash.copy().digest('hex'), frameFirstBytes, ended }))
}

function fail() {
  record(false)
  if (config.stderr) process.stderr.write(`${config.stderr}\n`)
  process.exit(config.exitCode ?? 1)
}

if (config.ignoreTerm) process.on('SIGTERM', () => undefined)
if (config.failAtStart) fail()

process.stdin.on('data', (chunk) => {
  const room = config.dieAfterBytes === undefined ? chunk.length : Math.max(0, config.dieAfterBytes - bytes)
  const taken = chunk.subarray(0, room)
  if (config.frameBytes) {
    for (let i = 0; i < taken.length; i++) if ((bytes + i) % config.frameBytes === 0) frameFirstBytes.push(taken[i])
  }
  hash.update(taken)
  bytes += taken.length
  if (config.dieAfterBytes !== undefined && bytes >= config.dieAfterBytes) fail()
  if (config.readDelayMs) {
    process.stdin.pause()
    setTimeout(() => process.stdin.resume(), config.readDelayMs)
  }
})
process.stdin.on('end', () => {
  record(true)
  if (config.ignoreTerm) setInterval(() => undefined, 1000)
  else process.exit(0)
})
