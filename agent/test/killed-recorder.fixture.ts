/**
 * Test support, run as a child process by spool-flusher.test.ts: an agent process recording a
 * call, driven by JSON lines on stdin (`{ "turn": … }`, `{ "idle": true }`) and answering on
 * stdout — until the test kills it.
 */
import type { TurnInput } from '@parley/contracts';
import { createInterface } from 'node:readline';
import { CallRecorder } from '../src/recording/call-recorder.js';

const [serverUrl = '', agentKey = '', spoolDir = '', roomName = ''] = process.argv.slice(2);
const toStderr = (obj: object, msg: string) =>
  process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`);
const recorder = await CallRecorder.start({
  serverUrl,
  agentKey,
  spoolDir,
  call: { personaId: 'default', channel: 'phone', roomName },
  backoff: { initialMs: 5, maxMs: 50 },
  logger: { info: toStderr, warn: toStderr, error: toStderr },
});
const say = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
say({ ready: recorder.journalPath });

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { turn?: TurnInput; idle?: boolean };
  if (command.turn) {
    await recorder.appendTurn(command.turn);
    say({ journaled: true });
  }
  if (command.idle) {
    await recorder.whenIdle();
    say({ idle: true, callId: recorder.callId });
  }
}
