/**
 * Tells narrowband (telephone, 8 kHz) audio from wideband audio by the audio itself. LiveKit
 * always hands the agent 48 kHz Opus, whatever codec the caller's leg used: a PCMU (G.711)
 * call was sampled at 8 kHz and has next to no energy above 4 kHz, while G.722 (16 kHz) and
 * browser speech have plenty — fricatives alone put a good share of speech energy there.
 */

export interface BandEnergyOptions {
  /** Rate of the samples pushed (at least 16 kHz, so the band above 4 kHz exists). */
  sampleRate: number;
  /** Lower edge of the band that narrowband audio lacks. */
  highBandHz: number;
  /** Upper edge of what is measured (below the 8 kHz Nyquist of 16 kHz audio). */
  topHz: number;
  /** Frames quieter than this (dBFS) are not speech and are not measured. */
  speechDbfs: number;
  /** How much speech to measure before deciding (a short question is enough: the gap is wide). */
  speechMs: number;
  /**
   * Audio whose band above `highBandHz` holds less than this share of its energy (dB) is
   * narrowband. Measured on Flite speech through μ-law at 8 kHz, the bridge's 48 kHz and Opus
   * (VoIP mode, as livekit-sip encodes): about -64 dB; the same speech at 16 kHz: -39 dB for a
   * short vowel-heavy question, -30 dB over longer speech. The threshold sits between.
   */
  thresholdDb: number;
}

export const DEFAULT_BAND_ENERGY: BandEnergyOptions = {
  sampleRate: 16_000,
  highBandHz: 4_300,
  topHz: 7_600,
  speechDbfs: -45,
  speechMs: 750,
  thresholdDb: -50,
};

export interface BandVerdict {
  narrowband: boolean;
  /** Share of the measured energy above `highBandHz`, in dB. */
  highBandDb: number;
  /** Speech measured, in milliseconds. */
  speechMs: number;
}

const FRAME = 512;

/**
 * Measures the energy above 4 kHz in the speech of a stream of 16-bit mono samples, frame by
 * frame (512-sample Hann-windowed FFTs), and gives a verdict once `speechMs` of speech has
 * been measured.
 */
export class BandEnergyMeter {
  readonly #opts: BandEnergyOptions;
  readonly #window = new Float64Array(FRAME);
  readonly #pending = new Float64Array(FRAME);
  #filled = 0;
  #speechFrames = 0;
  #high = 0;
  #total = 0;
  #verdict?: BandVerdict;

  constructor(options: Partial<BandEnergyOptions> = {}) {
    this.#opts = { ...DEFAULT_BAND_ENERGY, ...options };
    if (this.#opts.sampleRate < 16_000) throw new RangeError('the meter needs 16 kHz or more');
    for (let i = 0; i < FRAME; i++)
      this.#window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME);
  }

  /** The verdict, once enough speech has been measured. */
  get verdict(): BandVerdict | undefined {
    return this.#verdict;
  }

  /** Feeds samples; answers the verdict once there is one. */
  push(samples: Int16Array): BandVerdict | undefined {
    for (let i = 0; i < samples.length && !this.#verdict; i++) {
      this.#pending[this.#filled++] = (samples[i] as number) / 32768;
      if (this.#filled === FRAME) {
        this.#measure();
        this.#filled = 0;
      }
    }
    return this.#verdict;
  }

  #measure(): void {
    const { sampleRate, highBandHz, topHz, speechDbfs, speechMs, thresholdDb } = this.#opts;
    let power = 0;
    for (let i = 0; i < FRAME; i++) power += (this.#pending[i] as number) ** 2;
    if (10 * Math.log10(power / FRAME + 1e-20) < speechDbfs) return;
    const re = new Float64Array(FRAME);
    const im = new Float64Array(FRAME);
    for (let i = 0; i < FRAME; i++)
      re[i] = (this.#pending[i] as number) * (this.#window[i] as number);
    fft(re, im);
    const hzPerBin = sampleRate / FRAME;
    const lowBin = Math.ceil(100 / hzPerBin);
    const highBin = Math.ceil(highBandHz / hzPerBin);
    const topBin = Math.min(Math.floor(topHz / hzPerBin), FRAME / 2);
    for (let k = lowBin; k <= topBin; k++) {
      const p = (re[k] as number) ** 2 + (im[k] as number) ** 2;
      this.#total += p;
      if (k >= highBin) this.#high += p;
    }
    this.#speechFrames++;
    const measuredMs = (this.#speechFrames * FRAME * 1000) / sampleRate;
    if (measuredMs >= speechMs) {
      const highBandDb = 10 * Math.log10(this.#high / this.#total + 1e-20);
      this.#verdict = {
        narrowband: highBandDb < thresholdDb,
        highBandDb: Math.round(highBandDb * 10) / 10,
        speechMs: Math.round(measuredMs),
      };
    }
  }
}

/** In-place iterative radix-2 FFT (length a power of two). */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = (-2 * Math.PI) / size;
    const wRe = Math.cos(angle);
    const wIm = Math.sin(angle);
    for (let start = 0; start < n; start += size) {
      let curRe = 1;
      let curIm = 0;
      for (let k = 0; k < size / 2; k++) {
        const a = start + k;
        const b = a + size / 2;
        const tRe = (re[b] as number) * curRe - (im[b] as number) * curIm;
        const tIm = (re[b] as number) * curIm + (im[b] as number) * curRe;
        re[b] = (re[a] as number) - tRe;
        im[b] = (im[a] as number) - tIm;
        re[a] = (re[a] as number) + tRe;
        im[a] = (im[a] as number) + tIm;
        const next = curRe * wRe - curIm * wIm;
        curIm = curRe * wIm + curIm * wRe;
        curRe = next;
      }
    }
  }
}
