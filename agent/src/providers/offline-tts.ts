import { log } from '@livekit/agents';
import { FESTIVAL_VOICES, FestivalTTS, isFestivalVoice } from './festival-tts.js';
import { FLITE_VOICES, FliteTTS, isFliteVoice } from './flite-tts.js';
import type { SentenceTTS } from './sentence-tts.js';

/**
 * The offline voices a persona's `voice` can name, as `engine:voice`. A bare Flite voice name
 * (`slt`, `awb`, …) still selects that Flite voice, as it did before Festival was added.
 */
export const OFFLINE_VOICES = [
  ...Object.keys(FESTIVAL_VOICES).map((v) => `festival:${v}`),
  ...Object.keys(FLITE_VOICES).map((v) => `flite:${v}`),
];

/**
 * What `default` speaks with: of the voices with first audio within 100 ms, the one the
 * recogniser understands best (docs/performance.md, "Offline voices (#15 item 5)").
 */
export const DEFAULT_OFFLINE_VOICE = 'flite:rms';

export interface OfflineTTSPaths {
  fliteBin: string;
  festivalBin: string;
}

const paths: OfflineTTSPaths = { fliteBin: 'flite', festivalBin: 'festival' };

export function isOfflineVoice(voice: string): boolean {
  return OFFLINE_VOICES.includes(voice) || isFliteVoice(voice);
}

/** Names already warned about, so that a persona's voice is reported once, not on every call. */
const warned = new Set<string>();

/**
 * The offline TTS for a persona's `voice`. `default`, or a voice that is not an offline one (a
 * persona may name a cloud voice, which this engine stands in for when the cloud fails), speaks
 * with DEFAULT_OFFLINE_VOICE; an unknown name is logged as a warning once per process.
 */
export function createOfflineTTS(voice: string, opts: Partial<OfflineTTSPaths> = {}): SentenceTTS {
  const { fliteBin, festivalBin } = { ...paths, ...opts };
  let name = voice;
  if (!isOfflineVoice(voice)) {
    if (voice !== 'default' && !warned.has(voice)) {
      warned.add(voice);
      log().warn(
        { voice, using: DEFAULT_OFFLINE_VOICE, offlineVoices: OFFLINE_VOICES },
        'the persona voice is not an offline voice; the offline TTS speaks with its default',
      );
    }
    name = DEFAULT_OFFLINE_VOICE;
  }
  const colon = name.indexOf(':');
  const engine = colon < 0 ? 'flite' : name.slice(0, colon);
  const id = name.slice(colon + 1);
  if (engine === 'festival' && isFestivalVoice(id)) {
    const tts = new FestivalTTS({ binPath: festivalBin, voice: id });
    tts.prewarm();
    return tts;
  }
  if (engine === 'flite' && isFliteVoice(id)) return new FliteTTS({ binPath: fliteBin, voice: id });
  throw new RangeError(`no offline engine for voice '${name}'`); // OFFLINE_VOICES lists only these
}
