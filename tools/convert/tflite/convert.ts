/**
 * Converts a float TFLite model (optionally with fp16 weights behind DEQUANTIZE)
 * into an ONNX graph. Internally 4-D activations run in NCHW (what ONNX Conv
 * wants); the model's public input and outputs keep TFLite's NHWC layout and
 * value range, with Transposes at the boundary. Weights are folded to OIHW.
 */
import { OnnxGraphBuilder } from '../onnx-graph'
import {
  BuiltinOp,
  binaryOptions,
  concatOptions,
  conv2dOptions,
  depthwiseOptions,
  pool2dOptions,
  readTfliteModel,
  reducerOptions,
  resizeBilinearOptions,
  tensorValues,
  transposeConvBiasOptions,
  TensorType,
  type FusedActivation,
  type TfliteModel,
  type TfliteOperator,
  type TfliteTensor
} from './schema'
import {
  NCHW_TO_NHWC,
  NHWC_TO_NCHW,
  broadcastConstantToNchw,
  nhwcAxisToNchw,
  paddingFor,
  permute,
  transposePaddingFor
} from './layout'

export interface ConvertOptions {
  /** Graph name inside the ONNX file. */
  graphName: string
  /** Public name of the (single) input; default "input". */
  inputName?: string
  /** Public names of the outputs, in the TFLite subgraph's output order; default: the TFLite tensor names. */
  outputNames?: readonly string[]
  docString?: string
}

/** Where a TFLite tensor lives in the ONNX graph: 4-D activations may be held in NCHW. */
interface OnnxValue {
  name: string
  layout: 'nchw' | 'native'
}

const CUSTOM_TRANSPOSE_CONV_BIAS = 'Convolution2DTransposeBias'

export function convertTflite(bytes: Uint8Array, options: ConvertOptions): Uint8Array {
  const model = readTfliteModel(bytes)
  return new TfliteGraphConverter(model, options).convert()
}

class TfliteGraphConverter {
  private readonly graph: OnnxGraphBuilder
  private readonly values = new Map<number, OnnxValue>()
  /** Alternate-layout copies already made, keyed by "<tensor>:<layout>". */
  private readonly relaid = new Map<string, string>()
  /** Float/int data of constant tensors, including DEQUANTIZE outputs folded at conversion time. */
  private readonly constants = new Map<number, Float32Array | Int32Array>()

  constructor(
    private readonly model: TfliteModel,
    private readonly options: ConvertOptions
  ) {
    this.graph = new OnnxGraphBuilder(options.graphName)
    for (const tensor of model.tensors) {
      if (tensor.data && (tensor.type === TensorType.FLOAT32 || tensor.type === TensorType.FLOAT16 || tensor.type === TensorType.INT32 || tensor.type === TensorType.INT64)) {
        this.constants.set(tensor.index, tensorValues(tensor))
      }
    }
  }

  convert(): Uint8Array {
    const { model, graph } = this
    if (model.inputs.length !== 1) throw new Error(`expected one model input, got ${model.inputs.length}`)
    const input = this.tensor(model.inputs[0])
    if (input.type !== TensorType.FLOAT32) throw new Error('only float32 model inputs are supported')
    const inputName = graph.addInput(this.options.inputName ?? 'input', input.shape)
    this.values.set(input.index, { name: inputName, layout: 'native' })

    for (const op of model.operators) this.convertOperator(op)

    model.outputs.forEach((index, i) => {
      const tensor = this.tensor(index)
      const publicName = this.options.outputNames?.[i] ?? tensor.name
      graph.renameOutput(this.native(index), publicName)
      graph.addOutput(publicName, tensor.shape)
    })
    return graph.toBytes('smilecam-tflite2onnx', this.options.docString ?? model.description)
  }

  // ---- tensor access ------------------------------------------------------

  private tensor(index: number): TfliteTensor {
    const tensor = this.model.tensors[index]
    if (!tensor) throw new Error(`missing tensor ${index}`)
    return tensor
  }

  private value(index: number): OnnxValue {
    const value = this.values.get(index)
    if (value) return value
    const constant = this.constants.get(index)
    if (constant instanceof Float32Array) {
      const tensor = this.tensor(index)
      const name = this.graph.addFloat(tensor.name, tensor.shape, constant)
      const made: OnnxValue = { name, layout: 'native' }
      this.values.set(index, made)
      return made
    }
    throw new Error(`tensor ${this.tensor(index).name} is used before it is produced`)
  }

