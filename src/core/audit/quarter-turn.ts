/**
 * Quarter turns of a still, for the last look at a photo where no upright face was found (a
 * person lying sideways in the grass, a phone photo saved on its side): the detector only
 * finds faces within about 45 degrees of upright. Pure: pixels and coordinates only.
 *
 * `turns` counts clockwise quarter turns. A point (x, y) of a W x H image lands, after one
 * turn, at (H - y, x) of the H x W image (continuous pixel coordinates, so pixel centres map
 * to pixel centres).
 */
import { boundingBox, rollDegrees } from '../../shared/face-geometry'
import type { FaceResult, PersonMask, Point, RgbaImage, VisionResult } from '../../shared/vision'

export type QuarterTurns = 1 | 2 | 3

/** Rotates row-major pixels of `channels` bytes each clockwise by `turns` quarter turns. */
export function turnPixels(data: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: number, turns: QuarterTurns): { data: Uint8Array; width: number; height: number } {
  const out = new Uint8Array(data.length)
  const outWidth = turns === 2 ? width : height
  const outHeight = turns === 2 ? height : width
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Destination pixel of source pixel (x, y).
      const tx = turns === 1 ? height - 1 - y : turns === 2 ? width - 1 - x : y
      const ty = turns === 1 ? x : turns === 2 ? height - 1 - y : width - 1 - x
      const from = (y * width + x) * channels
      out.set(data.subarray(from, from + channels), (ty * outWidth + tx) * channels)
    }
  }
  return { data: out, width: outWidth, height: outHeight }
}

export function turnImage(image: RgbaImage, turns: QuarterTurns): RgbaImage {
  return turnPixels(image.data, image.width, image.height, 4, turns)
}

/** Where a point of the turned image lies in the original `width` x `height` image. */
export function unturnPoint<P extends readonly number[]>(point: P, turns: QuarterTurns, width: number, height: number): P {
  const [u, v, ...rest] = point
  const [x, y] = turns === 1 ? [v, height - u] : turns === 2 ? [width - u, height - v] : [width - v, u]
  return [x, y, ...rest] as unknown as P
}

/** A face found in the turned image, in the original image's coordinates. */
export function unturnFace(face: FaceResult, turns: QuarterTurns, width: number, height: number): FaceResult {
  const { x, y, width: w, height: h } = face.box
  const corners: Point[] = [
    [x, y],
    [x + w, y],
    [x, y + h],
    [x + w, y + h]
  ].map((c) => unturnPoint(c as Point, turns, width, height))
  const box = boundingBox(corners)
  const landmarks68 = face.landmarks68.map((p) => unturnPoint(p, turns, width, height))
  return {
    ...face,
    box,
    boxNormalized: { x: box.x / width, y: box.y / height, width: box.width / width, height: box.height / height },
    landmarks68,
    mesh468: face.mesh468?.map((p) => unturnPoint(p, turns, width, height)),
    rollDeg: rollDegrees(landmarks68)
  }
}

/** The result of analysing the turned image, as if the original had been analysed. */
export function unturnVision(result: VisionResult, turns: QuarterTurns, width: number, height: number): VisionResult {
  const back = (4 - turns) as QuarterTurns
  const mask: PersonMask | undefined = result.personMask && turnPixels(result.personMask.data, result.personMask.width, result.personMask.height, 1, back)
  return { ...result, width, height, faces: result.faces.map((f) => unturnFace(f, turns, width, height)), personMask: mask }
}
