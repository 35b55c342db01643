/**
 * Maps the MediaPipe 468-point face mesh onto the iBUG 68-point layout.
 *
 * Each iBUG point is a weighted mix of two mesh vertices, because several iBUG
 * points (the jaw above all) fall between mesh vertices: iBUG's jaw follows the
 * visible cheek contour, the mesh follows the 3D surface. The table was fitted
 * by least squares on annotated video frames (tools/fit-mesh68.ts) and then
 * rounded; see that script for how to refit it.
 */
import type { Point } from '../../../shared/vision'

/** [mesh vertex a, mesh vertex b, weight of a] for each iBUG point 0..67. */
export type MeshToIbugTable = ReadonlyArray<readonly [number, number, number]>

export const MESH_TO_IBUG68: MeshToIbugTable = [
  // Jaw 0-16, from the subject's right ear (image left) over the chin to the left ear.
  [127, 234, 0.5], [234, 93, 0.5], [93, 132, 0.5], [132, 58, 0.5], [58, 172, 0.5], [172, 136, 0.5], [136, 150, 0.5], [149, 176, 0.5],
  [152, 152, 1],
  [400, 378, 0.5], [365, 379, 0.5], [397, 365, 0.5], [288, 397, 0.5], [361, 288, 0.5], [323, 361, 0.5], [454, 323, 0.5], [356, 454, 0.5],
  // Brows 17-26 (upper edge mixed with lower edge).
  [70, 46, 0.5], [63, 53, 0.5], [105, 52, 0.5], [66, 65, 0.5], [107, 55, 0.5],
  [336, 285, 0.5], [296, 295, 0.5], [334, 282, 0.5], [293, 283, 0.5], [300, 276, 0.5],
  // Nose bridge 27-30 and nostrils 31-35.
  [168, 168, 1], [197, 197, 1], [5, 5, 1], [4, 4, 1],
  [98, 98, 1], [97, 97, 1], [2, 2, 1], [326, 326, 1], [327, 327, 1],
  // Right eye 36-41, left eye 42-47 (corner, top, top, corner, bottom, bottom).
  [33, 33, 1], [160, 160, 1], [158, 158, 1], [133, 133, 1], [153, 153, 1], [144, 144, 1],
  [362, 362, 1], [385, 385, 1], [387, 387, 1], [263, 263, 1], [373, 373, 1], [380, 380, 1],
  // Outer lips 48-59.
  [61, 61, 1], [40, 40, 1], [37, 37, 1], [0, 0, 1], [267, 267, 1], [270, 270, 1],
  [291, 291, 1], [321, 321, 1], [314, 314, 1], [17, 17, 1], [84, 84, 1], [91, 91, 1],
  // Inner lips 60-67.
  [78, 78, 1], [81, 81, 1], [13, 13, 1], [311, 311, 1], [308, 308, 1], [402, 402, 1], [14, 14, 1], [178, 178, 1]
]

/** The 68 iBUG points from a 468-point mesh (x, y only). */
export function meshToIbug68(mesh: ReadonlyArray<readonly number[]>, table: MeshToIbugTable = MESH_TO_IBUG68): Point[] {
  return table.map(([a, b, w]) => {
    const pa = mesh[a]
    const pb = mesh[b]
    return [pa[0] * w + pb[0] * (1 - w), pa[1] * w + pb[1] * (1 - w)]
  })
}
