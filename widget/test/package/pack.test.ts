import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

const WIDGET = path.resolve(import.meta.dirname, '../..');
const REPO = path.resolve(WIDGET, '..');
const CONTRACTS = path.join(REPO, 'server/contracts');
const PNPM = path.join(REPO, '.tools/pnpm/node_modules/.bin/pnpm');

/** What a page's TypeScript may write against the published widget; it must type-check strictly. */
const CONSUMER = `
import '@parley/widget';
import {
  ParleyVoice,
  ParleyStateEvent,
  ParleyErrorEvent,
  TAG_NAME,
  type ParleyErrorCode,
  type ParleyErrorDetail,
  type ParleyTranscriptDetail,
  type SessionState,
  type ClientToolHandler,
} from '@parley/widget';

/** \`true\` only when T is \`any\`: what an unresolved import silently turns a type into. */
type IsAny<T> = 0 extends 1 & T ? true : false;

const element: ParleyVoice = document.createElement('parley-voice');
const tag: 'parley-voice' = TAG_NAME;
element.persona = 'default';
element.setVariables({ plan: 'pro', seats: 3, trial: false });

element.addEventListener('parley-state', (event: ParleyStateEvent) => {
  const state: SessionState = event.detail.state;
  console.log(tag, state);
});
element.addEventListener('parley-transcript', (event) => {
  const line: ParleyTranscriptDetail = event.detail;
  const role: 'user' | 'agent' = line.role;
  console.log(role, line.text.toUpperCase(), line.final);
});
element.addEventListener('parley-error', (event: ParleyErrorEvent) => {
  const detail: ParleyErrorDetail = event.detail;
  const code: ParleyErrorCode = detail.code;
  console.log(code);
});
document.addEventListener('parley-ended', (event) => console.log(event.detail.reason));

const lookUp: ClientToolHandler = (args) => ({ found: typeof args['sku'] === 'string' });
const removeTool: () => void = element.registerTool('look_up', { description: 'Finds a product' }, lookUp);
removeTool();

// the contracts' error codes (through @parley/widget's own dependency) arrive whole, not as \`any\`
const resolvedCode: IsAny<ParleyErrorCode> = false;
const resolvedState: IsAny<SessionState> = false;
console.log(resolvedCode, resolvedState);

// @ts-expect-error — not a state the element can be in
const wrongState: SessionState = 'flying';
// @ts-expect-error — start() is not synchronous
const wrongStart: void = element.start();
console.log(wrongState, wrongStart);
void element.start().then(() => element.end());
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    strict: true,
    noUncheckedIndexedAccess: true,
    // the published declarations are checked too: an import in them that does not resolve fails
    skipLibCheck: false,
    noEmit: true,
    types: [],
  },
  include: ['consumer.ts'],
};

const scratch: string[] = [];
after(() => Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true }))));

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** The workspace's installed copy (hard-linked from pnpm's store) of a third-party package. */
function installed(from: string, name: string): Promise<string> {
  return realpath(path.join(from, 'node_modules', name));
}

/**
 * tsc's errors in the consumer and in the packed `@parley/*` declarations. livekit-client's own
 * declarations do not pass a strict `skipLibCheck: false` check (an untyped `sdp-transform`):
 * that is theirs to fix, and a consumer has `skipLibCheck` for it.
 */
function ourErrors(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /error TS\d+/.test(line))
    .filter((line) => !line.includes('node_modules/') || line.includes('/@parley/'));
}

async function pnpm(cwd: string, ...args: string[]): Promise<void> {
  try {
    await run(PNPM, args, { cwd, env: { ...process.env, CI: 'true' } });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`pnpm ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`, {
      cause: error,
    });
  }
}

test('the packed widget and contracts install outside the workspace and type-check a strict consumer', async () => {
  await pnpm(REPO, '--filter', '@parley/contracts', 'build');
  await pnpm(REPO, '--filter', '@parley/widget', 'build');
  const packed = await tempDir('parley-packed-');
  await pnpm(CONTRACTS, 'pack', '--pack-destination', packed);
  await pnpm(WIDGET, 'pack', '--pack-destination', packed);
  const tarballs = await readdir(packed);
  const contracts = tarballs.find((file) => file.startsWith('parley-contracts-'));
  const widget = tarballs.find((file) => file.startsWith('parley-widget-'));
  assert.ok(contracts && widget, `both packed: ${tarballs.join(', ')}`);

  const consumer = await tempDir('parley-consumer-');
  assert.ok(!consumer.startsWith(REPO + path.sep), 'the consumer lives outside the workspace');
  // Offline: the two tarballs, and the third-party packages as the workspace installed them from
  // pnpm's store (an offline install cannot resolve registry versions without cached metadata).
  // The consumer depends on the widget alone: @parley/contracts must come as its dependency.
  const link = async (from: string, name: string) => `link:${await installed(from, name)}`;
  await writeFile(
    path.join(consumer, 'package.json'),
    JSON.stringify({
      name: 'parley-widget-consumer',
      private: true,
      type: 'module',
      dependencies: {
        '@parley/widget': `file:${path.join(packed, widget)}`,
        typescript: await link(REPO, 'typescript'),
      },
      pnpm: {
        overrides: {
          '@parley/contracts': `file:${path.join(packed, contracts)}`,
          lit: await link(WIDGET, 'lit'),
          'livekit-client': await link(WIDGET, 'livekit-client'),
          zod: await link(CONTRACTS, 'zod'),
        },
      },
    }),
  );
  await writeFile(path.join(consumer, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  await writeFile(path.join(consumer, 'consumer.ts'), CONSUMER);
  // no hoisting: the widget's declarations see only what its package.json declares
  await pnpm(consumer, 'install', '--offline', '--config.hoist=false');

  const tsc = path.join(consumer, 'node_modules/typescript/bin/tsc');
  const output = await run(process.execPath, [tsc, '-p', consumer, '--pretty', 'false']).then(
    () => '',
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
  assert.deepEqual(
    ourErrors(output),
    [],
    'tsc found errors in the consumer or in the published @parley declarations',
  );
});
