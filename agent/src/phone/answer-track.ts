import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  type LocalTrackPublication,
  type Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';

const SAMPLE_RATE = 48_000;
/** Longest the answer track waits for the session's own track before it goes anyway. */
const HAND_OVER_TIMEOUT_MS = 30_000;

export interface AnswerTrack {
  /** The published track's sid. */
  readonly sid: string;
  /**
   * Unpublishes the answer track once the session's own audio track is published (at once if it
   * already is), so the bridge mixes one agent track, not two. Resolves when it is gone.
   */
  handOver(room: Room): Promise<void>;
}

/**
 * Publishes a silent audio track. livekit-sip answers an inbound call (200 OK) only once another
 * participant of the room publishes audio; until then the caller hears ringing. Publishing this
 * right after joining, before the persona loads and the pipeline is built, answers the call at
 * once; the session's own track replaces it (`handOver`) when the greeting is ready.
 */
export async function publishAnswerTrack(room: Room): Promise<AnswerTrack> {
  const local = room.localParticipant;
  if (!local) throw new Error('publish the answer track after connecting to the room');
  const source = new AudioSource(SAMPLE_RATE, 1);
  const track = LocalAudioTrack.createAudioTrack('parley-answer', source);
  const publication = await local.publishTrack(
    track,
    new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
  );
  // A little silence, so the track carries media from the start.
  await source.captureFrame(AudioFrame.create(SAMPLE_RATE, 1, SAMPLE_RATE / 10));
  const sid = publication.sid ?? '';
  let retired: Promise<void> | undefined;
  const retire = async () => {
    await local.unpublishTrack(sid).catch(() => undefined);
    await source.close();
  };
  return {
    sid,
    handOver(joined: Room) {
      retired ??= new Promise<void>((resolve) => {
        const replaced = (candidate: LocalTrackPublication) =>
          candidate.sid !== sid && candidate.kind === TrackKind.KIND_AUDIO;
        const done = () => {
          clearTimeout(timer);
          joined.off(RoomEvent.LocalTrackPublished, onPublished);
          resolve(retire());
        };
        const onPublished = (candidate: LocalTrackPublication) => {
          if (replaced(candidate)) done();
        };
        const timer = setTimeout(done, HAND_OVER_TIMEOUT_MS);
        joined.on(RoomEvent.LocalTrackPublished, onPublished);
        if ([...local.trackPublications.values()].some(replaced)) done();
      });
      return retired;
    },
  };
}
