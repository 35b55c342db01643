/**
 * The little of the DOM that functions run inside the page (page.evaluate) use. The Node
 * tsconfig has no DOM library (adding it would change types for all Node code), so in-page
 * functions reach the page's globals through `globalThis as unknown as PageGlobals`.
 */
export interface PageElement {
  getAttribute(name: string): string | null
}

export interface PageVideo extends PageElement {
  currentTime: number
  videoWidth: number
  videoHeight: number
}

export interface Page2dContext {
  drawImage(source: unknown, x: number, y: number, width: number, height: number): void
  getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray }
}

export interface PageCanvas extends PageElement {
  width: number
  height: number
  getContext(kind: '2d'): Page2dContext | null
  toDataURL(type: 'image/png'): string
}

export interface PageDocument {
  querySelector(selector: string): unknown
  createElement(tag: 'canvas'): PageCanvas
}

export interface PageGlobals {
  document: PageDocument
  performance: { now(): number }
}
