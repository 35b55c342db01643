/**
 * Reference for the live benchmark: MediaPipe's own solutions (@mediapipe/face_mesh and
 * @mediapipe/selfie_segmentation, WebAssembly + WebGL) in the same Chromium, on 640x480 frames
 * of the same clip. Without a GPU their WebGL runs in software (SwiftShader), which is what a
 * call machine without a GPU gets too; the figure says so.
 */
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { dirname, extname, join, normalize } from 'node:path'
import sharp from 'sharp'
import { percentile } from './data'
import { chromium } from 'playwright-core'
import { BASE_CHROMIUM_FLAGS, CHROMIUM_PATH } from '../tests/e2e/browser'
import { CLIP_HEIGHT, CLIP_WIDTH, clipFrames, CLIP_SEGMENTS } from '../tests/e2e/clips'

export interface MediapipePeerResult {
  name: 'mediapipe-wasm'
  /** Median ms for one frame through face mesh + selfie segmentation. */
  msP50: number
  /** Null when face mesh could not run (see the log line). */
  meshMsP50: number | null
  segmentationMsP50: number
  frames: number
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.data': 'application/octet-stream', '.binarypb': 'application/octet-stream', '.tflite': 'application/octet-stream' }

/** One solution per page: two Emscripten solutions in one page clash over their globals. */
const PAGES: Record<string, string> = {
  '/mesh': '<!doctype html><html><body><script src="/fm/face_mesh.js"></script></body></html>',
  '/segmentation': '<!doctype html><html><body><script src="/ss/selfie_segmentation.js"></script></body></html>'
}

/** Runs in the page: times each solution's send() per frame (plain JavaScript, evaluated as is). */
const PEER_SCRIPT = `(async (sources, kind) => {
  const images = await Promise.all(sources.map(async (src) => { const image = document.createElement('img'); image.src = src; await image.decode(); return image; }));
  let solution;
  if (kind === 'mesh') {
    solution = new FaceMesh({ locateFile: (file) => '/fm/' + file });
    solution.setOptions({ maxNumFaces: 1, refineLandmarks: false, minDetectionConfidence: 0.5, minTrackingConfidence: 0.5 });
  } else {
    solution = new SelfieSegmentation({ locateFile: (file) => '/ss/' + file });
    solution.setOptions({ modelSelection: 1 });
  }
  solution.onResults(() => undefined);
  await solution.initialize();
  await solution.send({ image: images[0] });
  const ms = [];
  for (const image of images) {
    const t = performance.now();
    await solution.send({ image });
    ms.push(performance.now() - t);
  }
  return ms;
})`

export async function benchMediapipePeer(options: { frames?: number; log?: (line: string) => void } = {}): Promise<MediapipePeerResult | null> {
  const log = options.log ?? console.log
  const count = options.frames ?? 12
  const require = createRequire(import.meta.url)
  const roots: Record<string, string> = {
    fm: dirname(require.resolve('@mediapipe/face_mesh/package.json')),
    ss: dirname(require.resolve('@mediapipe/selfie_segmentation/package.json'))
  }
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const [, prefix, ...rest] = url.pathname.split('/')
    const page = PAGES[url.pathname]
    if (page) {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(page)
      return
    }
    const root = roots[prefix]
    const file = root ? normalize(join(root, ...rest)) : null
    if (!root || !file || !file.startsWith(root)) {
      res.writeHead(404).end()
      return
    }
    readFile(file).then(
      (data) => res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(data),
      () => res.writeHead(404).end()
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  try {
    const frames: string[] = []
    let index = 0
    for await (const rgb of clipFrames(CLIP_SEGMENTS.neutral)) {
      if (index++ % 7 !== 0) continue
      const png = await sharp(rgb, { raw: { width: CLIP_WIDTH, height: CLIP_HEIGHT, channels: 3 } }).png().toBuffer()
      frames.push(`data:image/png;base64,${png.toString('base64')}`)
      if (frames.length >= count) break
    }
    // The same Chromium, but with WebGL (software SwiftShader: there is no GPU), which these solutions need.
    const flags = [...BASE_CHROMIUM_FLAGS.filter((flag) => flag !== '--disable-gpu'), '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist']
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: flags })
    const timeSolution = async (kind: 'mesh' | 'segmentation'): Promise<number[]> => {
      const page = await browser.newPage()
      const consoleLines: string[] = []
      page.on('console', (message) => consoleLines.push(message.text()))
      await page.goto(`http://127.0.0.1:${port}/${kind}`)
      // A string, not a function: tsx's name helpers do not exist in the page.
      const ms = (await page.evaluate(`${PEER_SCRIPT}(${JSON.stringify(frames)}, '${kind}')`).catch((error: unknown) => {
        throw new Error(`${kind}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}; page said: ${consoleLines.filter((l) => /failed|error/i.test(l)).slice(0, 2).join(' | ')}`)
      })) as number[]
      await page.close()
      return ms
    }
    try {
      const segMs = await timeSolution('segmentation')
      // @mediapipe/face_mesh 0.4.1657299874 (the version installed) fails to start its graph in
      // some browsers (google-ai-edge/mediapipe#3504); then the peer figure is segmentation alone,
      // a lower bound of what the pair costs.
      let meshMs: number[] | null = null
      let meshProblem = ''
      try {
        meshMs = await timeSolution('mesh')
      } catch (error) {
        meshProblem = error instanceof Error ? error.message.split(';')[0] : String(error)
      }
      const total = meshMs ? meshMs.map((m, i) => m + segMs[i]) : segMs
      const result: MediapipePeerResult = {
        name: 'mediapipe-wasm',
        msP50: percentile(total, 50),
        meshMsP50: meshMs ? percentile(meshMs, 50) : null,
        segmentationMsP50: percentile(segMs, 50),
        frames: total.length
      }
      log(
        `MediaPipe solutions in the same Chromium (WebGL in software: no GPU here, so they are slow): selfie segmentation ` +
          `${result.segmentationMsP50.toFixed(0)} ms` +
          (meshMs ? ` + face mesh ${percentile(meshMs, 50).toFixed(0)} ms = ${result.msP50.toFixed(0)} ms` : `; face mesh did not run (${meshProblem}; known bug google-ai-edge/mediapipe#3504 of this version), so the peer figure is segmentation only, a lower bound`) +
          ` p50 per 640x480 frame (${result.frames} frames)`
      )
      return result
    } finally {
      await browser.close()
    }
  } catch (error) {
    log(`MediaPipe peer could not run: ${error instanceof Error ? error.message : String(error)}`)
    return null
  } finally {
    server.close()
  }
}
