/**
 * Test support: the scripted responder driving a real LiveKit AgentSession (text only, no room)
 * with the recording stand-ins for the built-in tools. Each caller turn goes through
 * `session.run`, tools run through the session's own tool execution, and the run's events can be
 * checked in order.
 */
import { voice } from '@livekit/agents';
import type { Persona } from '@parley/contracts';
import { ScriptedResponder } from '../src/scripted/scripted-llm.js';
import {
  type RecordedCall,
  recordingTools,
  type RecordingToolsOptions,
} from './recording-tools.js';

const RUN_TIMEOUT_MS = 10_000;

export type Run = voice.testing.RunResult;

export interface ScriptedCall {
  session: voice.AgentSession;
  calls: RecordedCall[];
  /** One caller turn: the run's events once every reply and tool call has finished. */
  say(userInput: string): Promise<Run>;
}

const open: ScriptedCall[] = [];

/** A call with `persona` whose clock reads `now` (epoch ms). */
export async function startScriptedCall(
  persona: Persona,
  now: number,
  opts: Partial<RecordingToolsOptions> = {},
): Promise<ScriptedCall> {
  const { tools, calls } = recordingTools(opts);
  const responder = new ScriptedResponder(persona, { now: () => now });
  const session = new voice.AgentSession({ llm: responder });
  await session.start({ agent: new voice.Agent({ instructions: persona.instructions, tools }) });
  const call: ScriptedCall = {
    session,
    calls,
    async say(userInput) {
      const run = session.run({ userInput });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no reply to "${userInput}"`)), RUN_TIMEOUT_MS);
      });
      try {
        await Promise.race([run.wait(), timeout]);
      } finally {
        clearTimeout(timer);
      }
      return run;
    },
  };
  open.push(call);
  return call;
}

/** Closes every call started so far. */
export async function closeScriptedCalls(): Promise<void> {
  await Promise.all(open.splice(0).map((c) => c.session.close()));
}

/** The next event is an assistant message; its text. */
export function nextReply(run: Run): string {
  return run.expect.nextEvent().isMessage({ role: 'assistant' }).event().item.textContent ?? '';
}

/** A caller turn answered by one message and nothing else; its text. */
export async function onlyReply(call: ScriptedCall, userInput: string): Promise<string> {
  const run = await call.say(userInput);
  const text = nextReply(run);
  run.expect.noMoreEvents();
  return text;
}

/** The next event is a call of `name`; its parsed arguments. */
export function nextCallArgs(run: Run, name: string): unknown {
  const event = run.expect.nextEvent().isFunctionCall({ name }).event();
  return JSON.parse(event.item.args);
}
