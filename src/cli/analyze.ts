/** `smilecam analyze <image...>`: one JSON line (or a short summary) per input. */
import { basename, extname, resolve } from 'node:path'
import { SmilecamError } from '../shared/errors'
import { FACE_FILTERS, isFaceFilter, placeFilterOnFaces, type FaceFilter } from '../shared/face-filters'
import { featureBoxes } from '../shared/feature-boxes'
import type { FaceResult, RgbaImage, VisionOptions } from '../shared/vision'
import { decodeFile, detectFaces, faceVerdicts, renderFiltered, writeUniqueFile, type AuditEngine, type FaceVerdicts } from '../core'
import { VisionEngine } from '../engine'
import { parseArgs } from './args'
import { expandInputs } from './inputs'
import type { CliIo } from './io'
import { ANALYZE_USAGE } from './usage'

export const ANALYZE_HELP = `${ANALYZE_USAGE}

Finds faces and their 68 iBUG landmarks in photos (JPEG, PNG, WebP, AVIF, TIFF, GIF).
A folder is searched recursively for image files; other files in it are skipped.

Options:
  --json            one JSON object per input on its own line
  --assume-face     treat each whole image as one already-cropped face (no detection)
  --detector NAME   short (near faces), full (small or distant faces) or auto (default)
  --landmarks NAME  combined (default), mesh or ibug68: which model gives the 68 points
  --max-faces N     most faces per image (default 8)
  --filter NAME     draw a face filter on every face (${FACE_FILTERS.join(', ')}) and write
                    <name>-<filter>.jpg into --out
  --boxes           box and label the eyes, nose and mouth of every face, written as
                    <name>-boxes.jpg (or into the --filter image)
  --out DIR         folder for --filter/--boxes images (default: the current folder; never overwritten)
  --models DIR      folder with the .onnx models (default: the installed resources/models)

Each JSON line is
  {"file","width","height","faces":[{"box","score","landmarks68","mar","ear","smile","smiling",
   "emotion":{"label","scores"},"sentiment","teethVisible","faceAreaRatio","faceLargeEnough"}],"timings":{...}}
with "file" the path as you gave it (or found in a folder), faces largest first and coordinates
in the image as displayed (EXIF orientation applied).
A file that cannot be analysed prints {"file","error":{"code","message"}}; the run goes on and
the exit code is 1.`

const BOOLEAN_FLAGS = ['json', 'assume-face', 'boxes', 'help']
const VALUE_FLAGS = ['detector', 'landmarks', 'max-faces', 'models', 'filter', 'out']

/** What `--filter` / `--boxes` draw, and where. */
interface DrawRequest {
  filter?: FaceFilter
  boxes: boolean
  outDir: string
}

function drawRequest(args: ReturnType<typeof parseArgs>, cwd: string): DrawRequest | undefined {
  const filter = args.values.get('filter')
  if (filter !== undefined && !isFaceFilter(filter)) throw new SmilecamError('INVALID_INPUT', `--filter must be one of ${FACE_FILTERS.join(', ')}.`)
  const boxes = args.flags.has('boxes')
  if (filter === undefined && !boxes) {
    if (args.values.has('out')) throw new SmilecamError('INVALID_INPUT', '--out is for the --filter and --boxes images.')
    return undefined
  }
  return { filter, boxes, outDir: resolve(cwd, args.values.get('out') ?? '.') }
}

/** Writes the photo with the filter and/or feature boxes on every face; returns the path. */
async function drawFaces(request: DrawRequest, file: string, image: RgbaImage, faces: readonly FaceResult[]): Promise<string> {
  const placements = request.filter ? placeFilterOnFaces(request.filter, faces) : []
  const boxes = request.boxes ? faces.flatMap((f) => featureBoxes(f.landmarks68)) : []
  const drawn = await renderFiltered(image, placements, boxes)
  const base = basename(file, extname(file)).replace(/[^A-Za-z0-9._-]+/g, '-') || 'photo'
  const suffix = request.filter ?? 'boxes'
  return writeUniqueFile(request.outDir, drawn.data, {
    nameFor: (attempt) => (attempt === 0 ? `${base}-${suffix}.jpg` : `${base}-${suffix}-${attempt}.jpg`),
    what: `the ${suffix} image`
  })
}

export async function runAnalyzeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, BOOLEAN_FLAGS, VALUE_FLAGS)
  if (args.flags.has('help')) {
    io.out(ANALYZE_HELP)
    return 0
  }
  if (args.positionals.length === 0) throw new SmilecamError('INVALID_INPUT', 'Name at least one image or folder. See smilecam analyze --help.')
  const draw = drawRequest(args, io.cwd)
  const options = analyzeOptions(args.values, args.flags)
  const files = await expandInputs(args.positionals, io.cwd)
  if (files.length === 0) {
    throw new SmilecamError('INVALID_INPUT', `No image files (JPEG, PNG, WebP, AVIF, TIFF, GIF) in ${args.positionals.map((p) => `"${p}"`).join(', ')}.`)
  }
  const engine = await VisionEngine.create({ modelDir: args.values.get('models') ?? io.modelDir, ...options })
  let failures = 0
  try {
    for (const file of files) {
      const line = await analyzeOne(engine, file, io.cwd, draw && ((image, faces) => drawFaces(draw, file, image, faces)))
      if ('error' in line) failures++
      io.out(args.flags.has('json') ? JSON.stringify(line) : summarize(line))
    }
  } finally {
    await engine.close()
  }
  return failures > 0 ? 1 : 0
}