  private floatConstant(index: number): Float32Array {
    const data = this.constants.get(index)
    if (!(data instanceof Float32Array)) throw new Error(`tensor ${this.tensor(index).name} is not a float constant`)
    return data
  }

  private intConstant(index: number): number[] {
    const data = this.constants.get(index)
    if (!data) throw new Error(`tensor ${this.tensor(index).name} is not a constant`)
    return Array.from(data)
  }

  /** Constants (and folded DEQUANTIZE outputs) live in `constants`; activations never do. */
  private isConstant(index: number): boolean {
    return this.constants.has(index)
  }

  private relayout(index: number, want: 'nchw' | 'native'): string {
    const value = this.value(index)
    if (value.layout === want) return value.name
    const key = `${index}:${want}`
    const cached = this.relaid.get(key)
    if (cached) return cached
    const perm = want === 'nchw' ? NHWC_TO_NCHW : NCHW_TO_NHWC
    const name = this.graph.op('Transpose', [value.name], { perm: [...perm] }, `${this.tensor(index).name}_${want}`)
    this.relaid.set(key, name)
    return name
  }

  /** The tensor as ONNX name in NCHW (rank-4 tensors only). */
  private nchw(index: number): string {
    if (this.tensor(index).shape.length !== 4) throw new Error(`tensor ${this.tensor(index).name} is not rank 4`)
    return this.relayout(index, 'nchw')
  }

  /** The tensor in TFLite's own layout. */
  private native(index: number): string {
    return this.relayout(index, 'native')
  }

  private define(index: number, name: string, layout: 'nchw' | 'native'): void {
    this.values.set(index, { name, layout })
  }

  // ---- operators ----------------------------------------------------------

  private convertOperator(op: TfliteOperator): void {
    switch (op.builtin) {
      case BuiltinOp.DEQUANTIZE:
        return this.dequantize(op)
      case BuiltinOp.CONV_2D:
        return this.conv2d(op)
      case BuiltinOp.DEPTHWISE_CONV_2D:
        return this.depthwiseConv2d(op)
      case BuiltinOp.ADD:
        return this.binary(op, 'Add')
      case BuiltinOp.MUL:
        return this.binary(op, 'Mul')
      case BuiltinOp.RELU:
        return this.unary(op, (x) => this.graph.op('Relu', [x]))
      case BuiltinOp.RELU6:
        return this.unary(op, (x) => this.clip(x, 0, 6))
      case BuiltinOp.LOGISTIC:
        return this.unary(op, (x) => this.graph.op('Sigmoid', [x]))
      case BuiltinOp.HARD_SWISH:
        // Opset 13 has no HardSwish: x * hard_sigmoid(x), hard_sigmoid = clip(x/6 + 0.5, 0, 1).
        return this.unary(op, (x) =>
          this.graph.op('Mul', [x, this.graph.op('HardSigmoid', [x], { alpha: 1 / 6, beta: 0.5 })], {}, 'hard_swish')
        )
      case BuiltinOp.PRELU:
        return this.prelu(op)
      case BuiltinOp.PAD:
        return this.pad(op)
      case BuiltinOp.MAX_POOL_2D:
        return this.pool(op, 'MaxPool')
      case BuiltinOp.AVERAGE_POOL_2D:
        return this.pool(op, 'AveragePool')
      case BuiltinOp.RESHAPE:
        return this.reshape(op)
      case BuiltinOp.CONCATENATION:
        return this.concatenation(op)
      case BuiltinOp.RESIZE_BILINEAR:
        return this.resizeBilinear(op)
      case BuiltinOp.MEAN:
        return this.mean(op)
      case BuiltinOp.CUSTOM:
        if (op.customCode === CUSTOM_TRANSPOSE_CONV_BIAS) return this.transposeConvBias(op)
        throw new Error(`unsupported custom operator ${op.customCode ?? '(unnamed)'}`)
      default:
        throw new Error(`unsupported TFLite builtin operator ${op.builtin}`)
    }
  }

  private dequantize(op: TfliteOperator): void {
    const [input] = op.inputs
    const source = this.tensor(input)
    if (!this.isConstant(input) || source.type !== TensorType.FLOAT16) {
      throw new Error(`DEQUANTIZE of ${source.name}: only constant float16 tensors are supported`)
    }
    // Folded: the float32 weights become a constant of the output tensor.
    this.constants.set(op.outputs[0], this.floatConstant(input))
  }

