/**
 * A small TF.js *graph model* (model.json + .bin) -> ONNX converter. It knows the op
 * set of the small CNN classifiers we use (convolutions, depthwise convolutions,
 * pooling, add, relu, mean, softmax); anything else fails loudly with the op name.
 *
 * Layout: the ONNX model keeps the TF input layout (NHWC) at its boundary and
 * transposes to NCHW once inside; 4-D tensors stay NCHW inside the graph.
 */
import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { OnnxGraphBuilder } from '../onnx-graph'
import { readWeightGroups, tfFilterToOnnx, type WeightMap, type WeightsManifestGroup } from './weights'

interface TfAttrValue {
  s?: string
  i?: string | number
  f?: number
  b?: boolean
  list?: { s?: string[]; i?: (string | number)[] }
  shape?: { dim?: { size: string | number }[] }
}

export interface TfNode {
  name: string
  op: string
  input?: string[]
  attr?: Record<string, TfAttrValue>
}

export interface TfGraphModelJson {
  format?: string
  modelTopology: { node: TfNode[] }
  weightsManifest: WeightsManifestGroup[]
}

export interface GraphConversionOptions {
  /** Graph name and producer doc string. */
  name: string
  /** Public name of the (single) input and output. */
  inputName: string
  outputName: string
}

/** Reads a graph model's JSON and weights from disk. */
export async function readTfGraphModel(modelJsonPath: string): Promise<{ model: TfGraphModelJson; weights: WeightMap }> {
  const model = JSON.parse(await readFile(modelJsonPath, 'utf8')) as TfGraphModelJson
  if (model.format !== undefined && model.format !== 'graph-model') {
    throw new Error(`tfjs graph: ${modelJsonPath} is a ${model.format}, not a graph-model`)
  }
  const weights = await readWeightGroups(model.weightsManifest, dirname(modelJsonPath))
  return { model, weights }
}

/** A value flowing through the converted graph. */
interface Value {
  name: string
  /** Rank of the tensor (4-D values are NCHW inside the ONNX graph). */
  rank: number
}

