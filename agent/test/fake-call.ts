/** Test support: a persona, call controls that record what the tools did, a tool call's options. */
import { llm } from '@livekit/agents';
import {
  type CallOutcome,
  type LeadTemperature,
  type Persona,
  type PersonaInput,
  PersonaSchema,
} from '@parley/contracts';
import type { CallControls } from '../src/tools/tool-deps.js';

export function testPersona(input: Partial<PersonaInput> = {}): Persona {
  return PersonaSchema.parse({
    id: 'shop',
    name: 'Shop',
    greeting: 'Hello!',
    instructions: 'Help callers.',
    ...input,
  });
}

/** Controls that log every action, in order, as `say: …`, `end: outcome (reason)`, `expect: outcome`, `lead: …`. */
export class FakeControls implements CallControls {
  readonly log: string[] = [];

  async say(text: string): Promise<void> {
    this.log.push(`say: ${text}`);
  }

  async end(outcome: CallOutcome, reason: string): Promise<void> {
    this.log.push(`end: ${outcome} (${reason})`);
  }

  expectOutcome(outcome: CallOutcome | undefined, until?: 'caller-speaks'): void {
    this.log.push(`expect: ${outcome ?? 'nothing'}${until ? ` until ${until}` : ''}`);
  }

  holdSilence(held: boolean): void {
    this.log.push(`silence watch: ${held ? 'held' : 'on'}`);
  }

  noteLead(temperature: LeadTemperature): void {
    this.log.push(`lead: ${temperature}`);
  }
}

/**
 * The options a tool is executed with, over a speech that is still playing until
 * `finishSpeech()` (what the framework does once the tool's reply has played out), in a session
 * whose conversation so far is `history`.
 */
export function fakeToolCall(history = llm.ChatContext.empty()): {
  opts: llm.ToolOptions;
  finishSpeech(): void;
} {
  const done: (() => void)[] = [];
  const speechHandle = { addDoneCallback: (callback: () => void) => void done.push(callback) };
  const opts = {
    ctx: { speechHandle, session: { history } },
    toolCallId: 'call_1',
    abortSignal: new AbortController().signal,
  } as unknown as llm.ToolOptions;
  return { opts, finishSpeech: () => done.splice(0).forEach((callback) => callback()) };
}
