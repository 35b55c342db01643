/**
 * Replacement backgrounds: a plain colour, a picture the user picks, or one of a few built-in
 * ones that are generated here (gradients and soft light, our own code, no artwork files).
 * Pure RGBA output, so the app can put it in an ImageData and the headless camera in YUV.
 */

export type Rgb = readonly [r: number, g: number, b: number]

export interface BuiltInBackground {
  id: string
  label: string
  /** The background at this size, RGBA, opaque. */
  render(width: number, height: number): Uint8ClampedArray
}

/** '#rrggbb' (or '#rgb') -> [r, g, b]; null when it is not a hex colour. */
export function parseHexColour(text: string): Rgb | null {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(text)
  if (short) return [0, 1, 2].map((i) => parseInt(short[i + 1].repeat(2), 16)) as unknown as Rgb
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(text)
  if (!long) return null
  return [parseInt(long[1], 16), parseInt(long[2], 16), parseInt(long[3], 16)]
}

export function solidBackground(width: number, height: number, colour: Rgb): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4)
  for (let o = 0; o < out.length; o += 4) {
    out[o] = colour[0]
    out[o + 1] = colour[1]
    out[o + 2] = colour[2]
    out[o + 3] = 255
  }
  return out
}

function mix(a: Rgb, b: Rgb, t: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

/** A tiny deterministic hash in [-0.5, 0.5): dithering, so the smooth gradients do not band. */
function dither(x: number, y: number): number {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1)
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b)
  return ((h ^ (h >>> 13)) >>> 0) / 4294967296 - 0.5
}

/** Fills every pixel from `colourAt(u, v)` with u, v in 0..1 across the picture. */
function paint(width: number, height: number, colourAt: (u: number, v: number) => [number, number, number]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++) {
    const v = height > 1 ? y / (height - 1) : 0
    for (let x = 0; x < width; x++) {
      const [r, g, b] = colourAt(width > 1 ? x / (width - 1) : 0, v)
      const d = dither(x, y)
      const o = (y * width + x) * 4
      out[o] = r + d
      out[o + 1] = g + d
      out[o + 2] = b + d
      out[o + 3] = 255
    }
  }
  return out
}

const easeInOut = (t: number): number => t * t * (3 - 2 * t)

/** Soft light discs (out-of-focus lights), placed by a seeded generator so every render is the same. */
function bokeh(width: number, height: number): Uint8ClampedArray {
  let seed = 0x5eed
  const random = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
    return seed / 4294967296
  }
  const warm: Rgb[] = [
    [255, 196, 120],
    [255, 160, 110],
    [250, 220, 170]
  ]
  const lights = Array.from({ length: 14 }, () => ({
    u: random(),
    v: 0.15 + 0.7 * random(),
    radius: 0.04 + 0.08 * random(),
    strength: 0.25 + 0.35 * random(),
    colour: warm[Math.floor(random() * warm.length)]
  }))
  const aspect = width / Math.max(1, height)
  return paint(width, height, (u, v) => {
    let [r, g, b] = mix([18, 28, 38], [40, 34, 48], easeInOut(v))
    for (const light of lights) {
      const dx = (u - light.u) * aspect
      const dy = v - light.v
      const d = Math.sqrt(dx * dx + dy * dy) / light.radius
      if (d >= 1.3) continue
      // A flat disc with a soft rim, as an out-of-focus highlight looks.
      const glow = light.strength * (1 - easeInOut(Math.min(1, Math.max(0, (d - 0.8) / 0.5))))
      r += (light.colour[0] - r) * glow
      g += (light.colour[1] - g) * glow
      b += (light.colour[2] - b) * glow
    }
    return [r, g, b]
  })
}

export const BUILT_IN_BACKGROUNDS: readonly BuiltInBackground[] = [
  {
    id: 'dusk',
    label: 'Dusk',
    render: (width, height) => paint(width, height, (u, v) => mix([38, 42, 82], [233, 164, 128], easeInOut(Math.min(1, v * 0.85 + u * 0.15))))
  },
  {
    id: 'studio',
    label: 'Studio grey',
    render: (width, height) =>
      paint(width, height, (u, v) => {
        // A backdrop lit from the upper middle, falling off to the corners.
        const d = Math.min(1, Math.hypot((u - 0.5) * 1.2, (v - 0.35) * 1.1))
        return mix([168, 172, 176], [44, 47, 52], easeInOut(d))
      })
  },
  {
    id: 'sage',
    label: 'Sage',
    render: (width, height) => paint(width, height, (u, v) => mix([226, 234, 222], [122, 152, 128], easeInOut((u + v) / 2)))
  },
  { id: 'evening-lights', label: 'Evening lights', render: bokeh }
]

export function builtInBackground(id: string): BuiltInBackground | undefined {
  return BUILT_IN_BACKGROUNDS.find((background) => background.id === id)
}
