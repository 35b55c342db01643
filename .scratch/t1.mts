import sharp from 'sharp'
import { FacePipeline } from '/work/wt-vcamApp/src/engine'
import { DEFAULT_VISION_OPTIONS } from '/work/wt-vcamApp/src/shared/vision'
const f = '/work/wt-vcamApp/node_modules/@vladmandic/face-api/demo/sample3.jpg'
const { data, info } = await sharp(f).extract({left:316,top:230,width:720,height:540}).resize(384,288).ensureAlpha().raw().toBuffer({resolveWithObject:true})
const img = { width: info.width, height: info.height, data: new Uint8Array(data) }
const p = await FacePipeline.create('/work/wt-vcamApp/resources/models', DEFAULT_VISION_OPTIONS)
const acc: Record<string, number[]> = {}
for (let i = 0; i < 60; i++) {
  const r = await p.detect(img, { personMask: true, expression: true }, 100 + i * 33)
  if (i < 5) continue
  for (const [k, v] of Object.entries(r.timings)) (acc[k] ??= []).push(v)
}
for (const [k, v] of Object.entries(acc)) { v.sort((a,b)=>a-b); console.log(k, v[v.length>>1].toFixed(2)) }
const c = process.cpuUsage(); console.log(c)
await p.close()
