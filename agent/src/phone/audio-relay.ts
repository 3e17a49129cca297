import {
  type AudioFrame,
  AudioResampler,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  type Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';

export const RELAY_RATE = 48_000;

/** A track the agent publishes in a room and writes audio into (speech, or relayed audio). */
export class OutgoingAudio {
  readonly source = new AudioSource(RELAY_RATE, 1);
  #sid?: string;

  private constructor(private readonly room: Room) {}

  static async publish(room: Room, name: string): Promise<OutgoingAudio> {
    const out = new OutgoingAudio(room);
    const track = LocalAudioTrack.createAudioTrack(name, out.source);
    const publication = await room.localParticipant?.publishTrack(
      track,
      new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
    );
    out.#sid = publication?.sid;
    return out;
  }

  /** Plays frames (of any rate) and resolves once they have been played out. */
  async play(frames: AsyncIterable<{ frame: AudioFrame }>) {
    let resampler: AudioResampler | undefined;
    for await (const { frame } of frames) {
      if (frame.sampleRate !== RELAY_RATE && !resampler) {
        resampler = new AudioResampler(frame.sampleRate, RELAY_RATE, 1);
      }
      const out = resampler ? resampler.push(frame) : [frame];
      for (const f of out) await this.source.captureFrame(f);
    }
    for (const f of resampler?.flush() ?? []) await this.source.captureFrame(f);
    resampler?.close();
    await this.source.waitForPlayout();
  }

  async close(): Promise<void> {
    if (this.#sid)
      await this.room.localParticipant?.unpublishTrack(this.#sid).catch(() => undefined);
    await this.source.close();
  }
}

/**
 * Copies `identity`'s microphone in `from` into `to`, as long as both last: the agent carries a
 * human's voice to the caller and back when LiveKit cannot move the human into the call's room
 * (self-hosted livekit-server does not implement MoveParticipant). Returns a function that
 * stops copying.
 */
export async function relayMicrophone(
  from: Room,
  identity: string,
  to: Room,
  trackName: string,
): Promise<() => Promise<void>> {
  const out = await OutgoingAudio.publish(to, trackName);
  const stop = new AbortController();
  const pipe = async (track: RemoteTrack) => {
    const reader = new AudioStream(track, { sampleRate: RELAY_RATE, numChannels: 1 }).getReader();
    stop.signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined));
    while (!stop.signal.aborted) {
      const { done, value } = await reader.read();
      if (done) return;
      await out.source.captureFrame(value);
    }
  };
  const onSubscribed = (
    track: RemoteTrack,
    publication: RemoteTrackPublication,
    participant: RemoteParticipant,
  ) => {
    if (participant.identity === identity && publication.source === TrackSource.SOURCE_MICROPHONE) {
      void pipe(track).catch(() => undefined);
    }
  };
  from.on(RoomEvent.TrackSubscribed, onSubscribed);
  const current = [
    ...(from.remoteParticipants.get(identity)?.trackPublications.values() ?? []),
  ].find((p) => p.track && p.source === TrackSource.SOURCE_MICROPHONE)?.track;
  if (current) void pipe(current).catch(() => undefined);
  return async () => {
    from.off(RoomEvent.TrackSubscribed, onSubscribed);
    stop.abort();
    await out.close();
  };
}
