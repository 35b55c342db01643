/**
 * Face filters ("fun with facial keypoints"): our own artwork placed on a face from its 68
 * iBUG points — scaled to the eye distance, rotated with the head roll. Placement is pure
 * math so stills (sharp + SVG) and the live compositor (canvas) draw the same thing.
 */
import type { Point } from './vision'
import { meanPoint } from './face-geometry'

export const FACE_FILTERS = ['sunglasses', 'moustache', 'partyHat'] as const
export type FaceFilter = (typeof FACE_FILTERS)[number]

export function isFaceFilter(value: unknown): value is FaceFilter {
  return typeof value === 'string' && (FACE_FILTERS as readonly string[]).includes(value)
}

/** Where an artwork goes: its centre, size and rotation in image pixels. */
export interface FilterPlacement {
  filter: FaceFilter
  cx: number
  cy: number
  width: number
  height: number
  /** Clockwise rotation in radians (image y points down), the head roll. */
  angle: number
}

export interface FilterArtwork {
  /** viewBox size of the SVG; its aspect ratio is kept. */
  viewWidth: number
  viewHeight: number
  /** The SVG's inner markup (drawn into a viewBox of viewWidth × viewHeight, transparent elsewhere). */
  body: string
  /** Artwork width as a multiple of the distance between the eye centres. */
  widthPerEyeDistance: number
}

/**
 * Our own artwork, drawn for Smilecam: dark lenses with a glint on a thin frame; a curled
 * moustache; a striped cone hat with a pompom.
 */
export const FILTER_ARTWORK: Record<FaceFilter, FilterArtwork> = {
  sunglasses: {
    viewWidth: 240,
    viewHeight: 80,
    widthPerEyeDistance: 2.3,
    body:
      '<defs><linearGradient id="lens" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1e293b"/><stop offset="1" stop-color="#020617"/></linearGradient></defs>' +
      '<path d="M8 22 Q120 6 232 22" fill="none" stroke="#111827" stroke-width="7" stroke-linecap="round"/>' +
      '<path d="M14 20 H104 Q108 20 107 26 Q102 66 62 70 Q22 72 15 34 Z" fill="url(#lens)" stroke="#111827" stroke-width="5" fill-opacity="0.92"/>' +
      '<path d="M226 20 H136 Q132 20 133 26 Q138 66 178 70 Q218 72 225 34 Z" fill="url(#lens)" stroke="#111827" stroke-width="5" fill-opacity="0.92"/>' +
      '<path d="M104 26 Q120 16 136 26" fill="none" stroke="#111827" stroke-width="6"/>' +
      '<path d="M30 30 L52 30 L36 50 Z" fill="#ffffff" fill-opacity="0.35"/><path d="M152 30 L174 30 L158 50 Z" fill="#ffffff" fill-opacity="0.35"/>'
  },
  moustache: {
    viewWidth: 200,
    viewHeight: 60,
    widthPerEyeDistance: 1.15,
    body:
      '<path d="M100 18 C86 4 60 6 44 22 C32 34 18 40 4 30 C8 48 30 58 56 50 C76 44 90 34 100 30 C110 34 124 44 144 50 C170 58 192 48 196 30 C182 40 168 34 156 22 C140 6 114 4 100 18 Z" fill="#3f2a1d" stroke="#22160f" stroke-width="3"/>' +
      '<path d="M60 24 C72 20 84 22 94 26" fill="none" stroke="#6b4a33" stroke-width="3" stroke-linecap="round"/><path d="M140 24 C128 20 116 22 106 26" fill="none" stroke="#6b4a33" stroke-width="3" stroke-linecap="round"/>'
  },
  partyHat: {
    viewWidth: 120,
    viewHeight: 150,
    widthPerEyeDistance: 1.6,
    body:
      '<defs><clipPath id="cone"><path d="M60 14 L112 140 Q60 154 8 140 Z"/></clipPath></defs>' +
      '<path d="M60 14 L112 140 Q60 154 8 140 Z" fill="#f43f5e"/>' +
      '<g clip-path="url(#cone)" fill="#facc15"><path d="M0 40 L120 20 L120 36 L0 56 Z"/><path d="M0 80 L120 60 L120 76 L0 96 Z"/><path d="M0 120 L120 100 L120 116 L0 136 Z"/></g>' +
      '<g fill="#38bdf8"><circle cx="44" cy="70" r="5"/><circle cx="74" cy="110" r="5"/><circle cx="66" cy="46" r="4"/></g>' +
      '<path d="M8 140 Q60 154 112 140" fill="none" stroke="#be123c" stroke-width="5" stroke-linecap="round"/>' +
      '<circle cx="60" cy="13" r="12" fill="#a3e635" stroke="#4d7c0f" stroke-width="3"/>'
  }
}

