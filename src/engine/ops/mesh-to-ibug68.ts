/**
 * Maps the MediaPipe 468-point face mesh onto the iBUG 68-point layout.
 *
 * Each iBUG point is a weighted mix of two mesh vertices, because several iBUG
 * points (the jaw above all) fall between mesh vertices: iBUG's jaw follows the
 * visible cheek contour, the mesh follows the 3D surface. The table was fitted
 * by least squares on annotated video frames (tools/fit-mesh68.ts, weights in
 * steps of 0.05; eyelid and inner-lip points restricted to their own lid/lip so
 * EAR and MAR keep their meaning). Cross-validated NME 0.059 on those frames.
 */
import type { Point } from '../../shared/vision'

/** [mesh vertex a, mesh vertex b, weight of a] for each iBUG point 0..67. */
export type MeshToIbugTable = ReadonlyArray<readonly [number, number, number]>

export const MESH_TO_IBUG68: MeshToIbugTable = [
  // Jaw 0-16, from the subject's right ear (image left) over the chin to the left ear.
  [127, 234, 0.95], [93, 127, 0.7], [132, 137, 0.6], [58, 177, 0.6], [172, 58, 0.8], [136, 150, 0.8],
  [149, 150, 0.55], [176, 148, 0.7], [152, 377, 0.85], [400, 421, 1], [379, 378, 0.75], [365, 367, 1],
  [397, 288, 0.75], [288, 361, 0.55], [361, 323, 0.55], [323, 356, 0.7], [356, 454, 0.95],
  // Brows 17-26.
  [70, 63, 0.9], [63, 105, 0.7], [105, 66, 0.65], [107, 105, 0.55], [107, 222, 0.8], [336, 295, 0.55],
  [296, 443, 0.9], [334, 295, 0.9], [293, 334, 0.95], [300, 368, 0.9],
  // Nose bridge 27-30 and nostrils 31-35.
  [6, 417, 0.75], [419, 3, 0.6], [4, 248, 0.6], [1, 275, 0.7], [75, 167, 0.55], [97, 164, 0.65],
  [164, 326, 0.75], [393, 290, 0.55], [327, 393, 0.7],
  // Right eye 36-41, left eye 42-47 (corner, top, top, corner, bottom, bottom); lids keep to their own lid.
  [25, 160, 0.55], [161, 173, 0.7], [159, 173, 0.5], [133, 232, 0.9], [112, 24, 0.6], [144, 23, 0.75],
  [384, 452, 0.6], [387, 398, 0.55], [388, 398, 0.85], [339, 342, 0.55], [254, 390, 0.55], [374, 252, 0.6],
  // Outer lips 48-59.
  [43, 184, 0.5], [73, 74, 0.6], [72, 0, 0.55], [11, 267, 0.8], [302, 267, 0.65], [304, 303, 0.9],
  [287, 321, 0.6], [405, 335, 0.6], [314, 418, 0.75], [17, 421, 0.8], [84, 200, 0.8], [181, 106, 0.9],
  // Inner lips 60-67; upper and lower points keep to their own lip so MAR is not shrunk.
  [76, 95, 0.75], [82, 82, 0.9], [13, 312, 0.75], [311, 312, 0.65], [306, 324, 1], [317, 402, 0.6],
  [14, 317, 0.75], [87, 87, 0.6]
]

/** The 68 iBUG points from a 468-point mesh (x, y only). */
export function meshToIbug68(mesh: ReadonlyArray<readonly number[]>, table: MeshToIbugTable = MESH_TO_IBUG68): Point[] {
  return table.map(([a, b, w]) => {
    const pa = mesh[a]
    const pb = mesh[b]
    return [pa[0] * w + pb[0] * (1 - w), pa[1] * w + pb[1] * (1 - w)]
  })
}
