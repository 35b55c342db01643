/**
 * Rebuilds @vladmandic/face-api's face detector (SSD MobileNet v1, trained on WIDER FACE)
 * as an ONNX graph from its TF.js weights, following face-api's src/ssdMobilenetv1:
 * MobileNetV1 backbone (13 depthwise-separable pairs, ReLU6), 8 extra feature convs,
 * six box predictors (32x32, 16x16, 8x8, 4x4, 2x2, 1x1 cells; 3 anchors on the first
 * map, 6 on the others = 5118 anchors).
 *
 * Only the static part is in the graph; box decoding and NMS are plain TS
 * (src/engine/tasks/ssd-face-detector.ts).
 *
 * Public model contract (face_detection_ssd.onnx):
 *   input  `image`          float32 NHWC [1,512,512,3], RGB 0..255, the picture padded to a square
 *                           with black (face-api pads with 0) and resized to 512. The net's own
 *                           normalisation (pixel / 127.5 - 1) is folded into the graph.
 *   output `box_encodings`  [1,5118,4] ty, tx, th, tw relative to each anchor (TF OD API encoding,
 *                           scale factors 10, 10, 5, 5)
 *   output `scores`         [1,5118]   sigmoid of the face-class logit (face-api ignores the background class)
 *   output `anchors`        [5118,4]   the anchors (face-api's Output/extra_dim), ymin, xmin, ymax, xmax
 *                           as fractions of the 512 input
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Converter, ModelRecord } from '../model-record'
import { OnnxGraphBuilder } from '../onnx-graph'
import { tfSamePadding } from './face-api'
import { packageDir, packageInfo } from './package-dir'
import { readWeightsManifestFile, requireWeight, tfFilterToOnnx, type WeightMap } from './weights'

export const SSD_INPUT_SIZE = 512
export const SSD_ANCHOR_COUNT = 5118
export const SSD_MODEL_FILE = 'face_detection_ssd.onnx'

const PACKAGE = '@vladmandic/face-api'
const MODEL_NAME = 'ssd_mobilenetv1_model'
const LICENSE = 'MIT'
/** face-api's batch-norm epsilon for the depthwise layers. */
const BATCH_NORM_EPSILON = 0.0010000000474974513
/** Backbone layers whose depthwise conv has stride 2 (face-api's getStridesForLayerIdx). */
const STRIDE_2_LAYERS = new Set([2, 4, 6, 12])
const BACKBONE_PAIRS = 13
/** The backbone layer whose output feeds box predictor 0. */
const CONV11_LAYER = 11
/** Extra feature convs: odd ones are 3x3 stride 2, even ones 1x1 stride 1. */
const EXTRA_CONVS = 8
const CLASSES_PER_ANCHOR = 3
const FACE_CLASS = 1

const DESCRIPTION =
  'SSD MobileNet v1 face detector (WIDER FACE). in `image` [1,512,512,3] RGB 0..255; out `box_encodings` [1,5118,4], ' +
  '`scores` [1,5118] face probability, `anchors` [5118,4] ymin,xmin,ymax,xmax (fractions of the input)'

export const ssdMobilenetConverter: Converter = {
  name: 'face-api-ssd',
  async convert(outDir: string): Promise<ModelRecord[]> {
    const dir = packageDir(PACKAGE)
    const manifest = join('model', `${MODEL_NAME}-weights_manifest.json`)
    const weights = await readWeightsManifestFile(join(dir, manifest))
    await writeFile(join(outDir, SSD_MODEL_FILE), buildSsdMobilenetGraph(weights))
    return [
      {
        file: SSD_MODEL_FILE,
        sourcePackage: PACKAGE,
        sourceVersion: packageInfo(dir).version,
        sourceFile: `${manifest} + model/${MODEL_NAME}.bin`,
        license: LICENSE,
        description: DESCRIPTION
      }
    ]
  }
}

/** Tracks a feature map through the graph with the sizes needed for TF 'SAME' padding. */
interface Feature {
  name: string
  channels: number
  spatial: number
}