/** Centres of the left (36-41) and right (42-47) eyes in the image. */
export function eyeCentres(p: readonly Point[]): [Point, Point] {
  return [meanPoint(p.slice(36, 42)), meanPoint(p.slice(42, 48))]
}

/** Moustache sits between the nose base (33) and the top of the upper lip (51), a little nearer the lip. */
const MOUSTACHE_LIP_WEIGHT = 0.6
/**
 * The hat's brim sits this far above the brow middle, in brow-to-chin heights: just below the
 * estimated hairline (half a height, see faceOutline), so it rests on the hair rather than
 * floating above it (looked at on face-api's group samples).
 */
const HAT_BRIM_LIFT = 0.42

/** Where `filter` goes on a face with these 68 points. */
export function placeFilter(filter: FaceFilter, p: readonly Point[]): FilterPlacement {
  const art = FILTER_ARTWORK[filter]
  const [left, right] = eyeCentres(p)
  const eyeDistance = Math.hypot(right[0] - left[0], right[1] - left[1])
  const angle = Math.atan2(right[1] - left[1], right[0] - left[0])
  const width = art.widthPerEyeDistance * eyeDistance
  const height = (width * art.viewHeight) / art.viewWidth
  let centre: Point
  if (filter === 'sunglasses') {
    centre = [(left[0] + right[0]) / 2, (left[1] + right[1]) / 2]
  } else if (filter === 'moustache') {
    const [nose, lip] = [p[33], p[51]]
    centre = [nose[0] + (lip[0] - nose[0]) * MOUSTACHE_LIP_WEIGHT, nose[1] + (lip[1] - nose[1]) * MOUSTACHE_LIP_WEIGHT]
  } else {
    // "Up" is perpendicular to the eye line, so the hat tilts with the head.
    const up: Point = [Math.sin(angle), -Math.cos(angle)]
    const brow = meanPoint(p.slice(17, 27))
    const faceHeight = Math.hypot(p[8][0] - brow[0], p[8][1] - brow[1])
    const lift = HAT_BRIM_LIFT * faceHeight
    // The artwork's brim is at its bottom, so the centre is half the height further up.
    centre = [brow[0] + up[0] * (lift + height / 2), brow[1] + up[1] * (lift + height / 2)]
  }
  return { filter, cx: centre[0], cy: centre[1], width, height, angle }
}

/** Placements of one filter on every face. */
export function placeFilterOnFaces(filter: FaceFilter, faces: ReadonlyArray<{ landmarks68: readonly Point[] }>): FilterPlacement[] {
  return faces.filter((f) => f.landmarks68.length >= 68).map((f) => placeFilter(filter, f.landmarks68))
}

/** A standalone SVG document of the artwork (for an <img> or canvas drawImage). */
export function artworkSvg(filter: FaceFilter): string {
  const art = FILTER_ARTWORK[filter]
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${art.viewWidth}" height="${art.viewHeight}" viewBox="0 0 ${art.viewWidth} ${art.viewHeight}">${art.body}</svg>`
}

/** The artwork placed, as an SVG fragment for an overlay in image coordinates. */
export function placedArtworkSvg(placement: FilterPlacement, idPrefix: string): string {
  const art = FILTER_ARTWORK[placement.filter]
  const degrees = (placement.angle * 180) / Math.PI
  // Gradient and clip ids must be unique per placed copy within one SVG document.
  const body = art.body.replace(/id="([a-z]+)"/g, `id="${idPrefix}$1"`).replace(/url\(#([a-z]+)\)/g, `url(#${idPrefix}$1)`)
  return (
    `<g transform="translate(${placement.cx.toFixed(2)} ${placement.cy.toFixed(2)}) rotate(${degrees.toFixed(3)}) ` +
    `translate(${(-placement.width / 2).toFixed(2)} ${(-placement.height / 2).toFixed(2)}) scale(${(placement.width / art.viewWidth).toFixed(5)})">${body}</g>`
  )
}
