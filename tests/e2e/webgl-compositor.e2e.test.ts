/**
 * The WebGL compositor (src/renderer/src/lib/blur-compositor.ts) on real WebGL2: Chromium with
 * SwiftShader (ANGLE's CPU backend). The live view picks the 2D-canvas compositor on software
 * WebGL, so without this test the WebGL one would never run. The page draws a frame whose
 * "face" (the middle) and background are both fine checkerboards, keeps the face with a mask
 * and reads the composited pixels back.
 */
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { chromium } from 'playwright-core'
import { BASE_CHROMIUM_FLAGS, CHROMIUM_PATH } from './browser'
import { compareRegion, type RawFrame } from './frame-compare'
import { existsSync } from 'node:fs'

const skipReason = existsSync(CHROMIUM_PATH) ? null : `WebGL e2e skipped: ${CHROMIUM_PATH} is missing (apt-get install chromium)`
if (skipReason) it.skip(skipReason, () => undefined)

/** Software WebGL2 through ANGLE: what a machine without a usable GPU gets. */
const SWIFTSHADER_FLAGS = [...BASE_CHROMIUM_FLAGS.filter((flag) => flag !== '--disable-gpu'), '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader']

const WIDTH = 320
const HEIGHT = 240
const FACE = { x0: 0.375, y0: 0.3, x1: 0.625, y1: 0.7 }

/**
 * Runs in the page (plain JavaScript, so the Node typecheck needs no DOM types): composites a
 * synthetic frame with the bundled compositor and returns what the canvas shows and the frame.
 */
const COMPOSITE_IN_PAGE = `(({ width, height, face, strength }) => {
  const frame = document.createElement('canvas')
  frame.width = width
  frame.height = height
  const context = frame.getContext('2d')
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      context.fillStyle = (x + y) % 4 === 0 ? '#f0f0f0' : '#202020'
      context.fillRect(x, y, 2, 2)
    }
  }
  const reference = context.getImageData(0, 0, width, height).data
  // A coarse mask like the segmenter's: 1 on the face rectangle, 0 elsewhere.
  const maskWidth = 64
  const maskHeight = 48
  const mask = new Float32Array(maskWidth * maskHeight)
  for (let y = 0; y < maskHeight; y++) {
    for (let x = 0; x < maskWidth; x++) {
      const u = (x + 0.5) / maskWidth
      const v = (y + 0.5) / maskHeight
      if (u >= face.x0 && u <= face.x1 && v >= face.y0 && v <= face.y1) mask[y * maskWidth + x] = 1
    }
  }
  const output = document.createElement('canvas')
  const compositor = globalThis.compositor.createBlurCompositor(output)
  compositor.uploadFrame(0, frame, width, height)
  compositor.setMask(mask, maskWidth, maskHeight)
  compositor.render(0, { blur: true, strength, refreshBackground: true })
  const gl = output.getContext('webgl2')
  const info = gl.getExtension('WEBGL_debug_renderer_info')
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER))
  // Read back through a 2D canvas (the WebGL canvas keeps its drawing buffer).
  const readback = document.createElement('canvas')
  readback.width = width
  readback.height = height
  const readContext = readback.getContext('2d')
  readContext.drawImage(output, 0, 0)
  const shown = readContext.getImageData(0, 0, width, height).data
  compositor.close()
  return { renderer, shown: Array.from(shown), reference: Array.from(reference) }
})`

interface PageResult {
  renderer: string
  shown: number[]
  reference: number[]
}

function meanLuma(frame: RawFrame, region: typeof FACE): number {
  let sum = 0
  let count = 0
  for (let y = Math.round(region.y0 * frame.height); y < Math.round(region.y1 * frame.height); y++) {
    for (let x = Math.round(region.x0 * frame.width); x < Math.round(region.x1 * frame.width); x++) {
      const i = (y * frame.width + x) * frame.channels
      sum += 0.299 * frame.data[i] + 0.587 * frame.data[i + 1] + 0.114 * frame.data[i + 2]
      count++
    }
  }
  return sum / count
}

describe.skipIf(skipReason)('WebGL blur compositor in Chromium (SwiftShader)', () => {
  let browser: Browser
  let bundle: string

  beforeAll(async () => {
    const built = await build({
      entryPoints: ['src/renderer/src/lib/blur-compositor.ts'],
      bundle: true,
      format: 'iife',
      globalName: 'compositor',
      write: false,
      logLevel: 'warning'
    })
    bundle = built.outputFiles[0].text
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: SWIFTSHADER_FLAGS })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('blurs the background and leaves the face sharp, on real WebGL2 pixels', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.setContent('<!doctype html><title>compositor</title>')
    await page.addScriptTag({ content: bundle })
    const args = JSON.stringify({ width: WIDTH, height: HEIGHT, face: FACE, strength: 0.8 })
    const result = (await page.evaluate(`${COMPOSITE_IN_PAGE}(${args})`)) as PageResult
    await page.close()
    expect(errors).toEqual([])
    expect(result.renderer).toMatch(/swiftshader/i)
    const frame = (data: number[]): RawFrame => ({ width: WIDTH, height: HEIGHT, channels: 4, data: Uint8Array.from(data) })
    const shown = frame(result.shown)
    const reference = frame(result.reference)
    // Inside the face, away from the feathered edge: the original pixels.
    const inner = { x0: FACE.x0 + 0.04, y0: FACE.y0 + 0.06, x1: FACE.x1 - 0.04, y1: FACE.y1 - 0.06 }
    const face = compareRegion(shown, reference, inner)
    // A background band well away from the face: the 2-px checkerboard averages out to grey.
    const background = compareRegion(shown, reference, { x0: 0.02, y0: 0.05, x1: 0.25, y1: 0.95 })
    console.log('WebGL compositor (SwiftShader):', JSON.stringify({ renderer: result.renderer, face, background }))
    expect(face.sharpness).toBeGreaterThan(0.9)
    expect(face.diff).toBeLessThan(8)
    expect(background.sharpness).toBeLessThan(0.1)
    expect(background.diff).toBeGreaterThan(40)
    // Blurred, not blanked: the background is the checkerboard's mean grey ((240 + 32) / 2).
    expect(meanLuma(shown, { x0: 0.02, y0: 0.05, x1: 0.25, y1: 0.95 })).toBeCloseTo(136, -1)
  })
})
