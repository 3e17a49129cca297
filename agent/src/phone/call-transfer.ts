import type { tts, voice } from '@livekit/agents';
import type { Room } from '@livekit/rtc-node';
import type { CallInput, CallOutcome, Persona } from '@parley/contracts';
import type { RecorderLogger } from '../recording/recorder-logger.js';
import type { AgentConfig } from '../config.js';
import { callerWords } from '../conversation/caller-words.js';
import type { CallControls } from '../tools/index.js';
import type { PhoneApi } from './phone-api.js';
import { warmTransfer, type WarmTransferOutcome } from './warm-transfer.js';

export interface CallTransferScope {
  room: Room;
  config: AgentConfig;
  call: CallInput;
  /** Whom the conversation is with now (it moves when a visitor continues on their phone). */
  caller: { identity: string };
  session: voice.AgentSession;
  tts: () => tts.TTS;
  controls: CallControls;
  api: PhoneApi;
  callId(): Promise<string>;
  setOutcome(outcome: CallOutcome): void;
  /** Ends the silence and time-limit watch: the call is the human's now. */
  stopSupervising(): void;
  /** Leaves the call without hanging anyone up. */
  leave(reason: string): void;
  onShutdown(cleanup: () => Promise<void>): void;
  logger: RecorderLogger;
}

/**
 * The warm transfer a persona's `transfer_to_human` tool runs (see warm-transfer.ts), or
 * undefined when the persona has no transfer target. When nobody answers, the caller hears the
 * persona's `noAnswerLine` and the call gets a `callback_offered` warning.
 */
export function warmTransferFor(
  scope: CallTransferScope,
  persona: Persona,
): ((reason: string) => Promise<WarmTransferOutcome>) | undefined {
  if (!persona.escalation.transferTarget) return undefined;
  const { session, controls, logger } = scope;
  return async (reason) => {
    const outcome = await warmTransfer(
      {
        room: scope.room,
        livekit: scope.config.livekit,
        persona,
        call: scope.call,
        callerIdentity: () => scope.caller.identity,
        tts: scope.tts(),
        api: scope.api,
        callId: scope.callId,
        callerWords: () => callerWords(session.history),
        sayToCaller: (text) => controls.say(text),
        setListening: (on) => session.input.setAudioEnabled(on),
        onConnected: (how) => {
          scope.setOutcome('transferred');
          scope.stopSupervising();
          if (how === 'moved') scope.leave('warm transfer: the human has the caller');
        },
        onHumanLeft: () => void controls.end('transferred', 'the human hung up after a transfer'),
        onShutdown: scope.onShutdown,
        logger,
      },
      reason,
    );
    if (outcome !== 'connected') {
      // Part of the conversation (and the record): the caller's answer to the offer follows it.
      await session
        .say(persona.escalation.noAnswerLine, { allowInterruptions: false })
        .waitForPlayout();
      const message = `Warm transfer to the team: ${outcome.replace('_', ' ')}; a callback was offered.`;
      void scope
        .callId()
        .then((id) =>
          scope.api.reportWarning(id, {
            code: 'callback_offered',
            message,
            at: new Date().toISOString(),
          }),
        )
        .catch((error: unknown) =>
          logger.warn({ err: String(error) }, 'cannot report the warning'),
        );
    }
    return outcome;
  };
}