export function buildSsdMobilenetGraph(weights: WeightMap): Uint8Array {
  const g = new OnnxGraphBuilder(MODEL_NAME)
  const size = SSD_INPUT_SIZE
  const input = g.addInput('image', [1, size, size, 3])
  // face-api: x / 127.5 - 1, same op order so the rounding matches.
  const normalised = g.op('Sub', [g.op('Div', [input, g.addFloat('pixel_half_range', [], [127.5])]), g.addFloat('one', [], [1])])
  const relu6 = { min: g.addFloat('relu6_min', [], [0]), max: g.addFloat('relu6_max', [], [6]) }
  const clip = (x: string): string => g.op('Clip', [x, relu6.min, relu6.max], {}, 'relu6')

  /** face-api's pointwiseConvLayer: conv (any kernel, SAME) + bias ("bn offset"), ReLU6. */
  const pointwise = (x: Feature, prefix: string, stride: number): Feature => {
    const filter = requireWeight(weights, `${prefix}/weights`)
    const [kh, kw, cin, cout] = filter.shape
    if (cin !== x.channels) throw new Error(`ssd: ${prefix} expects ${cin} channels, got ${x.channels}`)
    const onnxFilter = tfFilterToOnnx(filter)
    const bias = requireWeight(weights, `${prefix}/convolution_bn_offset`, [cout])
    const [begin, end] = tfSamePadding(x.spatial, kh, stride)
    const out = g.op('Conv', [x.name, g.addFloat(`${prefix}/weights`, onnxFilter.dims, onnxFilter.data), g.addFloat(`${prefix}/bias`, [cout], bias.data)], {
      kernel_shape: [kh, kw],
      strides: [stride, stride],
      pads: [begin, begin, end, end]
    })
    return { name: clip(out), channels: cout, spatial: Math.ceil(x.spatial / stride) }
  }

  /** Depthwise 3x3 conv + batch norm (folded into the conv weights and a bias), ReLU6. */
  const depthwise = (x: Feature, layer: number, stride: number): Feature => {
    const prefix = `MobilenetV1/Conv2d_${layer}_depthwise`
    const c = x.channels
    const filter = tfFilterToOnnx(requireWeight(weights, `${prefix}/depthwise_weights`, [3, 3, c, 1]), true)
    const { scale, shift } = foldBatchNorm(
      requireWeight(weights, `${prefix}/BatchNorm/gamma`, [c]).data,
      requireWeight(weights, `${prefix}/BatchNorm/beta`, [c]).data,
      requireWeight(weights, `${prefix}/BatchNorm/moving_mean`, [c]).data,
      requireWeight(weights, `${prefix}/BatchNorm/moving_variance`, [c]).data,
      BATCH_NORM_EPSILON
    )
    const perChannel = filter.data.length / c
    for (let i = 0; i < filter.data.length; i++) filter.data[i] *= scale[Math.floor(i / perChannel)]
    const [begin, end] = tfSamePadding(x.spatial, 3, stride)
    const out = g.op('Conv', [x.name, g.addFloat(`${prefix}/weights`, filter.dims, filter.data), g.addFloat(`${prefix}/bias`, [c], shift)], {
      kernel_shape: [3, 3],
      strides: [stride, stride],
      pads: [begin, begin, end, end],
      group: c
    })
    return { name: clip(out), channels: c, spatial: Math.ceil(x.spatial / stride) }
  }

  let x: Feature = { name: g.op('Transpose', [normalised], { perm: [0, 3, 1, 2] }, 'to_nchw'), channels: 3, spatial: size }
  x = pointwise(x, 'MobilenetV1/Conv2d_0_pointwise', 2)
  let conv11: Feature | null = null
  for (let layer = 1; layer <= BACKBONE_PAIRS; layer++) {
    x = depthwise(x, layer, STRIDE_2_LAYERS.has(layer) ? 2 : 1)
    x = pointwise(x, `MobilenetV1/Conv2d_${layer}_pointwise`, 1)
    if (layer === CONV11_LAYER) conv11 = x
  }
  if (!conv11) throw new Error('ssd: backbone layer 11 missing')

  // Extra feature maps: conv_1, conv_3, conv_5, conv_7 (the stride-2 ones) feed predictors 2..5.
  const extras: Feature[] = []
  let extra = x
  for (let i = 0; i < EXTRA_CONVS; i++) {
    extra = pointwise(extra, `Prediction/Conv2d_${i}_pointwise`, i % 2 === 1 ? 2 : 1)
    extras.push(extra)
  }
  const predictorInputs = [conv11, x, extras[1], extras[3], extras[5], extras[7]]

  const boxParts: string[] = []
  const classParts: string[] = []
  let anchorTotal = 0
  predictorInputs.forEach((feature, index) => {
    const prefix = `Prediction/BoxPredictor_${index}`
    const box = predictorConv(g, weights, `${prefix}/BoxEncodingPredictor`, feature, 4)
    const cls = predictorConv(g, weights, `${prefix}/ClassPredictor`, feature, CLASSES_PER_ANCHOR)
    boxParts.push(box.name)
    classParts.push(cls.name)
    anchorTotal += box.anchors
  })
  if (anchorTotal !== SSD_ANCHOR_COUNT) throw new Error(`ssd: predictors give ${anchorTotal} anchors, expected ${SSD_ANCHOR_COUNT}`)

  const boxEncodings = g.op('Concat', boxParts, { axis: 1 })
  const classLogits = g.op('Concat', classParts, { axis: 1 })
  const faceLogit = g.op('Slice', [
    classLogits,
    g.addInt64('face_class_start', [FACE_CLASS]),
    g.addInt64('face_class_end', [FACE_CLASS + 1]),
    g.addInt64('class_axis', [2])
  ])
  const scores = g.op('Reshape', [g.op('Sigmoid', [faceLogit]), g.addInt64('scores_shape', [1, SSD_ANCHOR_COUNT])])

  const anchors = requireWeight(weights, 'Output/extra_dim', [1, SSD_ANCHOR_COUNT, 4])
  const anchorsOut = g.op('Identity', [g.addFloat('anchor_boxes', [SSD_ANCHOR_COUNT, 4], anchors.data)])

  g.renameOutput(boxEncodings, 'box_encodings')
  g.renameOutput(scores, 'scores')
  g.renameOutput(anchorsOut, 'anchors')
  g.addOutput('box_encodings', [1, SSD_ANCHOR_COUNT, 4])
  g.addOutput('scores', [1, SSD_ANCHOR_COUNT])
  g.addOutput('anchors', [SSD_ANCHOR_COUNT, 4])
  return g.toBytes('smilecam-tfjs-ssd-mobilenet', `${PACKAGE} ${MODEL_NAME}, input RGB 0..255 NHWC 512x512`)
}

