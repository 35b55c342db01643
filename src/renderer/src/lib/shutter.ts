/** A camera-shutter click synthesised with WebAudio (filtered noise bursts), no audio asset. */

export interface Shutter {
  play(): void
  close(): void
}

export function createShutter(): Shutter {
  let audio: AudioContext | null = null

  function burst(context: AudioContext, start: number, duration: number, frequency: number, gain: number): void {
    const samples = Math.ceil(context.sampleRate * duration)
    const buffer = context.createBuffer(1, samples, context.sampleRate)
    const channel = buffer.getChannelData(0)
    for (let i = 0; i < samples; i++) channel[i] = (Math.random() * 2 - 1) * (1 - i / samples) ** 3
    const source = context.createBufferSource()
    source.buffer = buffer
    const filter = context.createBiquadFilter()
    filter.type = 'bandpass'
    filter.frequency.value = frequency
    filter.Q.value = 0.8
    const volume = context.createGain()
    volume.gain.value = gain
    source.connect(filter).connect(volume).connect(context.destination)
    source.start(start)
  }

  return {
    play() {
      try {
        audio ??= new AudioContext()
        void audio.resume()
        const now = audio.currentTime
        // Two clicks: the shutter opening and closing.
        burst(audio, now, 0.045, 3200, 0.9)
        burst(audio, now + 0.07, 0.06, 1800, 0.7)
      } catch {
        // No audio device: the flash still shows the capture.
      }
    },
    close() {
      void audio?.close()
      audio = null
    }
  }
}
