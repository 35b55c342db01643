/**
 * WebGL2 compositor for the live view: draws a camera frame and blurs its background
 * using an alpha mask (1 = keep sharp). The blur only gathers background pixels:
 *
 *   bg = blur(frame * w) / blur(w),  w = 1 - (slightly dilated mask)
 *
 * so the person's colours never bleed into the blurred background (no halo). The blur is a
 * separable Gaussian in two passes at a quarter of the output size, then one composite pass. Mask smoothing and
 * feathering happen on the CPU in lib/mask.ts (pure, tested); this file only moves pixels.
 *
 * Frames live in numbered slots so the caller can keep the frame an engine result belongs
 * to and show it with that result's mask (aligned), while the next frame is analysed.
 */
import { blurBufferSize, bufferBlurSigma, gaussianWeights, linearSampledTaps, quantizeStrength } from './blur-math'

/** What a frame can be uploaded from (both compositors draw these). */
export type FrameSource = HTMLVideoElement | HTMLCanvasElement | ImageBitmap

export interface BlurCompositor {
  readonly canvas: HTMLCanvasElement
  /** Uploads a frame into slot `slot` (0 or 1) and sizes the output to it. */
  uploadFrame(slot: number, source: FrameSource, width: number, height: number): void
  /** Uploads the mask (0..1 floats, row-major, top row first); null = no mask (nothing is blurred). */
  setMask(mask: Float32Array | null, width: number, height: number): void
  /**
   * Draws slot `slot`; strength 0..1; blur false draws the plain frame. The blurred background
   * is recomputed from this slot only when `refreshBackground` is set (or the strength changed):
   * between engine results the live person can be composited over the last blurred background.
   */
  render(slot: number, options: RenderOptions): void
  /**
   * Draws `source` as it is now, with no slot kept for it (the live display): uploadFrame into
   * slot `slot` then render it, or cheaper where the compositor can draw the source directly.
   */
  renderFrame(slot: number, source: FrameSource, width: number, height: number, options: RenderOptions): void
  /**
   * Where the compositor can (the 2D canvas one, whose blur runs on the CPU): makes the blurred
   * background for the current mask from `source` now, outside the next draw, so the animation
   * frame that draws the view does not also carry the blur. The next live render that would
   * refresh it for this mask uses this one instead; nothing is done when a render already made it.
   */
  prepareBackground?(source: FrameSource, width: number, height: number, strength: number): void
  /**
   * A transparent layer (face filters) drawn over every rendered frame, stretched to the output;
   * null = none. Call again after repainting the source: its pixels are taken at this call.
   */
  setOverlay(source: FrameSource | null): void
  close(): void
}

export interface RenderOptions {
  blur: boolean
  strength: number
  refreshBackground: boolean
}

const VERTEX_SHADER = `#version 300 es
in vec2 a_position;
out vec2 v_uv;
void main() {
  v_uv = a_position * 0.5 + 0.5;
  gl_Position = vec4(a_position, 0.0, 1.0);
}`

/**
 * One separable Gaussian pass with its taps baked in as constants (generated per strength):
 * software WebGL runs constant, unrolled taps much faster than uniform-indexed weights.
 * The horizontal pass reads the full-size frame and mask directly and gathers background
 * only: each tap is (rgb * w, w) with w = 1 - (slightly dilated person mask). Folding that
 * weighting into the first pass saves a render pass (each pass is a GPU sync point).
 */
function blurShaderSource(sigma: number, fromFrame: boolean): string {
  const taps = linearSampledTaps(gaussianWeights(sigma))
  const fetch = (uv: string): string => (fromFrame ? `background(${uv})` : `texture(u_source, ${uv})`)
  const lines = taps.offsets.map((offset, i) => {
    const o = offset.toFixed(6)
    return `  sum += (${fetch(`v_uv + u_step * ${o}`)} + ${fetch(`v_uv - u_step * ${o}`)}) * ${taps.weights[i].toFixed(8)};`
  })
  return `#version 300 es
precision highp float;
in vec2 v_uv;
uniform sampler2D u_source;
uniform sampler2D u_mask;
uniform vec2 u_step;
out vec4 outColor;
vec4 background(vec2 uv) {
  float w = 1.0 - smoothstep(0.05, 0.35, texture(u_mask, uv).r);
  return vec4(texture(u_source, uv).rgb * w, w);
}
void main() {
  vec4 sum = ${fetch('v_uv')} * ${taps.centre.toFixed(8)};
${lines.join('\n')}
  outColor = sum;
}`
}