/**
 * One box predictor head: 1x1 conv with bias, then NCHW -> NHWC and flattened to
 * [1, cells * anchorsPerCell, valuesPerAnchor] (TF's reshape order: cell-major, anchor-minor).
 */
function predictorConv(
  g: OnnxGraphBuilder,
  weights: WeightMap,
  prefix: string,
  x: Feature,
  valuesPerAnchor: number
): { name: string; anchors: number } {
  const filter = requireWeight(weights, `${prefix}/weights`)
  const [, , cin, cout] = filter.shape
  if (cin !== x.channels || cout % valuesPerAnchor !== 0) throw new Error(`ssd: ${prefix} has unexpected shape [${filter.shape.join(',')}]`)
  const onnxFilter = tfFilterToOnnx(filter)
  const bias = requireWeight(weights, `${prefix}/biases`, [cout])
  const conv = g.op('Conv', [x.name, g.addFloat(`${prefix}/weights`, onnxFilter.dims, onnxFilter.data), g.addFloat(`${prefix}/biases`, [cout], bias.data)], {
    kernel_shape: [1, 1]
  })
  const nhwc = g.op('Transpose', [conv], { perm: [0, 2, 3, 1] })
  const anchors = (x.spatial * x.spatial * cout) / valuesPerAnchor
  return { name: g.op('Reshape', [nhwc, g.addInt64(`${prefix}/shape`, [1, anchors, valuesPerAnchor])]), anchors }
}

/** Batch norm as a per-channel affine map: y = x * scale + shift. Exported for tests. */
export function foldBatchNorm(
  gamma: Float32Array,
  beta: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  epsilon: number
): { scale: Float32Array; shift: Float32Array } {
  const scale = new Float32Array(gamma.length)
  const shift = new Float32Array(gamma.length)
  for (let i = 0; i < gamma.length; i++) {
    scale[i] = gamma[i] / Math.sqrt(variance[i] + epsilon)
    shift[i] = beta[i] - mean[i] * scale[i]
  }
  return { scale, shift }
}
