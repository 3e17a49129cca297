import { voice } from '@livekit/agents';
import {
  type AudioFrame,
  AudioStream,
  type RemoteTrack,
  type RemoteTrackPublication,
  type RemoteParticipant,
  type Room,
  RoomEvent,
  TrackSource,
} from '@livekit/rtc-node';
import { TransformStream } from 'node:stream/web';
import { type EarlyAudio, prependEarlyAudio } from './early-audio.js';

export interface MicrophoneInputOptions {
  /** Rate of the frames the session gets (LiveKit's RoomIO default). */
  sampleRate: number;
  numChannels: number;
}

const defaultOptions: MicrophoneInputOptions = { sampleRate: 24_000, numChannels: 1 };

/**
 * The session's audio input: one participant's microphone, as LiveKit's RoomIO would read it,
 * with the audio recorded before the agent joined (`early`) in front of the first track.
 *
 * Why not wrap RoomIO's own input: LiveKit Agents 1.8 attaches a running session's audio input
 * once (its input-changed callback is passed unbound and its recognition stream takes a single
 * source), so the input has to be in place before `session.start()`; RoomIO then keeps it.
 */
export class ParticipantMicrophoneInput extends voice.AudioInput {
  readonly #room: Room;
  #identity: string;
  readonly #options: MicrophoneInputOptions;
  #early: EarlyAudio | undefined;
  #current: { sid: string; inputId: string; stop: AbortController } | undefined;
  #attached = true;
  #recognised!: (when: Promise<void>) => void;
  /**
   * Settles once the early audio (none, maybe) has reached the recogniser ahead of the live
   * frames (see `recognising`), or never will (the input followed someone else, or closed).
   */
  readonly earlyAudioRecognised = new Promise<void>(
    (resolve) => (this.#recognised = (when) => void when.then(resolve)),
  );

  constructor(
    room: Room,
    identity: string,
    early: EarlyAudio,
    options: Partial<MicrophoneInputOptions> = {},
  ) {
    super();
    this.#room = room;
    this.#identity = identity;
    this.#early = early;
    this.#options = { ...defaultOptions, ...options };
    room.on(RoomEvent.TrackSubscribed, this.#onSubscribed);
    room.on(RoomEvent.TrackUnsubscribed, this.#onUnsubscribed);
    this.#openSubscribed();
  }

  /** Whose microphone the session hears. */
  get identity(): string {
    return this.#identity;
  }

  /**
   * Hears `identity` from now on (the conversation moved to another participant, e.g. the
   * visitor's phone): the current microphone is dropped, the new one's taken once subscribed.
   */
  follow(identity: string): void {
    if (identity === this.#identity) return;
    this.#identity = identity;
    this.#early = undefined;
    this.#recognised(Promise.resolve());
    this.#closeTrack();
    this.#openSubscribed();
  }

  /** Opens the participant's microphone if it was subscribed before this input listened. */
  #openSubscribed(): void {
    const participant = this.#room.remoteParticipants.get(this.#identity);
    for (const publication of participant?.trackPublications.values() ?? []) {
      if (publication.track && publication.source === TrackSource.SOURCE_MICROPHONE) {
        this.#open(publication.track, publication);
        break;
      }
    }
  }

  override setAttached(attached: boolean): void {
    this.#attached = attached;
  }

  override async close(): Promise<void> {
    this.#room.off(RoomEvent.TrackSubscribed, this.#onSubscribed);
    this.#room.off(RoomEvent.TrackUnsubscribed, this.#onUnsubscribed);
    this.#closeTrack();
    this.#recognised(Promise.resolve());
    await super.close();
  }

  readonly #onSubscribed = (
    track: RemoteTrack,
    publication: RemoteTrackPublication,
    participant: RemoteParticipant,
  ): void => {
    if (
      participant.identity === this.#identity &&
      publication.source === TrackSource.SOURCE_MICROPHONE &&
      publication.sid !== this.#current?.sid
    ) {
      this.#open(track, publication);
    }
  };

  readonly #onUnsubscribed = (_track: RemoteTrack, publication: RemoteTrackPublication): void => {
    if (publication.sid !== undefined && publication.sid === this.#current?.sid) this.#closeTrack();
  };

  #open(track: RemoteTrack, publication: RemoteTrackPublication): void {
    this.#closeTrack();
    const stop = new AbortController();
    let frames = new AudioStream(track, {
      sampleRate: this.#options.sampleRate,
      numChannels: this.#options.numChannels,
    }).pipeThrough(
      // a muted (detached) session input drops what the visitor says, as RoomIO's does
      new TransformStream<AudioFrame, AudioFrame>({
        transform: (frame, controller) => {
          if (this.#attached) controller.enqueue(frame);
        },
      }),
      { signal: stop.signal },
    );
    // only the first track: the early audio was recorded before it
    if (this.#early) frames = frames.pipeThrough(prependEarlyAudio(this.#early, this.#recognised));
    this.#early = undefined;
    const inputId = this.multiStream.addInputStream(frames);
    this.#current = { sid: publication.sid ?? '', inputId, stop };
  }

  #closeTrack(): void {
    const current = this.#current;
    this.#current = undefined;
    if (!current) return;
    current.stop.abort();
    void this.multiStream.removeInputStream(current.inputId);
  }
}
