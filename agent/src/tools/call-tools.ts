import { llm } from '@livekit/agents';
import {
  type CallOutcome,
  EndCallArgsSchema,
  OPT_OUT_TOOL,
  OptOutArgsSchema,
  type Persona,
  TransferArgsSchema,
} from '@parley/contracts';
import { KnowledgeMatcher } from '../knowledge/knowledge-matcher.js';
import { recorderLogger } from '../recording/recorder-logger.js';
import type { CallControls, ToolDeps } from './tool-deps.js';
import { modelArguments } from './model-arguments.js';
import { throwForModel, type ToolApi } from './tool-api.js';

/** Asked of the persona's knowledge to find how callers reach a person when none can take the call. */
const CONTACT_QUESTION = 'how can I contact or reach a human, a real person on your team';

/**
 * Ends the call once the speech that called the tool (including the model's reply to it) has
 * played out, so the caller hears the goodbye in full.
 */
function endAfterSpeech(
  opts: llm.ToolOptions,
  controls: CallControls,
  outcome: CallOutcome,
  reason: string,
): void {
  const logger = recorderLogger(undefined, 'tools');
  opts.ctx.speechHandle.addDoneCallback(() => {
    controls.end(outcome, reason).catch((error: unknown) => {
      const detail = error instanceof Error ? error.message : String(error);
      logger.error({ outcome, reason, error: detail }, 'the call could not be ended');
    });
  });
}

/** What end_call answers the model: its reply is the goodbye. */
export const END_CALL_REPLY = 'The call ends after your reply: say a short goodbye, nothing else.';

export function endCallTool({ controls }: Pick<ToolDeps, 'controls'>) {
  const endArgs = modelArguments('end_call', EndCallArgsSchema);
  return llm.tool({
    name: 'end_call',
    description:
      'Ends the call. Use it when the caller is done and has said goodbye, or clearly wants to ' +
      'hang up. Your reply to its result is the last thing the caller hears.',
    parameters: endArgs.parameters,
    execute: async (sent, opts) => {
      const { reason } = endArgs.parse(sent);
      endAfterSpeech(opts, controls, 'completed', reason ?? 'the caller was done');
      return END_CALL_REPLY;
    },
  });
}

/**
 * A phone caller who asks not to be called again: their number (the call's own, which the server
 * reads from the call record; the model cannot name one) goes on the tenant's do-not-call list,
 * the persona's `phone.optOutLine` is said, and the call ends as completed. The tool speaks for
 * itself; when the list cannot be written, the model hears why and nothing is promised.
 */
export function optOutTool(
  deps: Pick<ToolDeps, 'persona' | 'controls'>,
  api: Pick<ToolApi, 'optOut'>,
) {
  const { persona, controls } = deps;
  const optOutArgs = modelArguments(OPT_OUT_TOOL, OptOutArgsSchema);
  return llm.tool({
    name: OPT_OUT_TOOL,
    description:
      'Puts the caller on the do-not-call list and ends the call politely. Use it as soon as the ' +
      'caller asks not to be called again ("don\'t call me again", "stop calling me", "take me ' +
      'off your list"). Their number is known: never ask for it. The tool says goodbye itself.',
    parameters: optOutArgs.parameters,
    execute: async (sent, opts): Promise<undefined> => {
      optOutArgs.parse(sent);
      try {
        await api.optOut(opts.abortSignal);
      } catch (error) {
        throwForModel(error, 'The do-not-call list');
      }
      await controls.say(persona.phone.optOutLine);
      endAfterSpeech(opts, controls, 'completed', 'the caller asked not to be called again');
      return undefined;
    },
  });
}

/** The line of the persona's knowledge that tells callers how to reach a person, if it has one. */
export function contactLine(knowledge: Persona['knowledge']): string | undefined {
  return new KnowledgeMatcher(knowledge).match(CONTACT_QUESTION)?.entry.answer;
}

/**
 * Hands the caller to a person: the target is the persona's `escalation.transferTarget`, never
 * an argument, so neither the model nor a prompt injection can pick the number. With
 * `escalation.mode` `cold` a phone call is referred over SIP straight to the target; with `warm`
 * (and always for a web visitor) the target is rung and briefed first, and when nobody answers
 * the call goes on. Without a target the caller is told how to reach the team and the call ends.
 * The tool speaks for itself, so the model does not reply to it.
 */
export function transferToHumanTool(
  deps: Pick<ToolDeps, 'persona' | 'channel' | 'controls' | 'sipTransfer' | 'warmTransfer'>,
) {
  const { persona, channel, controls, sipTransfer, warmTransfer } = deps;
  const { transferTarget: target, message, mode } = persona.escalation;
  const transferArgs = modelArguments('transfer_to_human', TransferArgsSchema);
  return llm.tool({
    name: 'transfer_to_human',
    description:
      'Connects the caller with a person on the team. Use it when the caller asks for a human, ' +
      'or needs something you cannot do. The tool tells the caller what happens next.',
    parameters: transferArgs.parameters,
    execute: async (sent, opts): Promise<undefined> => {
      const { reason } = transferArgs.parse(sent);
      const why = reason ?? 'the caller asked for a person';
      if (target && warmTransfer && (mode === 'warm' || channel === 'web')) {
        await controls.say(message);
        // Connected, the human has the caller; not, the caller heard the no-answer line.
        await warmTransfer(why);
        return undefined;
      }
      if (channel === 'phone' && target && sipTransfer) {
        await controls.say(message);
        // The caller's phone may leave the room before the REFER's answer reaches us; until then
        // the line is livekit-sip's (ringback), so silence is no reason to reprompt or hang up.
        controls.expectOutcome('transferred');
        controls.holdSilence(true);
        try {
          await sipTransfer(target);
        } catch (error) {
          // livekit-sip can report a REFER as failed ("transaction failed to complete") although
          // the phone followed it and holds this leg, silent. Until the caller speaks again,
          // leaving or silence counts as transferred.
          controls.holdSilence(false);
          controls.expectOutcome('transferred', 'caller-speaks');
          const detail = error instanceof Error ? error.message : String(error);
          throw new llm.ToolError(
            `The transfer to a person failed (${detail}). Apologise and offer to help another way.`,
          );
        }
        endAfterSpeech(opts, controls, 'transferred', why);
        return undefined;
      }
      const contact = contactLine(persona.knowledge);
      await controls.say(contact ? `${message} ${contact}` : message);
      endAfterSpeech(
        opts,
        controls,
        channel === 'web' && target ? 'transferred' : 'completed',
        why,
      );
      return undefined;
    },
  });
}