/** Converts a single-input, single-output graph model into ONNX bytes. */
export function convertTfGraphModel(model: TfGraphModelJson, weights: WeightMap, options: GraphConversionOptions): Uint8Array {
  const g = new OnnxGraphBuilder(options.name)
  const values = new Map<string, Value>()
  const nodes = model.modelTopology.node
  const byName = new Map(nodes.map((n) => [n.name, n]))
  const placeholders = nodes.filter((n) => n.op === 'Placeholder')
  if (placeholders.length !== 1) throw new Error(`tfjs graph: expected one input, found ${placeholders.length}`)

  const inputShape = (placeholders[0].attr?.shape?.shape?.dim ?? []).map((d) => Number(d.size))
  if (inputShape.length !== 4) throw new Error('tfjs graph: only NHWC image inputs are supported')
  const publicShape = inputShape.map((d, i) => (d < 0 ? (i === 0 ? 'batch' : `dim${i}`) : d))
  g.addInput(options.inputName, publicShape)
  values.set(placeholders[0].name, { name: g.op('Transpose', [options.inputName], { perm: [0, 3, 1, 2] }, 'to_nchw'), rank: 4 })

  const constant = (tfName: string): { shape: number[]; data: Float32Array } => {
    const weight = weights.get(tfName)
    if (!weight) throw new Error(`tfjs graph: constant ${tfName} has no weights`)
    return weight
  }
  const valueOf = (ref: string): Value => {
    const name = ref.replace(/^\^/, '').replace(/:0$/, '')
    const v = values.get(name)
    if (!v) throw new Error(`tfjs graph: ${name} is used before it is computed (or is an unsupported constant use)`)
    return v
  }

  let lastOutput: Value | undefined
  for (const node of topologicalOrder(nodes, byName)) {
    if (node.op === 'Const' || node.op === 'Placeholder') continue
    const inputs = (node.input ?? []).filter((i) => !i.startsWith('^'))
    const constName = (i: number): string => inputs[i].replace(/:0$/, '')
    let out: Value
    switch (node.op) {
      case 'Identity':
        out = valueOf(inputs[0])
        break
      case 'Conv2D':
      case '_FusedConv2D':
      case 'DepthwiseConv2dNative':
      case 'FusedDepthwiseConv2dNative': {
        const depthwise = node.op.includes('Depthwise')
        const filter = tfFilterToOnnx({ ...constant(constName(1)), dtype: 'float32' }, depthwise)
        const fused = node.op.startsWith('Fused') || node.op.startsWith('_Fused') ? fusedOps(node) : []
        const convInputs = [valueOf(inputs[0]).name, g.addFloat(`${node.name}/filter`, filter.dims, filter.data)]
        const rest = [...fused]
        if (rest[0] === 'BiasAdd') {
          const bias = constant(constName(2))
          convInputs.push(g.addFloat(`${node.name}/bias`, [bias.data.length], bias.data))
          rest.shift()
        }
        let y = g.op('Conv', convInputs, {
          ...convAttributes(node, filter.dims),
          group: depthwise ? constant(constName(1)).shape[2] : undefined
        })
        for (const activation of rest) y = activationOp(g, activation, node.name, y)
        out = { name: y, rank: 4 }
        break
      }
      case 'MaxPool':
      case 'AvgPool': {
        const ksize = listInts(node, 'ksize')
        out = {
          name: g.op(node.op === 'MaxPool' ? 'MaxPool' : 'AveragePool', [valueOf(inputs[0]).name], {
            kernel_shape: [ksize[1], ksize[2]],
            ...strideAndPad(node)
          }),
          rank: 4
        }
        break
      }
      case 'Add':
      case 'AddV2':
      case 'Mul':
      case 'Sub': {
        const [a, b] = [valueOf(inputs[0]), valueOf(inputs[1])]
        if (a.rank !== b.rank) throw new Error(`tfjs graph: ${node.op} of rank ${a.rank} and ${b.rank} tensors is not supported`)
        out = { name: g.op(node.op === 'AddV2' ? 'Add' : node.op, [a.name, b.name]), rank: a.rank }
        break
      }
      case 'Relu':
      case 'Relu6':
        out = { name: activationOp(g, node.op, node.name, valueOf(inputs[0]).name), rank: valueOf(inputs[0]).rank }
        break
      case 'Mean': {
        const x = valueOf(inputs[0])
        const axes = Array.from(constant(constName(1)).data)
        const keep = node.attr?.keep_dims?.b ?? false
        if (x.rank !== 4 || axes.length !== 2 || !axes.includes(1) || !axes.includes(2) || keep) {
          throw new Error('tfjs graph: only a global spatial Mean (axes 1,2, keep_dims false) is supported')
        }
        // NHWC axes 1,2 are NCHW axes 2,3; dropping them leaves [N, C] either way.
        out = { name: g.op('ReduceMean', [x.name], { axes: [2, 3], keepdims: 0 }), rank: 2 }
        break
      }
      case 'Softmax': {
        const x = valueOf(inputs[0])
        if (x.rank !== 2) throw new Error('tfjs graph: Softmax is supported on [N, classes] only')
        out = { name: g.op('Softmax', [x.name], { axis: 1 }), rank: 2 }
        break
      }
      default:
        throw new Error(`tfjs graph: op ${node.op} (${node.name}) is not supported`)
    }
    values.set(node.name, out)
    lastOutput = out
  }

  const outputNode = findOutputNode(nodes)
  const output = outputNode ? values.get(outputNode.name) : lastOutput
  if (!output) throw new Error('tfjs graph: no output')
  if (output.rank !== 2) throw new Error('tfjs graph: only [N, K] outputs are supported')
  const renamed = g.op('Identity', [output.name])
  g.renameOutput(renamed, options.outputName)
  g.addOutput(options.outputName, [publicShape[0], 'classes'])
  return g.toBytes('smilecam-tfjs-graph', options.name)
}

