/**
 * `npm run train -- smile|emotion|teeth`: fits the learned decisions on ../shared/data/train
 * (or $SMILECAM_DATA/train), chooses their settings by cross-validation inside it, and prints
 * the cross-validated and dev figures. The dev sets are only reported.
 *
 *   emotion  PyTorch (tools/train/emotion.py) -> resources/models/trained/emotion-fer48.onnx
 *   smile    engine features (face-features.ts) + logistic regression (smile.py) -> trained/smile-head.json
 *   teeth    engine features on headshots, leave-one-out over a coarse grid -> prints the rule
 *            to keep in DEFAULT_TEETH_RULE / the audit MAR threshold (no teeth training set)
 *
 * PyTorch runs only here: $SMILECAM_PYTHON (default python3) must import torch and numpy, e.g.
 * a venv made from the CPU wheel. Skips with a message when the data or PyTorch is missing.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { csvLabelledPhotos, extractFaceFeatures, folderLabelledPhotos, type FaceFeatures } from './face-features'
import { buildCropNetOnnx, probeDifference, type TrainedEmotionNet } from './emotion-onnx'
import { compareEmotionEnsembles } from './emotion-ensembles'
import { bestTeethCandidate, leaveOneOutAccuracy, teethAccuracy, teethGrid } from './teeth-rule'

const MODEL_DIR = resolve('resources/models')
const TRAINED_DIR = join(MODEL_DIR, 'trained')
const TOOLS_DIR = resolve('tools/train')

function dataRoot(): string {
  return resolve(process.env.SMILECAM_DATA ?? join('..', 'shared', 'data'))
}

function folder(...parts: string[]): string | null {
  const dir = join(dataRoot(), ...parts)
  return existsSync(dir) ? dir : null
}

function python(): string {
  return process.env.SMILECAM_PYTHON ?? 'python3'
}

function hasTorch(): boolean {
  return spawnSync(python(), ['-c', 'import torch, numpy, PIL'], { stdio: 'ignore' }).status === 0
}

function runPython(script: string, args: string[]): void {
  const result = spawnSync(python(), [join(TOOLS_DIR, script), ...args], { stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`${script} failed (exit ${result.status})`)
}

async function trainEmotion(scratch: string): Promise<void> {
  const train = folder('train', 'emotion')
  if (!train) return skip('train/emotion')
  const weights = join(scratch, 'emotion-weights.json')
  runPython('emotion.py', ['--train', train, ...devArg(folder('emotion')), '--out', weights])
  const net = JSON.parse(await readFile(weights, 'utf8')) as TrainedEmotionNet
  await mkdir(TRAINED_DIR, { recursive: true })
  const onnxPath = join(TRAINED_DIR, 'emotion-fer48.onnx')
  await writeFile(onnxPath, buildCropNetOnnx(net, 7, 'smilecam_emotion'))
  console.log(`emotion: wrote ${onnxPath}; max |onnxruntime - PyTorch| on the probe ${(await probeDifference(onnxPath, net)).toExponential(1)}`)
  const files = (net as TrainedEmotionNet & { scores?: { validation_files?: string[] } }).scores?.validation_files ?? []
  for (const [members, accuracy] of await compareEmotionEnsembles(MODEL_DIR, train, files)) {
    console.log(`emotion: validation fold (${files.length} images): ${members} ${(accuracy * 100).toFixed(1)}%${members.includes('fer') ? ' (fer trained on this fold: not held out)' : ''}`)
  }
  console.log('emotion: EMOTION_ENSEMBLE (src/engine/tasks/expression.ts) is the best held-out line.')
}

async function trainSmile(scratch: string): Promise<void> {
  const train = folder('train', 'smile')
  if (!train) return skip('train/smile')
  const emotionNet = join(TRAINED_DIR, 'emotion-fer48.onnx')
  if (!existsSync(emotionNet)) throw new Error(`${emotionNet} is missing: the smile net starts from it (npm run train -- emotion)`)
  const trainFeatures = join(scratch, 'smile-train.jsonl')
  console.log('smile: extracting features and face crops of the training photos with the engine')
  await extractFaceFeatures(MODEL_DIR, train, await folderLabelledPhotos(train, 'smile', 'no_smile'), trainFeatures, `${trainFeatures}.crops`)
  const dev = folder('smile')
  const devFeatures = join(scratch, 'smile-dev.jsonl')
  if (dev) await extractFaceFeatures(MODEL_DIR, dev, await folderLabelledPhotos(dev, 'smile', 'no_smile'), devFeatures, `${devFeatures}.crops`)
  await mkdir(TRAINED_DIR, { recursive: true })
  const weights = join(scratch, 'smile-net-weights.json')
  runPython('smile_net.py', [
    ...['--init', emotionNet, '--train', trainFeatures, '--train-crops', `${trainFeatures}.crops`],
    ...(dev ? ['--dev', devFeatures, '--dev-crops', `${devFeatures}.crops`, '--dev-out', join(scratch, 'smile-net-dev.json')] : []),
    ...['--out', weights, '--oof', join(scratch, 'smile-net-oof.json')]
  ])
  const net = JSON.parse(await readFile(weights, 'utf8')) as TrainedEmotionNet
  const netPath = join(TRAINED_DIR, 'smile-net48.onnx')
  await writeFile(netPath, buildCropNetOnnx(net, 2, 'smilecam_smile'))
  console.log(`smile: wrote ${netPath}; max |onnxruntime - PyTorch| on the probe ${(await probeDifference(netPath, net)).toExponential(1)}`)
  runPython('smile.py', [
    ...['--train', trainFeatures, '--smilenet-train', join(scratch, 'smile-net-oof.json')],
    ...(dev ? ['--dev', devFeatures, '--smilenet-dev', join(scratch, 'smile-net-dev.json')] : []),
    ...['--out', join(TRAINED_DIR, 'smile-head.json')]
  ])
}

async function trainTeeth(scratch: string): Promise<void> {
  const headshots = folder('headshots')
  if (!headshots) return skip('headshots')
  const features = join(scratch, 'teeth.jsonl')
  await extractFaceFeatures(MODEL_DIR, headshots, await csvLabelledPhotos(join(headshots, 'labels.csv'), 'teeth'), features)
  const samples = (await readFile(features, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as FaceFeatures)
    .map((f) => ({ label: f.label === 1, face: f.face && { mar: f.face.mar, innerMouth: f.face.innerMouth } }))
  const grid = teethGrid()
  const chosen = bestTeethCandidate(samples, grid)
  console.log(`teeth: ${samples.length} headshots, face found in ${samples.filter((s) => s.face).length}`)
  console.log(`teeth: leave-one-out CV accuracy ${(leaveOneOutAccuracy(samples, grid) * 100).toFixed(1)}% (no-face photos count as misses)`)
  console.log(`teeth: chosen on all headshots: audit marThreshold ${chosen.marThreshold}, rule ${JSON.stringify(chosen.rule)}; accuracy ${(teethAccuracy(samples, chosen) * 100).toFixed(1)}%`)
  console.log('teeth: keep DEFAULT_TEETH_RULE (src/core/audit/checks.ts) and the audit marThreshold (src/shared/audit.ts) equal to these.')
}

function devArg(dir: string | null): string[] {
  return dir ? ['--dev', dir] : []
}

function skip(what: string): void {
  console.log(`train: skipped: ${join(dataRoot(), what)} is not there (set SMILECAM_DATA to the folder holding it).`)
}

const TASKS: Record<string, (scratch: string) => Promise<void>> = { emotion: trainEmotion, smile: trainSmile, teeth: trainTeeth }

async function main(task: string | undefined): Promise<void> {
  const run = task ? TASKS[task] : undefined
  if (!run) {
    console.log('usage: npm run train -- smile|emotion|teeth')
    process.exitCode = 2
    return
  }
  if (!existsSync(dataRoot())) return skip('')
  if (task !== 'teeth' && !hasTorch()) {
    console.log(`train: skipped: ${python()} cannot import torch, numpy and PIL; set SMILECAM_PYTHON to a Python that can (see tools/train/index.ts).`)
    return
  }
  await mkdir(resolve('.smilecam-tmp'), { recursive: true })
  const scratch = await mkdtemp(join(resolve('.smilecam-tmp'), `train-${task}-`))
  try {
    await run(scratch)
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(`train: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