  private clip(x: string, min: number, max: number): string {
    return this.graph.op('Clip', [x, this.graph.addFloat('clip_min', [], [min]), this.graph.addFloat('clip_max', [], [max])])
  }

  private activation(x: string, fused: FusedActivation): string {
    switch (fused) {
      case 'NONE':
        return x
      case 'RELU':
        return this.graph.op('Relu', [x])
      case 'RELU6':
        return this.clip(x, 0, 6)
      case 'RELU_N1_TO_1':
        return this.clip(x, -1, 1)
      case 'TANH':
        return this.graph.op('Tanh', [x])
      default:
        throw new Error(`unsupported fused activation ${fused}`)
    }
  }

  private outputName(op: TfliteOperator): string {
    return this.tensor(op.outputs[0]).name
  }

  private spatialPads(op: TfliteOperator, kernelH: number, kernelW: number, o: { padding: 'SAME' | 'VALID'; strideH: number; strideW: number; dilationH?: number; dilationW?: number }): number[] {
    const [, inH, inW] = this.tensor(op.inputs[0]).shape
    const h = paddingFor(o.padding, inH, kernelH, o.strideH, o.dilationH ?? 1)
    const w = paddingFor(o.padding, inW, kernelW, o.strideW, o.dilationW ?? 1)
    return [h.begin, w.begin, h.end, w.end]
  }

  /** The optional bias (third input of convolutions) as a list of zero or one ONNX inputs. */
  private biasInput(op: TfliteOperator): string[] {
    const biasIndex = op.inputs[2]
    if (biasIndex === undefined || biasIndex < 0) return []
    const bias = this.tensor(biasIndex)
    return [this.graph.addFloat(bias.name, bias.shape, this.floatConstant(biasIndex))]
  }

  private conv2d(op: TfliteOperator): void {
    const o = conv2dOptions(op.options)
    const weights = this.tensor(op.inputs[1])
    const [outC, kH, kW, inC] = weights.shape
    const oihw = permute(this.floatConstant(weights.index), weights.shape, [0, 3, 1, 2])
    const w = this.graph.addFloat(weights.name, [outC, inC, kH, kW], oihw)
    const y = this.graph.op(
      'Conv',
      [this.nchw(op.inputs[0]), w, ...this.biasInput(op)],
      {
        kernel_shape: [kH, kW],
        strides: [o.strideH, o.strideW],
        dilations: [o.dilationH, o.dilationW],
        pads: this.spatialPads(op, kH, kW, o)
      },
      this.outputName(op)
    )
    this.define(op.outputs[0], this.activation(y, o.activation), 'nchw')
  }

  private depthwiseConv2d(op: TfliteOperator): void {
    const o = depthwiseOptions(op.options)
    const weights = this.tensor(op.inputs[1])
    const [, kH, kW, outC] = weights.shape
    const inC = this.tensor(op.inputs[0]).shape[3]
    // [1, kH, kW, C*M] -> [C*M, 1, kH, kW]; output channel c*M + m reads input channel c, as in ONNX groups.
    const w = this.graph.addFloat(weights.name, [outC, 1, kH, kW], permute(this.floatConstant(weights.index), weights.shape, [3, 0, 1, 2]))
    const y = this.graph.op(
      'Conv',
      [this.nchw(op.inputs[0]), w, ...this.biasInput(op)],
      {
        kernel_shape: [kH, kW],
        strides: [o.strideH, o.strideW],
        dilations: [o.dilationH, o.dilationW],
        pads: this.spatialPads(op, kH, kW, o),
        group: inC
      },
      this.outputName(op)
    )
    this.define(op.outputs[0], this.activation(y, o.activation), 'nchw')
  }

