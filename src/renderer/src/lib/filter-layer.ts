/**
 * The face-filter layer of the live view: a transparent canvas with the chosen filter's artwork
 * placed on every face (placement math in shared/face-filters.ts), which the compositor draws
 * over each frame, so the view and captures both carry it.
 */
import { artworkSvg, FACE_FILTERS, placeFilterOnFaces, type FaceFilter, type FilterPlacement } from '../../../shared/face-filters'
import type { FaceResult } from '../../../shared/vision'

/** The artwork as a data: URL (the CSP allows data: images; nothing is fetched). */
export function artworkUrl(filter: FaceFilter): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(artworkSvg(filter))}`
}

/** Placements moved from analysis-frame pixels to layer pixels (same aspect ratio, so one scale). */
export function scalePlacements(placements: readonly FilterPlacement[], scale: number): FilterPlacement[] {
  return placements.map((p) => ({ ...p, cx: p.cx * scale, cy: p.cy * scale, width: p.width * scale, height: p.height * scale }))
}

export function drawPlacements(context: CanvasRenderingContext2D, placements: readonly FilterPlacement[], artwork: CanvasImageSource): void {
  for (const p of placements) {
    context.save()
    context.translate(p.cx, p.cy)
    context.rotate(p.angle)
    context.drawImage(artwork, -p.width / 2, -p.height / 2, p.width, p.height)
    context.restore()
  }
}

export interface FilterLayer {
  /**
   * Paints `filter` on the faces of a result (analysis-frame coordinates) into a layer of `size`;
   * null when the filter is off or its artwork is still loading (nothing to draw yet).
   */
  paint(filter: 'none' | FaceFilter, result: { width: number; faces: readonly FaceResult[] }, size: { width: number; height: number }): HTMLCanvasElement | null
  /** The last painted layer, or null. */
  current(): HTMLCanvasElement | null
}

export function createFilterLayer(createCanvas = () => document.createElement('canvas'), createImage = () => new Image()): FilterLayer {
  const images = new Map<FaceFilter, HTMLImageElement>()
  for (const filter of FACE_FILTERS) {
    const image = createImage()
    image.src = artworkUrl(filter)
    images.set(filter, image)
  }
  const canvas = createCanvas()
  let shown: HTMLCanvasElement | null = null
  return {
    paint(filter, result, size) {
      const image = filter === 'none' ? undefined : images.get(filter)
      if (!image || !image.complete || image.naturalWidth === 0 || result.width === 0) return (shown = null)
      if (canvas.width !== size.width) canvas.width = size.width
      if (canvas.height !== size.height) canvas.height = size.height
      const context = canvas.getContext('2d')
      if (!context) return (shown = null)
      context.clearRect(0, 0, size.width, size.height)
      drawPlacements(context, scalePlacements(placeFilterOnFaces(filter as FaceFilter, result.faces), size.width / result.width), image)
      return (shown = canvas)
    },
    current: () => shown
  }
}
