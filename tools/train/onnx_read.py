"""
Reads back the layers of a net that tools/train/emotion-onnx.ts wrote (Conv+Relu, MaxPool, Gemm),
so the smile net can start from the trained emotion net. A minimal protobuf walk (the onnx
package is not installed here): ModelProto.graph (7) -> GraphProto.node (1), .initializer (5);
NodeProto.input (1), .op_type (4); TensorProto.dims (1), .data_type (2), .float_data (4), .name (8), .raw_data (9).
"""
import numpy as np


def _varint(buf, i):
    shift = value = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, i


def _fields(buf):
    """(field number, wire type, value) for each field of one message."""
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        elif wire == 2:
            size, i = _varint(buf, i)
            value, i = buf[i:i + size], i + size
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        else:
            raise ValueError(f'unsupported protobuf wire type {wire}')
        yield field, wire, value


def _tensor(buf):
    dims, name, data, dtype = [], '', b'', 1
    for field, wire, value in _fields(buf):
        if field == 1:
            if wire == 2:  # packed
                j = 0
                while j < len(value):
                    d, j = _varint(value, j)
                    dims.append(d)
            else:
                dims.append(value)
        elif field == 2:
            dtype = value
        elif field == 8:
            name = bytes(value).decode()
        elif field in (4, 9):
            data = bytes(value)
    if dtype != 1:  # only the float weights matter here
        return name, None
    return name, np.frombuffer(data, dtype='<f4').reshape(dims)


def read_layers(path):
    """The net's layers in order: ('conv', weight, bias), ('maxpool',), ('dense', weight, bias)."""
    buf = memoryview(open(path, 'rb').read())
    graph = next(v for f, _, v in _fields(buf) if f == 7)
    tensors, nodes = {}, []
    for field, _, value in _fields(graph):
        if field == 5:
            name, data = _tensor(value)
            tensors[name] = data
        elif field == 1:
            inputs, op = [], ''
            for f, _, v in _fields(value):
                if f == 1:
                    inputs.append(bytes(v).decode())
                elif f == 4:
                    op = bytes(v).decode()
            nodes.append((op, inputs))
    layers = []
    for op, inputs in nodes:
        if op == 'Conv':
            layers.append(('conv', tensors[inputs[1]], tensors[inputs[2]]))
        elif op == 'MaxPool':
            layers.append(('maxpool',))
        elif op == 'Gemm':
            layers.append(('dense', tensors[inputs[1]], tensors[inputs[2]]))
    return layers
