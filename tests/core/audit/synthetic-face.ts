/** A hand-built iBUG-68 face for tests: a unit face shape placed at (cx, cy) with a given scale. */
import { eyeAspectRatio, mouthAspectRatio } from '../../../src/shared/face-geometry'
import { EMOTION_LABELS, type EmotionLabel, type EmotionScores, type FaceResult, type Point } from '../../../src/shared/vision'

export interface SyntheticFaceShape {
  cx: number
  cy: number
  /** Half the face width in pixels. */
  scale: number
  /** Inner-lip gap as a fraction of the scale; MAR = gap / 0.6 (inner gap over the 0.6-wide outer mouth). */
  mouthGap?: number
  /** How far the mouth corners rise above their rest position, as a fraction of the scale. */
  cornerLift?: number
}

/** Unit-face points: x right, y down, face width 2 (jaw from -1 to 1), chin at y = 1. */
export function syntheticLandmarks({ cx, cy, scale, mouthGap = 0, cornerLift = 0 }: SyntheticFaceShape): Point[] {
  const unit: Point[] = []
  // Jaw 0-16: lower half-ellipse from the left temple over the chin to the right temple.
  for (let i = 0; i <= 16; i++) {
    const theta = Math.PI - (Math.PI * i) / 16
    unit.push([Math.cos(theta), -0.2 + 1.2 * Math.sin(theta)])
  }
  // Brows 17-26.
  for (let i = 0; i < 5; i++) unit.push([-0.75 + 0.15 * i, -0.45])
  for (let i = 0; i < 5; i++) unit.push([0.15 + 0.15 * i, -0.45])
  // Nose bridge 27-30, nostrils 31-35.
  for (let i = 0; i < 4; i++) unit.push([0, -0.35 + 0.15 * i])
  for (let i = 0; i < 5; i++) unit.push([-0.2 + 0.1 * i, 0.25])
  // Eyes 36-47 (corner, top, top, corner, bottom, bottom).
  for (const ex of [-0.4, 0.4]) {
    unit.push([ex - 0.15, -0.25], [ex - 0.05, -0.3], [ex + 0.05, -0.3], [ex + 0.15, -0.25], [ex + 0.05, -0.2], [ex - 0.05, -0.2])
  }
  const cornerY = 0.55 - cornerLift
  // Outer lips 48-59: left corner, upper lip to the right corner, lower lip back.
  unit.push([-0.3, cornerY], [-0.2, 0.5], [-0.1, 0.47], [0, 0.48], [0.1, 0.47], [0.2, 0.5], [0.3, cornerY])
  unit.push([0.2, 0.62 + mouthGap], [0.1, 0.66 + mouthGap], [0, 0.67 + mouthGap], [-0.1, 0.66 + mouthGap], [-0.2, 0.62 + mouthGap])
  // Inner lips 60-67: left corner, upper inner lip, right corner, lower inner lip back.
  unit.push([-0.25, cornerY], [-0.1, 0.54], [0, 0.54], [0.1, 0.54], [0.25, cornerY])
  unit.push([0.1, 0.54 + mouthGap], [0, 0.54 + mouthGap], [-0.1, 0.54 + mouthGap])
  return unit.map(([x, y]) => [cx + x * scale, cy + y * scale])
}

export function emotionScores(top: EmotionLabel, topScore: number): EmotionScores {
  const rest = (1 - topScore) / (EMOTION_LABELS.length - 1)
  const scores = Object.fromEntries(EMOTION_LABELS.map((label) => [label, rest])) as EmotionScores
  scores[top] = topScore
  return scores
}

/** A FaceResult around the synthetic landmarks, as the engine would report it. */
export function syntheticFace(shape: SyntheticFaceShape, emotion?: { label: EmotionLabel; score: number }): FaceResult {
  const landmarks68 = syntheticLandmarks(shape)
  const xs = landmarks68.map((p) => p[0])
  const ys = landmarks68.map((p) => p[1])
  const box = { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) }
  const face: FaceResult = {
    box,
    boxNormalized: box,
    score: 0.95,
    landmarks68,
    mar: mouthAspectRatio(landmarks68),
    ear: eyeAspectRatio(landmarks68),
    rollDeg: 0
  }
  if (emotion) {
    const scores = emotionScores(emotion.label, emotion.score)
    face.emotion = { label: emotion.label, scores }
    face.smile = scores.happy
  }
  return face
}
