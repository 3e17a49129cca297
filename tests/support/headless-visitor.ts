import {
  AudioFrame,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  ParticipantKind,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
  type RemoteParticipant,
  type RemoteTrack,
} from '@livekit/rtc-node';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SessionResponse } from '@parley/contracts';
import { rms, type Pcm } from './wav.js';

export interface TranscriptSegment {
  role: 'user' | 'agent';
  segmentId: string;
  text: string;
  final: boolean;
}

const FRAME_MS = 10;
/**
 * How far ahead of the clock speech is queued in the microphone, and how much its native queue
 * holds. LiveKit's audio thread sends from that queue every 10 ms whatever this process does, so
 * only an event-loop stall longer than the lead leaves a hole in the speech (the agent's jitter
 * buffer fills it with concealment and the words come apart). One process drives every visitor of
 * a load run: on a busy machine its loop stalled 200–480 ms (seconds when saturated, 2026-12-06),
 * and with a 400 ms lead a question came out with an 80 ms hole.
 */
const MIC_LEAD_MS = 1500;
const MIC_QUEUE_MS = 3000;
/** Above this RMS a 10 ms frame counts as sound rather than silence or comfort noise. */
export const SOUND_RMS = 300;

/**
 * A visitor without a browser: joins a session's room with @livekit/rtc-node, publishes a
 * microphone it feeds from PCM, listens to the agent's audio and reads `lk.transcription` streams.
 */
export class HeadlessVisitor {
  readonly room = new Room();
  readonly segments = new Map<string, TranscriptSegment>();
  agentState: string | undefined;
  /** Every agent state seen, in order, with when it arrived (`performance.now()`). */
  readonly agentStates: Array<{ state: string; at: number }> = [];
  /** Whether an agent participant is in the room; false again once it leaves (or dies). */
  agentPresent = false;
  /** Set when the room itself ended for this visitor (the agent ended the call, or it was deleted). */
  roomEnded = false;
  /** Milliseconds of agent audio louder than silence, so far. */
  agentSoundMs = 0;
  /** `performance.now()` when the first and the latest agent frame louder than silence arrived. */
  firstAgentSoundAt: number | undefined;
  lastAgentSoundAt: number | undefined;
  /** When each agent frame louder than silence arrived (`performance.now()`), in order. */
  readonly agentSoundAt: number[] = [];
  private source: AudioSource | undefined;
  private readonly changed = new Set<() => void>();
  private leaving = false;
  /** Errors of stream readers while the visitor was still in the room. */
  readonly failures: unknown[] = [];

