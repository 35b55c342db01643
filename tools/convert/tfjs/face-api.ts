/**
 * Rebuilds two @vladmandic/face-api networks as ONNX graphs from their TF.js weights:
 * the 68-point landmark net and the 7-emotion expression net. Both share one
 * architecture (four "dense blocks" of separable convolutions, 112 -> 7 px, a 7x7
 * average pool, one fully connected layer); only the head size differs.
 *
 * Public model contract (both files):
 *   input  `image`  float32 NHWC [batch,112,112,3], RGB pixel values 0..255 of a square face crop
 *          (pad with 0 = black outside the picture). The net's own normalisation
 *          ((pixel - meanRgb) / 255) is folded into the graph, so callers pass raw pixels.
 *   face_landmark_68.onnx  output `landmarks`     [batch,136]  x0,y0,x1,y1,... as fractions of the crop side (~0..1)
 *   face_expression.onnx   output `probabilities` [batch,7]    softmax in face-api order
 *          neutral, happy, sad, angry, fearful, disgusted, surprised
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Converter, ModelRecord } from '../model-record'
import { OnnxGraphBuilder } from '../onnx-graph'
import { packageDir, packageInfo } from './package-dir'
import { readWeightsManifestFile, requireWeight, tfFilterToOnnx, type WeightMap } from './weights'

export const FACE_API_INPUT_SIZE = 112
/** face-api's FaceFeatureExtractor subtracts this mean (RGB, 0..255 scale) and divides by 255. */
export const FACE_API_MEAN_RGB = [122.782, 117.001, 104.298] as const
export const FACE_EXPRESSION_LABELS_FACE_API = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const

const PACKAGE = '@vladmandic/face-api'
const LICENSE = 'MIT'
const DENSE_BLOCK_CHANNELS = [32, 64, 128, 256] as const
const FEATURE_CHANNELS = 256

interface HeadSpec {
  modelName: string
  outFile: string
  outputName: string
  outputs: number
  softmax: boolean
  description: string
}

const LANDMARK_HEAD: HeadSpec = {
  modelName: 'face_landmark_68_model',
  outFile: 'face_landmark_68.onnx',
  outputName: 'landmarks',
  outputs: 136,
  softmax: false,
  description:
    '68 iBUG face landmarks. in `image` [N,112,112,3] RGB 0..255; out `landmarks` [N,136] x,y pairs as fractions of the crop'
}

const EXPRESSION_HEAD: HeadSpec = {
  modelName: 'face_expression_model',
  outFile: 'face_expression.onnx',
  outputName: 'probabilities',
  outputs: 7,
  softmax: true,
  description:
    '7 facial expressions. in `image` [N,112,112,3] RGB 0..255; out `probabilities` [N,7] neutral,happy,sad,angry,fearful,disgusted,surprised'
}

export const faceApiConverter: Converter = {
  name: 'face-api',
  async convert(outDir: string): Promise<ModelRecord[]> {
    const dir = packageDir(PACKAGE)
    const { version } = packageInfo(dir)
    const records: ModelRecord[] = []
    for (const head of [LANDMARK_HEAD, EXPRESSION_HEAD]) {
      const manifest = join('model', `${head.modelName}-weights_manifest.json`)
      const weights = await readWeightsManifestFile(join(dir, manifest))
      await writeFile(join(outDir, head.outFile), buildFaceApiGraph(weights, head))
      records.push({
        file: head.outFile,
        sourcePackage: PACKAGE,
        sourceVersion: version,
        sourceFile: `${manifest} + model/${head.modelName}.bin`,
        license: LICENSE,
        description: head.description
      })
    }
    return records
  }
}