/** The node no other node consumes (the graph's output). */
function findOutputNode(nodes: readonly TfNode[]): TfNode | undefined {
  const consumed = new Set(nodes.flatMap((n) => (n.input ?? []).map((i) => i.replace(/^\^/, '').replace(/:\d+$/, ''))))
  const sinks = nodes.filter((n) => n.op !== 'Const' && !consumed.has(n.name))
  if (sinks.length !== 1) throw new Error(`tfjs graph: expected one output, found ${sinks.map((n) => n.name).join(', ')}`)
  return sinks[0]
}

/** Nodes ordered so every node comes after its inputs (graph JSON order isn't guaranteed). */
function topologicalOrder(nodes: readonly TfNode[], byName: Map<string, TfNode>): TfNode[] {
  const ordered: TfNode[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (node: TfNode): void => {
    const s = state.get(node.name)
    if (s === 'done') return
    if (s === 'visiting') throw new Error(`tfjs graph: cycle at ${node.name}`)
    state.set(node.name, 'visiting')
    for (const input of node.input ?? []) {
      const dep = byName.get(input.replace(/^\^/, '').replace(/:\d+$/, ''))
      if (dep) visit(dep)
    }
    state.set(node.name, 'done')
    ordered.push(node)
  }
  nodes.forEach(visit)
  return ordered
}

function decodeBase64(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8')
}

function fusedOps(node: TfNode): string[] {
  const ops = (node.attr?.fused_ops?.list?.s ?? []).map(decodeBase64)
  for (const op of ops) {
    if (!['BiasAdd', 'Relu', 'Relu6'].includes(op)) throw new Error(`tfjs graph: fused op ${op} in ${node.name} is not supported`)
  }
  if (ops.includes('Relu') || ops.includes('Relu6')) {
    if (ops[0] !== 'BiasAdd') throw new Error(`tfjs graph: activation without BiasAdd in ${node.name}`)
  }
  return ops
}

function activationOp(g: OnnxGraphBuilder, op: string, nodeName: string, x: string): string {
  if (op === 'Relu') return g.op('Relu', [x], {}, `${nodeName}/relu`)
  if (op === 'Relu6') return g.op('Clip', [x, g.addFloat('zero', [], [0]), g.addFloat('six', [], [6])], {}, `${nodeName}/relu6`)
  throw new Error(`tfjs graph: activation ${op} is not supported`)
}

function listInts(node: TfNode, key: string): number[] {
  return (node.attr?.[key]?.list?.i ?? []).map(Number)
}

function checkNhwc(node: TfNode): void {
  const format = node.attr?.data_format?.s
  if (format !== undefined && decodeBase64(format) !== 'NHWC') throw new Error(`tfjs graph: ${node.name} is not NHWC`)
}

/** Strides and padding of a conv/pool node; TF 'SAME' is ONNX SAME_UPPER (extra pixel at the end). */
function strideAndPad(node: TfNode): { strides: number[]; auto_pad?: string; pads?: number[] } {
  checkNhwc(node)
  const strides = listInts(node, 'strides')
  const padding = decodeBase64(node.attr?.padding?.s ?? '')
  const result = { strides: [strides[1] ?? 1, strides[2] ?? 1] }
  if (padding === 'SAME') return { ...result, auto_pad: 'SAME_UPPER' }
  if (padding === 'VALID') return { ...result, pads: [0, 0, 0, 0] }
  throw new Error(`tfjs graph: padding ${padding} in ${node.name} is not supported`)
}

function convAttributes(node: TfNode, filterDims: number[]): Record<string, number[] | string | undefined> {
  const dilations = listInts(node, 'dilations')
  return {
    kernel_shape: [filterDims[2], filterDims[3]],
    dilations: [dilations[1] ?? 1, dilations[2] ?? 1],
    ...strideAndPad(node)
  }
}
