/**
 * A small builder for ONNX graphs, shared by the TFLite and TF.js converters.
 * It only knows what our converters need: float/int64 initializers, nodes with
 * scalar or list attributes, and float graph inputs/outputs.
 */
import onnxProto from 'onnx-proto'

const { onnx } = onnxProto
type AttributeValue = number | string | number[] | Float32Array

/** The opset every converted model targets; onnxruntime-node supports it fully. */
export const OPSET_VERSION = 13
const IR_VERSION = 7

export interface TensorInit {
  name: string
  dims: readonly number[]
  data: Float32Array | BigInt64Array | Int32Array
}

export class OnnxGraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = []
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = []
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = []
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = []
  private readonly usedNames = new Set<string>()
  private counter = 0

  constructor(private readonly graphName: string) {}

  /** A fresh, unique tensor name built from a readable hint. */
  uniqueName(hint: string): string {
    let name = hint.replace(/[^A-Za-z0-9_./:-]/g, '_')
    while (this.usedNames.has(name)) name = `${hint}_${++this.counter}`
    this.usedNames.add(name)
    return name
  }

  addInput(name: string, dims: readonly (number | string)[]): string {
    this.usedNames.add(name)
    this.inputs.push(valueInfo(name, dims))
    return name
  }

  addOutput(name: string, dims: readonly (number | string)[]): void {
    this.outputs.push(valueInfo(name, dims))
  }

  /** Adds a float32 constant and returns its name. */
  addFloat(hint: string, dims: readonly number[], data: Float32Array | number[]): string {
    const values = data instanceof Float32Array ? data : Float32Array.from(data)
    const expected = dims.reduce((a, b) => a * b, 1)
    if (values.length !== expected) {
      throw new Error(`initializer ${hint}: ${values.length} values for dims [${dims.join(',')}]`)
    }
    const name = this.uniqueName(hint)
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dims: [...dims],
        dataType: onnx.TensorProto.DataType.FLOAT,
        rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
      })
    )
    return name
  }

  /** Adds an int64 constant (shapes, axes, pads) and returns its name. */
  addInt64(hint: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = this.uniqueName(hint)
    const data = BigInt64Array.from(values.map((v) => BigInt(v)))
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dims: [...dims],
        dataType: onnx.TensorProto.DataType.INT64,
        rawData: new Uint8Array(data.buffer)
      })
    )
    return name
  }

  /**
   * Adds a node. `outputs` may be hints; the real (unique) output names are returned.
   * Empty strings in `inputs` mark optional inputs that are left out.
   */
  addNode(
    opType: string,
    inputs: readonly string[],
    outputHints: readonly string[] | number = 1,
    attributes: Record<string, AttributeValue | undefined> = {},
    nameHint = opType
  ): string[] {
    const hints =
      typeof outputHints === 'number'
        ? Array.from({ length: outputHints }, (_, i) => `${nameHint}_out${i}`)
        : outputHints
    const outputs = hints.map((h) => this.uniqueName(h))
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        name: this.uniqueName(`node_${nameHint}`),
        input: [...inputs],
        output: outputs,
        attribute: Object.entries(attributes)
          .filter((entry): entry is [string, AttributeValue] => entry[1] !== undefined)
          .map(([key, value]) => attribute(key, value))
      })
    )
    return outputs
  }

  /** Shorthand for single-output nodes. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue | undefined> = {}, nameHint = opType): string {
    return this.addNode(opType, inputs, 1, attributes, nameHint)[0]
  }

  /** Renames the producer of `from` so the graph output gets a stable public name. */
  renameOutput(from: string, to: string): void {
    for (const node of this.nodes) {
      node.output = node.output.map((o) => (o === from ? to : o))
      node.input = node.input.map((i) => (i === from ? to : i))
    }
    this.usedNames.add(to)
  }

  toBytes(producer: string, docString = ''): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: producer,
      producerVersion: '1',
      docString,
      opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: OPSET_VERSION })],
      graph: onnx.GraphProto.create({
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs
      })
    })
    return onnx.ModelProto.encode(model).finish()
  }
}

function valueInfo(name: string, dims: readonly (number | string)[]): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((d) =>
            typeof d === 'number'
              ? onnx.TensorShapeProto.Dimension.create({ dimValue: d })
              : onnx.TensorShapeProto.Dimension.create({ dimParam: d })
          )
        })
      })
    })
  })
}

function attribute(name: string, value: AttributeValue): InstanceType<typeof onnx.AttributeProto> {
  const { AttributeType } = onnx.AttributeProto
  if (typeof value === 'string') {
    return onnx.AttributeProto.create({ name, type: AttributeType.STRING, s: new TextEncoder().encode(value) })
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) && !Object.is(value, -0) && !isFloatAttribute(name)
      ? onnx.AttributeProto.create({ name, type: AttributeType.INT, i: value })
      : onnx.AttributeProto.create({ name, type: AttributeType.FLOAT, f: value })
  }
  if (value instanceof Float32Array || isFloatAttribute(name)) {
    return onnx.AttributeProto.create({ name, type: AttributeType.FLOATS, floats: Array.from(value) })
  }
  return onnx.AttributeProto.create({ name, type: AttributeType.INTS, ints: value })
}

/** ONNX attributes whose type is float even when the value happens to be whole. */
const FLOAT_ATTRIBUTES = new Set(['alpha', 'beta', 'epsilon', 'min', 'max', 'gamma', 'bias', 'lambd', 'scales'])
function isFloatAttribute(name: string): boolean {
  return FLOAT_ATTRIBUTES.has(name)
}
