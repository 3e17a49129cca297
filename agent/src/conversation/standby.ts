import { voice } from '@livekit/agents';
import type { z } from 'zod';
import { type Room, RoomEvent, TrackPublishOptions, TrackSource } from '@livekit/rtc-node';
import {
  type DispatchMetadata,
  DispatchMetadataSchema,
  RoomClaimSchema,
  type StandbyDispatch,
  StandbyDispatchSchema,
} from '@parley/contracts';

/** The part of the agent's room a standby agent watches for its claim. */
export type ClaimRoom = Pick<Room, 'metadata' | 'on' | 'off'>;

/** `text` as JSON that `schema` accepts, or `undefined`. */
function parsed<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  text: string | undefined,
): T | undefined {
  if (!text) return undefined;
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** A standby room's dispatch (the server opened the room ahead of any session), or `undefined`. */
export function standbyDispatchOf(metadata: string): StandbyDispatch | undefined {
  return parsed(StandbyDispatchSchema, metadata);
}

/** A standby room given to a web session (`RoomClaim` in the contracts). */
export interface Claim {
  /** The session's dispatch, as a fresh room's agent gets it. */
  metadata: DispatchMetadata;
  /** The session's visitor: the one participant the room waits for. */
  identity: string;
  /** The persona must be loaded again (edited since the room opened). */
  reload: boolean;
}

/** The claim in the room's metadata, if it holds a valid one. */
function claimIn(metadata: string | undefined): Claim | undefined {
  const claim = parsed(RoomClaimSchema, metadata);
  if (!claim) return undefined;
  const { identity, reload } = claim;
  return { metadata: DispatchMetadataSchema.parse(claim), identity, reload };
}

/**
 * Waits until the server gives the standby room to a web session: it writes the session's
 * dispatch and visitor into the room's metadata (only the server may). Resolves with the claim,
 * or `undefined` once `ms` passed without one, or at once if `signal` aborts.
 */
export function waitForClaim(
  room: ClaimRoom,
  ms: number,
  signal?: AbortSignal,
): Promise<Claim | undefined> {
  const present = claimIn(room.metadata);
  if (present || signal?.aborted) return Promise.resolve(present);
  return new Promise((resolve) => {
    const done = (claim: Claim | undefined) => {
      clearTimeout(timer);
      room.off(RoomEvent.RoomMetadataChanged, onChanged);
      signal?.removeEventListener('abort', onAbort);
      resolve(claim);
    };
    const onChanged = (metadata: string) => {
      const claim = claimIn(metadata);
      if (claim) done(claim);
    };
    const onAbort = () => done(undefined);
    const timer = setTimeout(() => done(undefined), ms);
    room.on(RoomEvent.RoomMetadataChanged, onChanged);
    signal?.addEventListener('abort', onAbort);
  });
}

/**
 * The agent's audio track, published as soon as the agent is in the room instead of once the
 * session starts (LiveKit Agents' RoomIO publishes it only after the caller joined): the visitor
 * subscribes to it while the agent still loads, so the greeting is heard sooner. Call it once
 * connected; set it as the session's audio output before `session.start`; close it with the job.
 */
export function publishAgentAudio(
  room: Room,
  signal: AbortSignal,
  onError: (error: unknown) => void,
): voice.ParticipantAudioOutput {
  // LiveKit Agents' own defaults for the room's audio output.
  const output = new voice.ParticipantAudioOutput(room, {
    sampleRate: 24_000,
    numChannels: 1,
    trackPublishOptions: new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
    queueSizeMs: 200,
  });
  // Publishes, then waits for the visitor's subscription.
  output.start(signal).catch(onError);
  return output;
}