function analyzeOptions(values: Map<string, string>, flags: Set<string>): Partial<VisionOptions> {
  const options: Partial<VisionOptions> = { assumeFace: flags.has('assume-face') }
  const detector = values.get('detector')
  if (detector !== undefined) {
    if (detector !== 'short' && detector !== 'full' && detector !== 'auto') {
      throw new SmilecamError('INVALID_INPUT', '--detector must be short, full or auto.')
    }
    options.detector = detector
  }
  const landmarks = values.get('landmarks')
  if (landmarks !== undefined) {
    if (landmarks !== 'combined' && landmarks !== 'mesh' && landmarks !== 'ibug68') {
      throw new SmilecamError('INVALID_INPUT', '--landmarks must be combined, mesh or ibug68.')
    }
    options.landmarkModel = landmarks
  }
  const maxFaces = values.get('max-faces')
  if (maxFaces !== undefined) {
    const n = Number(maxFaces)
    if (!Number.isInteger(n) || n < 1 || n > 100) throw new SmilecamError('INVALID_INPUT', '--max-faces must be a whole number from 1 to 100.')
    options.maxFaces = n
  }
  return options
}

export interface AnalyzeFace extends FaceVerdicts {
  box: { x: number; y: number; width: number; height: number }
  score: number
  landmarks68: [number, number][]
  mar: number
  ear: number
}

export type AnalyzeLine =
  | {
      file: string
      width: number
      height: number
      faces: AnalyzeFace[]
      timings: { decodeMs: number; detectMs: number; landmarksMs: number; totalMs: number }
      /** The --filter / --boxes image written. */
      drawn?: string
    }
  | { file: string; error: { code: string; message: string } }

/**
 * Analyses one file (`file` as the user gave it, resolved against `cwd`); never throws (errors
 * become the error line). Faces are found as the audit finds them (detectFaces). `draw` writes
 * an image of the faces found.
 */
export async function analyzeOne(
  engine: AuditEngine,
  file: string,
  cwd: string,
  draw?: (image: RgbaImage, faces: readonly FaceResult[]) => Promise<string>
): Promise<AnalyzeLine> {
  try {
    const started = performance.now()
    const decoded = await decodeFile(resolve(cwd, file))
    const decodeMs = performance.now() - started
    // Expressions feed the smile, emotion and sentiment fields.
    const { vision: result } = await detectFaces(engine, decoded.image, { expression: true })
    const drawn = draw ? await draw(decoded.image, result.faces) : undefined
    return {
      file,
      width: decoded.width,
      height: decoded.height,
      faces: result.faces.map((face) => cliFace(face, decoded.width, decoded.height)),
      timings: {
        decodeMs: round(decodeMs, 1),
        detectMs: round(result.timings.detectMs, 1),
        landmarksMs: round(result.timings.landmarksMs, 1),
        totalMs: round(performance.now() - started, 1)
      },
      ...(drawn ? { drawn } : {})
    }
  } catch (error) {
    return { file, error: SmilecamError.from(error).toJSON() }
  }
}

function cliFace(face: FaceResult, width: number, height: number): AnalyzeFace {
  const verdicts = faceVerdicts(face, width, height)
  return {
    box: { x: round(face.box.x, 1), y: round(face.box.y, 1), width: round(face.box.width, 1), height: round(face.box.height, 1) },
    score: round(face.score, 3),
    landmarks68: face.landmarks68.map(([x, y]) => [round(x, 1), round(y, 1)]),
    mar: round(face.mar, 4),
    ear: round(face.ear, 4),
    smile: round(verdicts.smile, 3),
    smiling: verdicts.smiling,
    emotion: {
      label: verdicts.emotion.label,
      scores: Object.fromEntries(Object.entries(verdicts.emotion.scores).map(([k, v]) => [k, round(v, 4)])) as FaceVerdicts['emotion']['scores']
    },
    sentiment: verdicts.sentiment,
    teethVisible: verdicts.teethVisible,
    faceAreaRatio: round(verdicts.faceAreaRatio, 4),
    faceLargeEnough: verdicts.faceLargeEnough
  }
}

function summarize(line: AnalyzeLine): string {
  if ('error' in line) return `${line.file}: error ${line.error.code}: ${line.error.message}`
  const faces = line.faces.map(
    (f, i) =>
      `  face ${i + 1}: ${Math.round(f.box.width)}×${Math.round(f.box.height)} px, score ${f.score}, MAR ${f.mar}, EAR ${f.ear}, ` +
      `${f.emotion.label} (${f.sentiment}), ${f.smiling ? 'smiling' : 'not smiling'}, teeth ${f.teethVisible ? 'visible' : 'not visible'}, ` +
      `fills ${Math.round(f.faceAreaRatio * 100)}% of the circle`
  )
  const drawn = line.drawn ? [`  wrote ${line.drawn}`] : []
  return [`${line.file}: ${line.width}×${line.height}, ${line.faces.length} face(s), ${line.timings.totalMs} ms`, ...faces, ...drawn].join('\n')
}

function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
