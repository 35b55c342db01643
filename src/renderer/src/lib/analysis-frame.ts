/**
 * Reads a downscaled RGBA copy of a camera frame for the engine, through one reusable 2D canvas
 * (re-made only when the analysis size changes).
 */
export interface AnalysisFrameReader {
  /** RGBA bytes, width * height * 4 long; null when no 2D context is available. */
  read(source: CanvasImageSource, width: number, height: number): Uint8Array | null
  /** The canvas holding the frame last read (null before the first read): a sharp copy of it, already decoded. */
  lastFrame(): HTMLCanvasElement | null
}

export function createAnalysisFrameReader(
  createCanvas: () => HTMLCanvasElement = () => document.createElement('canvas')
): AnalysisFrameReader {
  let context: CanvasRenderingContext2D | null = null
  return {
    read(source, width, height) {
      if (!context || context.canvas.width !== width || context.canvas.height !== height) {
        const canvas = createCanvas()
        canvas.width = width
        canvas.height = height
        context = canvas.getContext('2d', { willReadFrequently: true })
        if (!context) return null
      }
      context.drawImage(source, 0, 0, width, height)
      const pixels = context.getImageData(0, 0, width, height)
      return new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength)
    },
    lastFrame() {
      return context?.canvas ?? null
    }
  }
}