const COMPOSITE_SHADER = `#version 300 es
precision highp float;
in vec2 v_uv;
uniform sampler2D u_frame;
uniform sampler2D u_mask;
uniform sampler2D u_blurred;
uniform sampler2D u_overlay;
uniform bool u_blur;
uniform bool u_hasOverlay;
out vec4 outColor;
vec3 withOverlay(vec3 color) {
  if (!u_hasOverlay) return color;
  vec4 top = texture(u_overlay, v_uv);
  return mix(color, top.rgb, top.a);
}
void main() {
  vec3 frame = texture(u_frame, v_uv).rgb;
  if (!u_blur) { outColor = vec4(withOverlay(frame), 1.0); return; }
  float person = smoothstep(0.25, 0.75, texture(u_mask, v_uv).r);
  vec4 gathered = texture(u_blurred, v_uv);
  // Where no background pixel is near (deep inside the person) the frame itself is shown anyway.
  vec3 background = gathered.a > 0.002 ? gathered.rgb / gathered.a : frame;
  outColor = vec4(withOverlay(mix(background, frame, person)), 1.0);
}`

interface Program {
  program: WebGLProgram
  uniforms: Map<string, WebGLUniformLocation | null>
}

interface RenderTarget {
  texture: WebGLTexture
  framebuffer: WebGLFramebuffer
  width: number
  height: number
}

function compile(gl: WebGL2RenderingContext, fragment: string): Program {
  const program = gl.createProgram()
  for (const [type, source] of [
    [gl.VERTEX_SHADER, VERTEX_SHADER],
    [gl.FRAGMENT_SHADER, fragment]
  ] as const) {
    const shader = gl.createShader(type)
    if (!shader) throw new Error('WebGL: cannot create shader')
    gl.shaderSource(shader, source)
    gl.compileShader(shader)
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) {
      throw new Error(`WebGL shader: ${gl.getShaderInfoLog(shader) ?? 'compile failed'}`)
    }
    gl.attachShader(program, shader)
  }
  gl.bindAttribLocation(program, 0, 'a_position')
  gl.linkProgram(program)
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
    throw new Error(`WebGL program: ${gl.getProgramInfoLog(program) ?? 'link failed'}`)
  }
  return { program, uniforms: new Map() }
}

function uniform(gl: WebGL2RenderingContext, program: Program, name: string): WebGLUniformLocation | null {
  if (!program.uniforms.has(name)) program.uniforms.set(name, gl.getUniformLocation(program.program, name))
  return program.uniforms.get(name) ?? null
}

function createTexture(gl: WebGL2RenderingContext): WebGLTexture {
  const texture = gl.createTexture()
  gl.bindTexture(gl.TEXTURE_2D, texture)
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR)
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR)
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE)
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE)
  return texture
}

