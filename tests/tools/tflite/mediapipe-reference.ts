/**
 * Runs the original MediaPipe solutions (@mediapipe/* packages, their own WASM
 * build of the .tflite models) in headless Chromium on exact RGBA pixels, as
 * the reference for the converted ONNX models. Files are served from a
 * 127.0.0.1 server; nothing leaves the machine.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { RgbaImage } from '../../../src/shared/vision'

export const CHROMIUM_PATH = '/usr/bin/chromium'
export const chromiumAvailable = existsSync(CHROMIUM_PATH)

const PACKAGES = resolve('node_modules/@mediapipe')
const MIME: Record<string, string> = {
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.html': 'text/html',
  '.data': 'application/octet-stream',
  '.binarypb': 'application/octet-stream',
  '.tflite': 'application/octet-stream'
}

/**
 * The face_detection solution's "full" model is face_detection_full_range_sparse.tflite, a
 * different (pruned, DENSIFY) network. We serve the dense face_detection_full_range.tflite under
 * that name so MediaPipe's runtime executes exactly the model we convert (same I/O and graph).
 */
const FILE_ALIASES: Record<string, string> = {
  'face_detection/face_detection_full_range_sparse.tflite': 'face_detection/face_detection_full_range.tflite'
}

const PAGE = `<!doctype html><html><body><canvas id="c"></canvas>
<script src="/mp/face_detection/face_detection.js"></script>
<script src="/mp/face_mesh/face_mesh.js"></script>
<script src="/mp/selfie_segmentation/selfie_segmentation.js"></script>
<script>
  async function loadCanvas(width, height) {
    const bytes = new Uint8ClampedArray(await (await fetch('/pixels')).arrayBuffer())
    const canvas = document.getElementById('c')
    canvas.width = width; canvas.height = height
    canvas.getContext('2d').putImageData(new ImageData(bytes, width, height), 0, 0)
    return canvas
  }
  async function once(solution, options, canvas) {
    solution.setOptions(options)
    // Each image is a new scene: no tracking from the previous one.
    solution.reset()
    let resolve
    const result = new Promise((r) => { resolve = r })
    solution.onResults(resolve)
    await solution.send({ image: canvas })
    return result
  }
  function readMask(bitmap, width, height) {
    const c = document.createElement('canvas')
    c.width = width; c.height = height
    const ctx = c.getContext('2d')
    ctx.drawImage(bitmap, 0, 0, width, height)
    const rgba = ctx.getImageData(0, 0, width, height).data
    // The mask carries the probability in red and alpha; getImageData un-premultiplies,
    // which turns red into 255 wherever alpha > 0, so alpha is the value to read.
    const out = new Array(width * height)
    for (let i = 0; i < out.length; i++) out[i] = rgba[4 * i + 3]
    return out
  }
  window.solutions = {}
  window.solve = async (kind, options, width, height) => {
    const canvas = await loadCanvas(width, height)
    const locate = (pkg) => ({ locateFile: (f) => '/mp/' + pkg + '/' + f })
    if (kind === 'detection') {
      let s = window.solutions.detection
      if (!s) {
        s = window.solutions.detection = new FaceDetection(locate('face_detection'))
        // Starting directly with model "full" aborts in this package version, and the first
        // result after a switch is stale: start short, switch, and discard both warm-up results.
        await once(s, { ...options, model: 'short' }, canvas)
        await once(s, options, canvas)
      }
      const r = await once(s, options, canvas)
      return r.detections.map((d) => ({ box: d.boundingBox, landmarks: d.landmarks, }))
    }
    if (kind === 'mesh') {
      const s = window.solutions.mesh ??= new FaceMesh(locate('face_mesh'))
      const r = await once(s, options, canvas)
      return r.multiFaceLandmarks ?? []
    }
    if (kind === 'selfie') {
      const s = window.solutions.selfie ??= new SelfieSegmentation(locate('selfie_segmentation'))
      const r = await once(s, options, canvas)
      return readMask(r.segmentationMask, width, height)
    }
    throw new Error('unknown solution ' + kind)
  }
</script></body></html>`