  private transposeConvBias(op: TfliteOperator): void {
    const o = transposeConvBiasOptions(op.customOptions)
    const weights = this.tensor(op.inputs[1])
    const [outC, kH, kW, inC] = weights.shape
    const [, inH, inW] = this.tensor(op.inputs[0]).shape
    // OHWI -> ONNX ConvTranspose's [C_in, C_out, kH, kW].
    const w = this.graph.addFloat(weights.name, [inC, outC, kH, kW], permute(this.floatConstant(weights.index), weights.shape, [3, 0, 1, 2]))
    const h = transposePaddingFor(o.padding, inH, kH, o.strideH)
    const wp = transposePaddingFor(o.padding, inW, kW, o.strideW)
    const y = this.graph.op(
      'ConvTranspose',
      [this.nchw(op.inputs[0]), w, ...this.biasInput(op)],
      { kernel_shape: [kH, kW], strides: [o.strideH, o.strideW], pads: [h.begin, wp.begin, h.end, wp.end] },
      this.outputName(op)
    )
    this.define(op.outputs[0], y, 'nchw')
  }

  /** Elementwise op that keeps whatever layout its input is in. */
  private unary(op: TfliteOperator, build: (x: string) => string): void {
    const value = this.value(op.inputs[0])
    this.define(op.outputs[0], build(value.name), value.layout)
  }

  /** An operand for a rank-4 NCHW computation: activations re-laid out, constants permuted to broadcast. */
  private nchwOperand(index: number): string {
    if (!this.isConstant(index)) return this.nchw(index)
    const tensor = this.tensor(index)
    const { data, dims } = broadcastConstantToNchw(this.floatConstant(index), tensor.shape)
    return this.graph.addFloat(tensor.name, dims, data)
  }

  private binary(op: TfliteOperator, opType: 'Add' | 'Mul'): void {
    const { activation } = binaryOptions(op.options)
    const [a, b] = op.inputs
    const rank4 = this.tensor(op.outputs[0]).shape.length === 4
    const inputs = rank4 ? [this.nchwOperand(a), this.nchwOperand(b)] : [this.native(a), this.native(b)]
    const y = this.graph.op(opType, inputs, {}, this.outputName(op))
    this.define(op.outputs[0], this.activation(y, activation), rank4 ? 'nchw' : 'native')
  }

  /**
   * PRelu with one slope per channel becomes x + (1 - a) * relu(-x): two 1x1 depthwise convolutions
   * and an Add, which onnxruntime's blocked (NCHWc) CPU layout runs without leaving it. Its PRelu
   * kernel cannot: the face mesh spent more time in PRelu and the layout changes around it than in
   * its convolutions (5.0 ms a frame; 1.7 ms this way with the channel padding below, the same outputs within float rounding).
   */
  private prelu(op: TfliteOperator): void {
    const [x, alpha] = op.inputs
    const slopes = this.isConstant(alpha) ? perChannelValues(this.floatConstant(alpha), this.tensor(alpha).shape, this.tensor(x).shape[3]) : null
    if (!slopes || this.tensor(x).shape.length !== 4) {
      const y = this.graph.op('PRelu', [this.nchw(x), this.nchwOperand(alpha)], {}, this.outputName(op))
      this.define(op.outputs[0], y, 'nchw')
      return
    }
    const input = this.nchw(x)
    const negative = this.graph.op('Relu', [this.channelScale(input, slopes.map(() => -1), 'prelu_negate')], {}, 'prelu_negative')
    const scaled = this.channelScale(negative, slopes.map((a) => 1 - a), 'prelu_slope')
    this.define(op.outputs[0], this.graph.op('Add', [input, scaled], {}, this.outputName(op)), 'nchw')
  }

  /** Each channel of an NCHW tensor times its own factor, as a 1x1 depthwise convolution. */
  private channelScale(x: string, factors: Float32Array, hint: string): string {
    const channels = factors.length
    const w = this.graph.addFloat(`${hint}_w`, [channels, 1, 1, 1], factors)
    return this.graph.op('Conv', [x, w], { kernel_shape: [1, 1], group: channels }, hint)
  }

  private pad(op: TfliteOperator): void {
    const [x, paddingsIndex] = op.inputs
    const paddings = this.intConstant(paddingsIndex) // [rank, 2] in NHWC order
    const rank = this.tensor(x).shape.length
    if (rank !== 4) throw new Error('PAD: only rank-4 tensors are supported')
    const [, , , inC] = this.tensor(x).shape
    if (paddings.every((p, i) => p === 0 || i >= 6) && paddings[6] + paddings[7] > 0) {
      // Zero channels appended or prepended (MediaPipe's residual blocks widening): a 1x1 convolution
      // that copies the channels keeps onnxruntime in its blocked layout, where Pad would leave it.
      const outC = inC + paddings[6] + paddings[7]
      const w = new Float32Array(outC * inC)
      for (let c = 0; c < inC; c++) w[(c + paddings[6]) * inC + c] = 1
      const y = this.graph.op('Conv', [this.nchw(x), this.graph.addFloat('channel_pad_w', [outC, inC, 1, 1], w)], { kernel_shape: [1, 1] }, this.outputName(op))
      this.define(op.outputs[0], y, 'nchw')
      return
    }
    const begins = NHWC_TO_NCHW.map((axis) => paddings[2 * axis])
    const ends = NHWC_TO_NCHW.map((axis) => paddings[2 * axis + 1])
    const pads = this.graph.addInt64('pads', [...begins, ...ends])
    this.define(op.outputs[0], this.graph.op('Pad', [this.nchw(x), pads], { mode: 'constant' }, this.outputName(op)), 'nchw')
  }

