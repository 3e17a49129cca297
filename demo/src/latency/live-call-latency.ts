import { describeError } from '../admin-api.js';
import { h } from '../dom.js';
import { routeHref } from '../route.js';
import { signedOutNotice, type StudioContext } from '../studio-context.js';
import { latencyWaterfall } from './latency-waterfall.js';

/** How often the latency of a call in progress is fetched again. */
const POLL_MS = 2_500;
/** The agent closes the record a little after the room ends; one more look catches it. */
const AFTER_END_MS = 2_000;

export interface LiveCallLatency {
  readonly element: HTMLElement;
  /** A new call is starting with `personaId`: forget the last one. */
  starting(personaId: string): void;
  /** The call joined `roomName`: follow its record as turns arrive. */
  connected(roomName: string): void;
  ended(): void;
  /** Draws the current call again (e.g. after signing in). */
  refresh(): void;
}

/**
 * The latency waterfall of the call in the talk view, kept up to date from the call record the
 * agent writes turn by turn. The widget reports the room, not the call: the call is found by its
 * room among the persona's latest calls.
 */
export function liveCallLatency(context: StudioContext): LiveCallLatency {
  const element = h(
    'div',
    { class: 'latency' },
    h('p', { class: 'muted' }, 'Start a call to see its latency.'),
  );
  let personaId = 'default';
  let room: string | undefined;
  let callId: string | undefined;
  let poll: ReturnType<typeof setInterval> | undefined;
  let busy = false;

  const draw = async () => {
    const api = context.api;
    if (!api) {
      element.replaceChildren(signedOutNotice('see the latency of each turn'));
      return;
    }
    if (room === undefined || busy) return;
    busy = true;
    try {
      callId ??= (await api.findCallByRoom(personaId, room))?.id;
      if (callId === undefined) {
        element.replaceChildren(h('p', { class: 'muted' }, 'Waiting for the call record…'));
        return;
      }
      const call = await api.getCall(callId);
      const link = h(
        'a',
        { href: routeHref({ view: 'calls', callId: call.id }) },
        'Open this call in the history',
      );
      element.replaceChildren(latencyWaterfall(call.turns), h('p', {}, link));
    } catch (error) {
      element.replaceChildren(h('p', { class: 'error-line' }, describeError(error)));
    } finally {
      busy = false;
    }
  };

  const stopPolling = () => {
    if (poll !== undefined) clearInterval(poll);
    poll = undefined;
  };

  return {
    element,
    starting(next) {
      stopPolling();
      personaId = next;
      room = undefined;
      callId = undefined;
      element.replaceChildren(h('p', { class: 'muted' }, 'Connecting…'));
    },
    connected(roomName) {
      room = roomName;
      stopPolling();
      poll = setInterval(() => void draw(), POLL_MS);
    },
    ended() {
      stopPolling();
      void draw();
      setTimeout(() => void draw(), AFTER_END_MS);
    },
    refresh() {
      if (room !== undefined) void draw();
    },
  };
}
