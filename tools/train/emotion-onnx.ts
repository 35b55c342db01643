/**
 * Builds the ONNX graph of the nets trained by tools/train/emotion.py and smile_net.py from the
 * weights JSON they write (batch norm already folded into the convolutions), and checks onnxruntime-node
 * against the probe the trainer computed with PyTorch.
 *
 * Graph: image [N,48,48,1] (normalised grey, NHWC as the engine's crop models take it) ->
 * reshape to NCHW (one channel, so the same memory) -> (Conv 3x3 pad 1 + Relu | MaxPool 2x2)* ->
 * Flatten -> (Gemm + Relu)* -> Gemm -> Softmax -> probabilities [N,classes].
 */
import * as ort from 'onnxruntime-node'
import { OnnxGraphBuilder } from '../convert/onnx-graph'

export interface TrainedLayer {
  kind: 'conv' | 'maxpool' | 'dense'
  /** conv: [out, in, kh, kw]; dense: [out, in] */
  shape?: number[]
  /** base64 little-endian float32 */
  weight?: string
  bias?: string
}

export interface TrainedEmotionNet {
  input: { size: number; mean: number; scale: number }
  layers: TrainedLayer[]
  /** A random input (raw 0..255 grey, NCHW) and the PyTorch probabilities for it. */
  probe?: { input: string; probabilities: string }
}

export function float32FromBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64')
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return new Float32Array(copy.buffer)
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`emotion net: ${what} is missing`)
  return value
}

/** The graph of a trained crop net: 7 classes for the emotion net, 2 for the smile net. */
export function buildCropNetOnnx(net: TrainedEmotionNet, classes: number, graphName: string): Uint8Array {
  const g = new OnnxGraphBuilder(graphName)
  const size = net.input.size
  let x = g.addInput('image', ['N', size, size, 1])
  x = g.op('Reshape', [x, g.addInt64('nchw_shape', [-1, 1, size, size])])
  const denseCount = net.layers.filter((l) => l.kind === 'dense').length
  let dense = 0
  for (const layer of net.layers) {
    if (layer.kind === 'maxpool') {
      x = g.op('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] })
      continue
    }
    const shape = required(layer.shape, 'a layer shape')
    const weight = g.addFloat(`${layer.kind}_w`, shape, float32FromBase64(required(layer.weight, 'a weight')))
    const bias = g.addFloat(`${layer.kind}_b`, [shape[0]], float32FromBase64(required(layer.bias, 'a bias')))
    if (layer.kind === 'conv') {
      const pad = (shape[2] - 1) / 2
      x = g.op('Relu', [g.op('Conv', [x, weight, bias], { kernel_shape: [shape[2], shape[3]], pads: [pad, pad, pad, pad] })])
    } else {
      if (dense === 0) x = g.op('Flatten', [x], { axis: 1 })
      x = g.op('Gemm', [x, weight, bias], { transB: 1 })
      dense++
      if (dense < denseCount) x = g.op('Relu', [x])
    }
  }
  const probabilities = g.op('Softmax', [x], { axis: 1 })
  g.renameOutput(probabilities, 'probabilities')
  g.addOutput('probabilities', ['N', classes])
  return g.toBytes('smilecam tools/train', `${graphName}: trained by npm run train (tools/train)`)
}

/** Largest |onnxruntime - PyTorch| over the probe's probabilities. */
export async function probeDifference(onnxPath: string, net: TrainedEmotionNet): Promise<number> {
  const probe = required(net.probe, 'the probe')
  const raw = float32FromBase64(probe.input)
  const size = net.input.size
  const views = raw.length / (size * size)
  const input = raw.map((v) => (v - net.input.mean) * net.input.scale)
  const session = await ort.InferenceSession.create(onnxPath)
  try {
    const result = await session.run({ image: new ort.Tensor('float32', input, [views, size, size, 1]) })
    const got = result.probabilities.data as Float32Array
    const want = float32FromBase64(probe.probabilities)
    let worst = 0
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]))
    return worst
  } finally {
    await session.release()
  }
}