export interface ReferenceDetection {
  /** Normalised to the image. */
  box: { xCenter: number; yCenter: number; width: number; height: number }
  landmarks: { x: number; y: number }[]
}

/** One browser + server pair; feed images with `use(image)` and query the solutions. */
/**
 * One browser + server; each solution (and detector model) gets its own page,
 * because two solution instances in one page share and break one WASM runtime.
 * Feed images with `use(image)`, then query the solutions.
 */
export class MediapipeReference {
  private pixels: Uint8Array = new Uint8Array(0)
  private size = { width: 0, height: 0 }
  private readonly pages = new Map<string, Page>()

  private constructor(
    private readonly server: Server,
    private readonly browser: Browser,
    private readonly baseUrl: string
  ) {}

  static async start(): Promise<MediapipeReference> {
    let current: MediapipeReference | null = null
    const server = createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1')
        if (url.pathname === '/') {
          res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE)
        } else if (url.pathname === '/pixels' && current) {
          res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(current.pixels)
        } else if (url.pathname.startsWith('/mp/')) {
          const requested = url.pathname.slice(4)
          const file = normalize(join(PACKAGES, FILE_ALIASES[requested] ?? requested))
          if (!file.startsWith(PACKAGES)) {
            res.writeHead(403).end()
            return
          }
          const body = await readFile(file)
          res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body)
        } else {
          if (process.env.MEDIAPIPE_REFERENCE_DEBUG) console.log('[server] 404', url.pathname)
          res.writeHead(404).end()
        }
      })().catch(() => res.writeHead(404).end())
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        // WebGL through SwiftShader: the solutions need a GL context even with CPU inference.
        '--enable-unsafe-swiftshader'
      ]
    })
    const { port } = server.address() as AddressInfo
    current = new MediapipeReference(server, browser, `http://127.0.0.1:${port}/`)
    return current
  }

  use(image: RgbaImage): void {
    this.pixels = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength)
    this.size = { width: image.width, height: image.height }
  }

  private async page(key: string): Promise<Page> {
    const existing = this.pages.get(key)
    if (existing) return existing
    const page = await this.browser.newPage()
    if (process.env.MEDIAPIPE_REFERENCE_DEBUG) page.on('console', (m) => console.log(`[chromium ${key}]`, m.text()))
    await page.goto(this.baseUrl)
    this.pages.set(key, page)
    return page
  }

  private async solve<T>(key: string, kind: string, options: Record<string, unknown>): Promise<T> {
    const page = await this.page(key)
    return page.evaluate(
      ([k, o, w, h]) => (globalThis as unknown as { solve: (...a: unknown[]) => Promise<T> }).solve(k, o, w, h),
      [kind, options, this.size.width, this.size.height] as const
    )
  }

  /** Detections of the face_detection solution (CPU inference, its default 0.5 score threshold). */
  detections(model: 'short' | 'full'): Promise<ReferenceDetection[]> {
    return this.solve(`detection-${model}`, 'detection', { model, useCpuInference: true, selfieMode: false })
  }

  /** 468 normalised points (x, y in 0..1 of the image, z in units of image width) per face. */
  mesh(maxNumFaces = 1): Promise<{ x: number; y: number; z: number }[][]> {
    return this.solve('mesh', 'mesh', { maxNumFaces, refineLandmarks: false, selfieMode: false, useCpuInference: true })
  }

  /** Person probability 0..255 at image resolution, row-major. */
  async mask(modelSelection: 0 | 1): Promise<Uint8Array> {
    return Uint8Array.from(
      await this.solve<number[]>(`selfie-${modelSelection}`, 'selfie', { modelSelection, selfieMode: false, useCpuInference: true })
    )
  }

  async close(): Promise<void> {
    await this.browser.close()
    await new Promise<void>((done) => this.server.close(() => done()))
  }
}
