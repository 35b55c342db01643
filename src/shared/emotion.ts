/** Pure helpers on the 7 emotion scores. */
import { EMOTION_LABELS, type EmotionLabel, type EmotionScores, type FaceEmotion, type Sentiment } from './vision'

/** Sentiment of an emotion label: happy is positive; neutral and surprise are neutral; the rest negative. */
export function sentimentOfLabel(label: EmotionLabel): Sentiment {
  if (label === 'happy') return 'positive'
  if (label === 'neutral' || label === 'surprise') return 'neutral'
  return 'negative'
}

/** The label with the highest score. */
export function topEmotion(scores: EmotionScores): EmotionLabel {
  let best: EmotionLabel = EMOTION_LABELS[0]
  for (const label of EMOTION_LABELS) if (scores[label] > scores[best]) best = label
  return best
}

/**
 * Sentiment from summed class probabilities rather than the single top label,
 * so a face that is 40% sad + 30% angry reads negative even if neutral is the top class.
 */
export function sentimentOfScores(scores: EmotionScores): Sentiment {
  const positive = scores.happy
  const neutral = scores.neutral + scores.surprise
  const negative = scores.angry + scores.disgust + scores.fear + scores.sad
  if (positive >= neutral && positive >= negative) return 'positive'
  return negative > neutral ? 'negative' : 'neutral'
}

export function faceEmotion(scores: EmotionScores): FaceEmotion {
  return { label: topEmotion(scores), scores }
}