/** Builds the ONNX bytes of one face-api net (feature extractor + fully connected head). */
export function buildFaceApiGraph(weights: WeightMap, head: HeadSpec): Uint8Array {
  const g = new OnnxGraphBuilder(head.modelName)
  const size = FACE_API_INPUT_SIZE
  const input = g.addInput('image', ['batch', size, size, 3])

  const mean = g.addFloat('mean_rgb', [1, 1, 1, 3], [...FACE_API_MEAN_RGB])
  const divisor = g.addFloat('pixel_scale', [], [255])
  const normalised = g.op('Div', [g.op('Sub', [input, mean]), divisor])
  let x = g.op('Transpose', [normalised], { perm: [0, 3, 1, 2] }, 'to_nchw')

  let channelsIn = 3
  let spatial = size
  DENSE_BLOCK_CHANNELS.forEach((channels, index) => {
    x = denseBlock(g, weights, `dense${index}`, x, channelsIn, channels, spatial, index === 0)
    channelsIn = channels
    spatial = Math.ceil(spatial / 2)
  })

  // 7x7 average pool with stride 2 over a 7x7 map leaves 1x1 per channel.
  x = g.op('AveragePool', [x], { kernel_shape: [7, 7], strides: [2, 2] })
  x = g.op('Flatten', [x], { axis: 1 })
  const fcWeights = requireWeight(weights, 'fc/weights', [FEATURE_CHANNELS, head.outputs])
  const fcBias = requireWeight(weights, 'fc/bias', [head.outputs])
  x = g.op('Gemm', [
    x,
    g.addFloat('fc/weights', fcWeights.shape, fcWeights.data),
    g.addFloat('fc/bias', fcBias.shape, fcBias.data)
  ])
  if (head.softmax) x = g.op('Softmax', [x], { axis: 1 })
  g.renameOutput(x, head.outputName)
  g.addOutput(head.outputName, ['batch', head.outputs])
  return g.toBytes('smilecam-tfjs-face-api', `${PACKAGE} ${head.modelName}, input RGB 0..255 NHWC`)
}

/** TF 'SAME' padding [begin, end] for one axis (TF puts the odd pixel at the end). */
export function tfSamePadding(inputSize: number, kernel: number, stride: number): [number, number] {
  const outputSize = Math.ceil(inputSize / stride)
  const total = Math.max((outputSize - 1) * stride + kernel - inputSize, 0)
  const begin = Math.floor(total / 2)
  return [begin, total - begin]
}

/**
 * One dense block: conv0 (stride 2) then conv1..conv3, each fed with the ReLU of the
 * running sum of the previous outputs; the block returns ReLU(out1 + out2 + out3 + out4).
 */
function denseBlock(
  g: OnnxGraphBuilder,
  weights: WeightMap,
  prefix: string,
  x: string,
  channelsIn: number,
  channels: number,
  spatial: number,
  isFirst: boolean
): string {
  const first = isFirst
    ? plainConv(g, weights, `${prefix}/conv0`, x, channelsIn, channels, spatial, 2)
    : separableConv(g, weights, `${prefix}/conv0`, x, channelsIn, channels, spatial, 2)
  const out1 = g.op('Relu', [first])
  const inner = Math.ceil(spatial / 2)
  let sum = out1
  let next = out1
  for (let i = 1; i <= 3; i++) {
    const out = separableConv(g, weights, `${prefix}/conv${i}`, next, channels, channels, inner, 1)
    sum = g.op('Add', [sum, out])
    next = g.op('Relu', [sum])
  }
  return next
}

function plainConv(
  g: OnnxGraphBuilder,
  weights: WeightMap,
  prefix: string,
  x: string,
  channelsIn: number,
  channelsOut: number,
  spatial: number,
  stride: number
): string {
  const filter = tfFilterToOnnx(requireWeight(weights, `${prefix}/filters`, [3, 3, channelsIn, channelsOut]))
  const bias = requireWeight(weights, `${prefix}/bias`, [channelsOut])
  const [begin, end] = tfSamePadding(spatial, 3, stride)
  return g.op('Conv', [x, g.addFloat(`${prefix}/filters`, filter.dims, filter.data), g.addFloat(`${prefix}/bias`, [channelsOut], bias.data)], {
    kernel_shape: [3, 3],
    strides: [stride, stride],
    pads: [begin, begin, end, end]
  })
}

/** TF separableConv2d + bias: depthwise 3x3 (carries the stride) then pointwise 1x1. */
function separableConv(
  g: OnnxGraphBuilder,
  weights: WeightMap,
  prefix: string,
  x: string,
  channelsIn: number,
  channelsOut: number,
  spatial: number,
  stride: number
): string {
  const depthwise = tfFilterToOnnx(requireWeight(weights, `${prefix}/depthwise_filter`, [3, 3, channelsIn, 1]), true)
  const pointwise = tfFilterToOnnx(requireWeight(weights, `${prefix}/pointwise_filter`, [1, 1, channelsIn, channelsOut]))
  const bias = requireWeight(weights, `${prefix}/bias`, [channelsOut])
  const [begin, end] = tfSamePadding(spatial, 3, stride)
  const spatialOut = g.op('Conv', [x, g.addFloat(`${prefix}/depthwise`, depthwise.dims, depthwise.data)], {
    kernel_shape: [3, 3],
    strides: [stride, stride],
    pads: [begin, begin, end, end],
    group: channelsIn
  })
  return g.op('Conv', [
    spatialOut,
    g.addFloat(`${prefix}/pointwise`, pointwise.dims, pointwise.data),
    g.addFloat(`${prefix}/bias`, [channelsOut], bias.data)
  ])
}