  private pool(op: TfliteOperator, opType: 'MaxPool' | 'AveragePool'): void {
    const o = pool2dOptions(op.options)
    const y = this.graph.op(
      opType,
      [this.nchw(op.inputs[0])],
      {
        kernel_shape: [o.filterH, o.filterW],
        strides: [o.strideH, o.strideW],
        pads: this.spatialPads(op, o.filterH, o.filterW, o),
        // TFLite averages over the valid (unpadded) pixels only.
        count_include_pad: opType === 'AveragePool' ? 0 : undefined
      },
      this.outputName(op)
    )
    this.define(op.outputs[0], this.activation(y, o.activation), 'nchw')
  }

  private reshape(op: TfliteOperator): void {
    // The output tensor's static shape is what both new_shape and the shape input describe.
    const shape = this.graph.addInt64('shape', this.tensor(op.outputs[0]).shape)
    this.define(op.outputs[0], this.graph.op('Reshape', [this.native(op.inputs[0]), shape], {}, this.outputName(op)), 'native')
  }

  private concatenation(op: TfliteOperator): void {
    const o = concatOptions(op.options)
    const rank4 = op.inputs.every((i) => this.tensor(i).shape.length === 4)
    const rank = this.tensor(op.outputs[0]).shape.length
    const axis = rank4 ? nhwcAxisToNchw(o.axis) : o.axis < 0 ? o.axis + rank : o.axis
    const inputs = op.inputs.map((i) => (rank4 ? this.nchwOperand(i) : this.native(i)))
    const y = this.graph.op('Concat', inputs, { axis }, this.outputName(op))
    this.define(op.outputs[0], this.activation(y, o.activation), rank4 ? 'nchw' : 'native')
  }

  private resizeBilinear(op: TfliteOperator): void {
    const o = resizeBilinearOptions(op.options)
    const [n, h, w, c] = this.tensor(op.outputs[0]).shape
    const mode = o.alignCorners ? 'align_corners' : o.halfPixelCenters ? 'half_pixel' : 'asymmetric'
    const sizes = this.graph.addInt64('sizes', [n, c, h, w])
    const y = this.graph.op(
      'Resize',
      [this.nchw(op.inputs[0]), '', '', sizes],
      { mode: 'linear', coordinate_transformation_mode: mode },
      this.outputName(op)
    )
    this.define(op.outputs[0], y, 'nchw')
  }

  private mean(op: TfliteOperator): void {
    const { keepDims } = reducerOptions(op.options)
    const [x, axesIndex] = op.inputs
    const axes = this.intConstant(axesIndex)
    if (keepDims && this.tensor(x).shape.length === 4) {
      const y = this.graph.op('ReduceMean', [this.nchw(x)], { axes: axes.map(nhwcAxisToNchw), keepdims: 1 }, this.outputName(op))
      this.define(op.outputs[0], y, 'nchw')
    } else {
      const y = this.graph.op('ReduceMean', [this.native(x)], { axes, keepdims: keepDims ? 1 : 0 }, this.outputName(op))
      this.define(op.outputs[0], y, 'native')
    }
  }
}

/**
 * The per-channel values of a constant that broadcasts over an NHWC tensor with `channels`
 * channels along its last axis only (shape [C], [1, C], [1, 1, C], ...), or null otherwise.
 */
export function perChannelValues(data: Float32Array, shape: readonly number[], channels: number): Float32Array | null {
  const last = shape[shape.length - 1]
  if (last !== channels || data.length !== channels || shape.slice(0, -1).some((d) => d !== 1)) return null
  return Float32Array.from(data)
}
