import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OnnxGraphBuilder } from '../../../tools/convert/onnx-graph'
import { createRunMeter, createSession, runFloat } from '../../../src/engine/ops/session'

/** A one-node model: output = relu(input), [1, 4]. */
function reluModel(): Uint8Array {
  const graph = new OnnxGraphBuilder('relu')
  const input = graph.addInput('input', [1, 4])
  graph.renameOutput(graph.op('Relu', [input]), 'output')
  graph.addOutput('output', [1, 4])
  return graph.toBytes('test')
}

describe('createSession with a run meter', () => {
  let dir: string
  let path: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smilecam-session-'))
    path = join(dir, 'relu.onnx')
    await writeFile(path, reluModel())
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('counts and times the runs of the metered session only, and still answers', async () => {
    const meter = createRunMeter()
    const metered = await createSession(path, { meter })
    const plain = await createSession(path)
    try {
      const [out] = await runFloat(metered, Float32Array.from([-1, 2, -3, 4]), [1, 4], ['output'])
      expect(Array.from(out)).toEqual([0, 2, 0, 4])
      await runFloat(metered, new Float32Array(4), [1, 4], ['output'])
      await runFloat(plain, new Float32Array(4), [1, 4], ['output'])
      expect(meter.runs).toBe(2)
      expect(meter.wallMs).toBeGreaterThan(0)
      expect(meter.cpuMs).toBeGreaterThanOrEqual(0)
      // The prototype is untouched: other sessions are not metered.
      expect(Object.prototype.hasOwnProperty.call(plain, 'run')).toBe(false)
      expect((ort.InferenceSession as unknown as { prototype: object }).prototype).not.toHaveProperty('run', metered.run)
    } finally {
      await metered.release()
      await plain.release()
    }
  })
})
