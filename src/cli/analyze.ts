/** `smilecam analyze <image...>`: one JSON line (or a short summary) per input. */
import { basename } from 'node:path'
import { SmilecamError } from '../shared/errors'
import type { FaceResult, VisionOptions } from '../shared/vision'
import { decodeFile, faceVerdicts, type FaceVerdicts } from '../core'
import { VisionEngine } from '../engine'
import { parseArgs } from './args'
import type { CliIo } from './io'

export const ANALYZE_HELP = `Usage: smilecam analyze <image...> [options]

Finds faces and their 68 iBUG landmarks in JPEG, PNG or WebP photos.

Options:
  --json            one JSON object per input on its own line
  --assume-face     treat each whole image as one already-cropped face (no detection)
  --detector NAME   short (near faces), full (small or distant faces) or auto (default)
  --landmarks NAME  combined (default), mesh or ibug68: which model gives the 68 points
  --max-faces N     most faces per image (default 8)
  --models DIR      folder with the .onnx models (default: the installed resources/models)

Each JSON line is
  {"file","width","height","faces":[{"box","score","landmarks68","mar","ear","smile","smiling",
   "emotion":{"label","scores"},"sentiment","teethVisible","faceAreaRatio","faceLargeEnough"}],"timings":{...}}
with faces largest first and coordinates in the image as displayed (EXIF orientation applied).
A file that cannot be analysed prints {"file","error":{"code","message"}}; the run goes on and
the exit code is 1.`

const BOOLEAN_FLAGS = ['json', 'assume-face', 'help']
const VALUE_FLAGS = ['detector', 'landmarks', 'max-faces', 'models']

export async function runAnalyzeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, BOOLEAN_FLAGS, VALUE_FLAGS)
  if (args.flags.has('help')) {
    io.out(ANALYZE_HELP)
    return 0
  }
  if (args.positionals.length === 0) throw new SmilecamError('INVALID_INPUT', 'Name at least one image. See smilecam analyze --help.')
  const engine = await VisionEngine.create({ modelDir: args.values.get('models') ?? io.modelDir, ...analyzeOptions(args.values, args.flags) })
  let failures = 0
  try {
    for (const file of args.positionals) {
      const line = await analyzeOne(engine, file)
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
    }
  | { file: string; error: { code: string; message: string } }

/** Analyses one file; never throws (errors become the error line). */
export async function analyzeOne(engine: VisionEngine, file: string): Promise<AnalyzeLine> {
  const name = basename(file)
  try {
    const started = performance.now()
    const decoded = await decodeFile(file)
    const decodeMs = performance.now() - started
    // Expressions feed the smile, emotion and sentiment fields.
    const result = await engine.detect(decoded.image, { expression: true })
    return {
      file: name,
      width: decoded.width,
      height: decoded.height,
      faces: result.faces.map((face) => cliFace(face, decoded.width, decoded.height)),
      timings: {
        decodeMs: round(decodeMs, 1),
        detectMs: round(result.timings.detectMs, 1),
        landmarksMs: round(result.timings.landmarksMs, 1),
        totalMs: round(performance.now() - started, 1)
      }
    }
  } catch (error) {
    return { file: name, error: SmilecamError.from(error).toJSON() }
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
  return [`${line.file}: ${line.width}×${line.height}, ${line.faces.length} face(s), ${line.timings.totalMs} ms`, ...faces].join('\n')
}

function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
