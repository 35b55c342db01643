/**
 * SSD anchor generation as MediaPipe's SsdAnchorsCalculator does it (the
 * options below are the calculator's proto fields). BlazeFace uses fixed-size
 * anchors, so only the centres matter; widths/heights are 1 then.
 */
export interface SsdAnchorOptions {
  inputWidth: number
  inputHeight: number
  minScale: number
  maxScale: number
  anchorOffsetX: number
  anchorOffsetY: number
  /** One stride per layer; consecutive layers with the same stride share one feature map. */
  strides: readonly number[]
  aspectRatios: readonly number[]
  /** Adds one anchor per location with this aspect ratio and scale sqrt(scale * nextScale); 0 disables it. */
  interpolatedScaleAspectRatio: number
  fixedAnchorSize: boolean
}

/** Anchor centre and size, normalised to the model input (0..1). */
export interface Anchor {
  x: number
  y: number
  width: number
  height: number
}

function layerScale(minScale: number, maxScale: number, layer: number, layerCount: number): number {
  return layerCount === 1 ? (minScale + maxScale) / 2 : minScale + ((maxScale - minScale) * layer) / (layerCount - 1)
}

export function generateSsdAnchors(o: SsdAnchorOptions): Anchor[] {
  const anchors: Anchor[] = []
  const layerCount = o.strides.length
  let layer = 0
  while (layer < layerCount) {
    const widths: number[] = []
    const heights: number[] = []
    // Layers with the same stride are merged into one feature map with more anchors per cell.
    let last = layer
    while (last < layerCount && o.strides[last] === o.strides[layer]) {
      const scale = layerScale(o.minScale, o.maxScale, last, layerCount)
      for (const ratio of o.aspectRatios) {
        widths.push(scale * Math.sqrt(ratio))
        heights.push(scale / Math.sqrt(ratio))
      }
      if (o.interpolatedScaleAspectRatio > 0) {
        const next = last === layerCount - 1 ? 1 : layerScale(o.minScale, o.maxScale, last + 1, layerCount)
        const interpolated = Math.sqrt(scale * next)
        const ratio = o.interpolatedScaleAspectRatio
        widths.push(interpolated * Math.sqrt(ratio))
        heights.push(interpolated / Math.sqrt(ratio))
      }
      last++
    }
    const stride = o.strides[layer]
    const rows = Math.ceil(o.inputHeight / stride)
    const cols = Math.ceil(o.inputWidth / stride)
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        for (let k = 0; k < widths.length; k++) {
          anchors.push({
            x: (x + o.anchorOffsetX) / cols,
            y: (y + o.anchorOffsetY) / rows,
            width: o.fixedAnchorSize ? 1 : widths[k],
            height: o.fixedAnchorSize ? 1 : heights[k]
          })
        }
      }
    }
    layer = last
  }
  return anchors
}