  async join(session: SessionResponse): Promise<void> {
    this.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _pub, participant) => {
      if (track.kind === TrackKind.KIND_AUDIO) this.track(this.listen(track, participant));
    });
    this.room.on(RoomEvent.ParticipantAttributesChanged, (_changed, participant) => {
      const state = participant.attributes['lk.agent.state'];
      if (state && state !== this.agentState) {
        this.agentState = state;
        this.agentStates.push({ state, at: performance.now() });
        this.notify();
      }
    });
    const onAgent = (participant: RemoteParticipant, present: boolean) => {
      if (participant.kind !== ParticipantKind.AGENT) return;
      this.agentPresent = present;
      this.notify();
    };
    this.room.on(RoomEvent.ParticipantConnected, (p) => onAgent(p, true));
    this.room.on(RoomEvent.ParticipantDisconnected, (p) => onAgent(p, false));
    this.room.on(RoomEvent.Disconnected, () => {
      this.roomEnded = true;
      this.notify();
    });
    this.room.registerTextStreamHandler('lk.transcription', (reader, { identity }) => {
      this.track(this.readTranscript(reader, identity));
    });
    await this.room.connect(session.serverUrl, session.token, {
      autoSubscribe: true,
      dynacast: false,
    });
    for (const participant of this.room.remoteParticipants.values()) onAgent(participant, true);
  }

  /** Publishes the microphone track now, so speech later is one continuous track. */
  async publishMicrophone(sampleRate: number): Promise<void> {
    this.source = new AudioSource(sampleRate, 1, MIC_QUEUE_MS);
    const track = LocalAudioTrack.createAudioTrack('microphone', this.source);
    const options = new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE });
    await this.room.localParticipant?.publishTrack(track, options);
  }

  /**
   * Streams PCM into the microphone in real time, as a sound card would: the frames go into the
   * source's native queue up to {@link MIC_LEAD_MS} ahead of the clock, and LiveKit's own audio
   * thread sends them every 10 ms. Pacing each frame from this (busy) event loop instead lets a
   * late timer leave a hole in the stream, which the agent's jitter buffer fills with
   * concealment, and the recogniser then mishears. Resolves when the last frame is due out.
   */
  async speak(pcm: Pcm): Promise<void> {
    if (!this.source || this.source.sampleRate !== pcm.sampleRate) {
      throw new Error('publishMicrophone() with the PCM sample rate first');
    }
    const perFrame = (pcm.sampleRate * FRAME_MS) / 1000;
    const started = performance.now();
    let n = 0;
    for (let i = 0; i < pcm.samples.length; i += perFrame, n++) {
      const chunk = new Int16Array(perFrame);
      chunk.set(pcm.samples.subarray(i, i + perFrame));
      await this.source.captureFrame(new AudioFrame(chunk, pcm.sampleRate, 1, perFrame));
      const ahead = started + (n + 1) * FRAME_MS - performance.now();
      if (ahead > MIC_LEAD_MS) await sleep(ahead - MIC_LEAD_MS);
    }
    const left = started + n * FRAME_MS - performance.now();
    if (left > 0) await sleep(left);
  }

  /**
   * The first stretch of at least `gapMs` without agent sound that begins after `at`: when the
   * agent's sound stopped (its last loud frame) and when sound came back (undefined if not yet).
   */
  agentSilenceAfter(
    at: number,
    gapMs: number,
  ): { stoppedAt: number; resumedAt?: number } | undefined {
    const times = this.agentSoundAt;
    let i = times.findIndex((t) => t >= at);
    if (i < 0) return undefined;
    for (; i < times.length; i++) {
      const t = times[i] as number;
      const next = times[i + 1];
      if (next === undefined) {
        return performance.now() - t >= gapMs ? { stoppedAt: t } : undefined;
      }
      if (next - t >= gapMs) return { stoppedAt: t, resumedAt: next };
    }
    return undefined;
  }

  transcript(role: 'user' | 'agent'): string {
    return [...this.segments.values()]
      .filter((s) => s.role === role)
      .map((s) => s.text)
      .join(' ');
  }

  /** Resolves when `condition` holds, re-checked on every transcript, state or audio change. */
  waitUntil(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.changed.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.changed.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.changed.add(check);
    });
  }

  async leave(): Promise<void> {
    // Readers cut off by our own hang-up fail with "Disconnected while receiving": expected.
    this.leaving = true;
    await this.source?.close();
    await this.room.disconnect();
  }

  private track(reading: Promise<void>): void {
    reading.catch((err: unknown) => {
      if (!this.leaving) this.failures.push(err);
    });
  }

  private notify(): void {
    for (const check of [...this.changed]) check();
  }

  private async listen(track: RemoteTrack, participant: RemoteParticipant): Promise<void> {
    if (participant.kind !== ParticipantKind.AGENT) return;
    const reader = new AudioStream(track, 16000, 1).getReader();
    for (;;) {
      const { done, value: frame } = await reader.read();
      if (done) return;
      if (rms(frame.data) > SOUND_RMS) {
        this.agentSoundMs += (frame.samplesPerChannel / frame.sampleRate) * 1000;
        this.lastAgentSoundAt = performance.now();
        this.firstAgentSoundAt ??= this.lastAgentSoundAt;
        this.agentSoundAt.push(this.lastAgentSoundAt);
        this.notify();
      }
    }
  }

  private async readTranscript(
    reader: AsyncIterable<string> & { info: { attributes?: Record<string, string> } },
    identity: string,
  ): Promise<void> {
    const attributes = reader.info.attributes ?? {};
    // The agent publishes the visitor's transcript under the visitor's identity.
    const role = identity === this.room.localParticipant?.identity ? 'user' : 'agent';
    const segmentId = attributes['lk.segment_id'] ?? `${identity}-${this.segments.size}`;
    const segment = this.segments.get(segmentId) ?? { role, segmentId, text: '', final: false };
    this.segments.set(segmentId, segment);
    let streamed = '';
    for await (const chunk of reader) {
      streamed += chunk;
      // A user segment is re-sent whole in each stream; an agent segment grows chunk by chunk.
      segment.text = role === 'user' ? streamed : segment.text + chunk;
      this.notify();
    }
    segment.final = role === 'agent' || attributes['lk.transcription_final'] === 'true';
    this.notify();
  }
}

/**
 * A visitor who joins `session`, publishes a microphone and hears `greeting` (in the agent's
 * transcript). Added to `visitors` as soon as made, so the caller's cleanup leaves it.
 */
export async function greetedVisitor(
  session: SessionResponse,
  greeting: string,
  visitors: HeadlessVisitor[],
): Promise<HeadlessVisitor> {
  const visitor = new HeadlessVisitor();
  visitors.push(visitor);
  await visitor.join(session);
  await visitor.publishMicrophone(16_000);
  await visitor.waitUntil(
    'the greeting',
    () => visitor.transcript('agent').includes(greeting),
    60_000,
  );
  return visitor;
}
