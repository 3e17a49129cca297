import {
  AudioStream,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  type Room,
  RoomEvent,
  TrackSource,
} from '@livekit/rtc-node';
import { BandEnergyMeter, type BandVerdict } from './band-energy.js';

/** Longest the watch listens for enough of the caller's speech before it gives up. */
const GIVE_UP_MS = 120_000;

/**
 * Measures the first seconds of `identity`'s speech (see {@link BandEnergyMeter}) on a tap of
 * their microphone track, separate from the session's own input, and calls `onVerdict` once.
 * Returns a function that stops listening.
 */
export function watchCallerBandwidth(
  room: Room,
  identity: string,
  onVerdict: (verdict: BandVerdict) => void,
): () => void {
  const stop = new AbortController();
  const giveUp = setTimeout(() => stop.abort(), GIVE_UP_MS);
  const measure = async (track: RemoteTrack) => {
    room.off(RoomEvent.TrackSubscribed, onSubscribed);
    const meter = new BandEnergyMeter();
    const reader = new AudioStream(track, { sampleRate: 16_000, numChannels: 1 }).getReader();
    stop.signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined));
    try {
      while (!stop.signal.aborted) {
        const { done, value } = await reader.read();
        if (done) return;
        const verdict = meter.push(value.data);
        if (verdict) {
          onVerdict(verdict);
          return;
        }
      }
    } finally {
      clearTimeout(giveUp);
      await reader.cancel().catch(() => undefined);
    }
  };
  const onSubscribed = (
    track: RemoteTrack,
    publication: RemoteTrackPublication,
    participant: RemoteParticipant,
  ) => {
    if (participant.identity === identity && publication.source === TrackSource.SOURCE_MICROPHONE) {
      void measure(track).catch(() => undefined);
    }
  };
  const subscribed = [
    ...(room.remoteParticipants.get(identity)?.trackPublications.values() ?? []),
  ].find((p) => p.track && p.source === TrackSource.SOURCE_MICROPHONE)?.track;
  if (subscribed) void measure(subscribed).catch(() => undefined);
  else room.on(RoomEvent.TrackSubscribed, onSubscribed);
  return () => {
    clearTimeout(giveUp);
    room.off(RoomEvent.TrackSubscribed, onSubscribed);
    stop.abort();
  };
}