/** Creates the compositor, or throws a plain Error when WebGL2 is unavailable. */
export function createBlurCompositor(canvas: HTMLCanvasElement): BlurCompositor {
  // preserveDrawingBuffer: the shown frame can be captured (toBlob) and inspected by tests.
  const gl = canvas.getContext('webgl2', { preserveDrawingBuffer: true, alpha: false, antialias: false })
  if (!gl) throw new Error('WebGL2 is not available, so background blur is off.')
  // Float targets keep precision when the blurred background is divided by its weight.
  const floatTargets = gl.getExtension('EXT_color_buffer_float') !== null

  const composite = compile(gl, COMPOSITE_SHADER)
  const blurPrograms = new Map<string, Program>()
  /** One program per (sigma, pass): the strength is quantized and frames keep their size, so few are made. */
  function blurProgram(strength: number, fromFrame: boolean): Program {
    const sigma = Math.round(bufferBlurSigma(quantizeStrength(strength), width, height, targets![0].width) * 100) / 100
    const key = `${sigma}:${fromFrame}`
    let program = blurPrograms.get(key)
    if (!program) {
      program = compile(gl!, blurShaderSource(sigma, fromFrame))
      blurPrograms.set(key, program)
    }
    return program
  }

  const quad = gl.createBuffer()
  gl.bindBuffer(gl.ARRAY_BUFFER, quad)
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 3, -1, -1, 3]), gl.STATIC_DRAW)
  gl.enableVertexAttribArray(0)
  gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0)

  // Row 0 of every upload is the top of the image; flip so texture v=0 is the bottom like GL.
  gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, true)
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1)

  const frames = [createTexture(gl), createTexture(gl)]
  const mask = createTexture(gl)
  const overlay = createTexture(gl)
  let hasOverlay = false
  let hasMask = false
  let maskBytes = new Uint8Array(0)
  let width = 0
  let height = 0
  let targets: [RenderTarget, RenderTarget] | null = null
  /** The last blurred background and the strength it was made with (null = none yet). */
  let blurred: RenderTarget | null = null
  let blurredFor: number | null = null

  function createTarget(targetWidth: number, targetHeight: number): RenderTarget {
    const texture = createTexture(gl!)
    if (floatTargets) gl!.texImage2D(gl!.TEXTURE_2D, 0, gl!.RGBA16F, targetWidth, targetHeight, 0, gl!.RGBA, gl!.HALF_FLOAT, null)
    else gl!.texImage2D(gl!.TEXTURE_2D, 0, gl!.RGBA, targetWidth, targetHeight, 0, gl!.RGBA, gl!.UNSIGNED_BYTE, null)
    const framebuffer = gl!.createFramebuffer()
    gl!.bindFramebuffer(gl!.FRAMEBUFFER, framebuffer)
    gl!.framebufferTexture2D(gl!.FRAMEBUFFER, gl!.COLOR_ATTACHMENT0, gl!.TEXTURE_2D, texture, 0)
    gl!.bindFramebuffer(gl!.FRAMEBUFFER, null)
    return { texture, framebuffer, width: targetWidth, height: targetHeight }
  }

  function deleteTargets(): void {
    blurred = null
    blurredFor = null
    for (const target of targets ?? []) {
      gl!.deleteTexture(target.texture)
      gl!.deleteFramebuffer(target.framebuffer)
    }
    targets = null
  }

  function resize(frameWidth: number, frameHeight: number): void {
    if (frameWidth === width && frameHeight === height) return
    width = frameWidth
    height = frameHeight
    canvas.width = width
    canvas.height = height
    deleteTargets()
    const reduced = blurBufferSize(width, height)
    targets = [createTarget(reduced.width, reduced.height), createTarget(reduced.width, reduced.height)]
  }

  function bindTexture(unit: number, texture: WebGLTexture, program: Program, name: string): void {
    gl!.activeTexture(gl!.TEXTURE0 + unit)
    gl!.bindTexture(gl!.TEXTURE_2D, texture)
    gl!.uniform1i(uniform(gl!, program, name), unit)
  }

  function drawInto(target: RenderTarget | null): void {
    gl!.bindFramebuffer(gl!.FRAMEBUFFER, target ? target.framebuffer : null)
    gl!.viewport(0, 0, target ? target.width : width, target ? target.height : height)
    gl!.drawArrays(gl!.TRIANGLES, 0, 3)
  }

  function blurBackground(slot: number, strength: number): RenderTarget {
    const [first, second] = targets!
    const horizontal = blurProgram(strength, true)
    gl!.useProgram(horizontal.program)
    bindTexture(0, frames[slot], horizontal, 'u_source')
    bindTexture(1, mask, horizontal, 'u_mask')
    gl!.uniform2f(uniform(gl!, horizontal, 'u_step'), 1 / first.width, 0)
    drawInto(first)

    const vertical = blurProgram(strength, false)
    gl!.useProgram(vertical.program)
    bindTexture(0, first.texture, vertical, 'u_source')
    gl!.uniform2f(uniform(gl!, vertical, 'u_step'), 0, 1 / first.height)
    drawInto(second)
    return second
  }

  function uploadFrame(slot: number, source: FrameSource, frameWidth: number, frameHeight: number): void {
    resize(frameWidth, frameHeight)
    gl!.bindTexture(gl!.TEXTURE_2D, frames[slot])
    gl!.texImage2D(gl!.TEXTURE_2D, 0, gl!.RGBA, gl!.RGBA, gl!.UNSIGNED_BYTE, source)
  }

  function render(slot: number, options: RenderOptions): void {
    if (width === 0 || !targets) return
    const blurOn = options.blur && hasMask && options.strength > 0
    if (blurOn && (options.refreshBackground || blurredFor !== options.strength)) {
      blurred = blurBackground(slot, options.strength)
      blurredFor = options.strength
    }
    gl!.useProgram(composite.program)
    bindTexture(0, frames[slot], composite, 'u_frame')
    bindTexture(1, mask, composite, 'u_mask')
    bindTexture(2, blurOn && blurred ? blurred.texture : frames[slot], composite, 'u_blurred')
    gl!.uniform1i(uniform(gl!, composite, 'u_blur'), blurOn ? 1 : 0)
    bindTexture(3, overlay, composite, 'u_overlay')
    gl!.uniform1i(uniform(gl!, composite, 'u_hasOverlay'), hasOverlay ? 1 : 0)
    drawInto(null)
  }

  return {
    canvas,
    uploadFrame,
    setMask(values, maskWidth, maskHeight) {
      hasMask = values !== null
      if (!values) return
      if (maskBytes.length !== values.length) maskBytes = new Uint8Array(values.length)
      for (let i = 0; i < values.length; i++) maskBytes[i] = Math.round(Math.min(1, Math.max(0, values[i])) * 255)
      gl.bindTexture(gl.TEXTURE_2D, mask)
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.R8, maskWidth, maskHeight, 0, gl.RED, gl.UNSIGNED_BYTE, maskBytes)
    },
    render,
    renderFrame(slot, source, frameWidth, frameHeight, options) {
      uploadFrame(slot, source, frameWidth, frameHeight)
      render(slot, options)
    },
    setOverlay(source) {
      hasOverlay = source !== null
      if (!source) return
      gl.bindTexture(gl.TEXTURE_2D, overlay)
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, source)
    },
    close() {
      deleteTargets()
      for (const texture of [...frames, mask, overlay]) gl.deleteTexture(texture)
      gl.deleteBuffer(quad)
      for (const each of [composite, ...blurPrograms.values()]) gl.deleteProgram(each.program)
      // Free the context now rather than at garbage collection (browsers cap live contexts).
      gl.getExtension('WEBGL_lose_context')?.loseContext()
    }
  }
}
