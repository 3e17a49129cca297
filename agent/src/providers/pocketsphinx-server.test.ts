import { initializeLogger, stt } from '@livekit/agents';
import { AudioFrame, dispose } from '@livekit/rtc-node';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testPocketSphinxPaths } from '@parley/test-fakes';
import type { PocketSphinxPaths } from '../config.js';
import { buildBiasLanguageModel } from './bias-language-model.js';
import { FliteTTS } from './flite-tts.js';
import { PocketSphinxProcess } from './pocketsphinx-process.js';
import { startPocketSphinxServer, type PocketSphinxServer } from './pocketsphinx-server.js';
import { MonoConverter, PocketSphinxSTT, POCKETSPHINX_SAMPLE_RATE } from './pocketsphinx-stt.js';

const QUESTION = 'What are your opening hours?';
const VAD_FRAMES = 30;

let shim: ReturnType<typeof testPocketSphinxPaths> | undefined;
let paths: PocketSphinxPaths;
let server: PocketSphinxServer;
/** The question at 16 kHz with a second of silence after it. */
let question: Int16Array;

const parentOf = (pid: number) =>
  Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);

async function hear(proc: PocketSphinxProcess): Promise<string> {
  proc.writeAudio(question);
  proc.quit();
  const finals: string[] = [];
  for await (const event of proc.events()) {
    if (event.type === 'final' && event.speech) finals.push(event.text);
  }
  return finals.join(' ');
}

describe('the PocketSphinx server: one loaded model, a forked recogniser per stream', () => {
  before(async () => {
    initializeLogger({ pretty: false, level: 'warn' });
    shim = testPocketSphinxPaths();
    paths = shim.paths;
    const voice = await new FliteTTS({ voice: 'slt' }).synthesize(QUESTION).collect();
    const converter = new MonoConverter(POCKETSPHINX_SAMPLE_RATE);
    const speech = converter.convert(voice);
    const tail = converter.flush();
    question = new Int16Array(speech.length + tail.length + POCKETSPHINX_SAMPLE_RATE);
    question.set(speech);
    question.set(tail, speech.length);
    server = await startPocketSphinxServer(
      paths,
      VAD_FRAMES,
      join(tmpdir(), `parley-ps-test-${process.pid}.sock`),
    );
  });
  after(async () => {
    server?.stop();
    await server?.exited;
    shim?.cleanup();
    await dispose();
  });

  test('a stream is forked by the server and hears what a stream of its own hears', async () => {
    const base = { ...paths, vadPostspeechFrames: VAD_FRAMES, partialIntervalMs: 200 };
    const served = await PocketSphinxProcess.start({ ...base, serverSocket: server.socketPath });
    assert.equal(served.served, true);
    assert.ok(served.pid !== undefined && served.pid !== server.pid);
    assert.equal(parentOf(served.pid), server.pid, 'the recogniser is a child of the server');
    const alone = await PocketSphinxProcess.start(base);
    assert.equal(alone.served, false);
    const [viaServer, ownProcess] = await Promise.all([hear(served), hear(alone)]);
    assert.equal(viaServer, ownProcess);
    assert.match(viaServer, /opening hours/);
  });

  test('a biased stream gets its persona’s search, built once and kept for the next stream', async () => {
    const biasLanguageModel = buildBiasLanguageModel([QUESTION, 'Where are you located?']);
    const opts = {
      ...paths,
      vadPostspeechFrames: VAD_FRAMES,
      biasLanguageModel,
      serverSocket: server.socketPath,
    };
    const first = await PocketSphinxProcess.start(opts);
    const second = await PocketSphinxProcess.start(opts);
    assert.ok(first.served && second.served);
    assert.equal(await hear(first), 'what are your opening hours');
    assert.equal(await hear(second), 'what are your opening hours');
  });

  test('without a server that serves its options, a stream starts a process of its own', async () => {
    const gone = await PocketSphinxProcess.start({
      ...paths,
      vadPostspeechFrames: VAD_FRAMES,
      serverSocket: join(tmpdir(), 'parley-no-such-server.sock'),
    });
    assert.equal(gone.served, false);
    assert.match(await hear(gone), /opening hours/);
    // The server ends utterances after 300 ms of silence; a stream that wants 500 ms is refused.
    const other = await PocketSphinxProcess.start({
      ...paths,
      vadPostspeechFrames: 50,
      serverSocket: server.socketPath,
    });
    assert.equal(other.served, false);
    other.kill();
  });

  test('PocketSphinxSTT streams through the server', async () => {
    const engine = new PocketSphinxSTT({ ...paths, serverSocket: server.socketPath });
    const stream = engine.stream();
    for (let i = 0; i < question.length; i += 160) {
      const data = question.slice(i, i + 160);
      stream.pushFrame(new AudioFrame(data, POCKETSPHINX_SAMPLE_RATE, 1, data.length));
    }
    stream.endInput();
    const finals: string[] = [];
    for await (const event of stream) {
      if (event.type === stt.SpeechEventType.FINAL_TRANSCRIPT) {
        finals.push(event.alternatives?.[0]?.text ?? '');
      }
    }
    assert.deepEqual(finals, ['what are your opening hours']);
  });

  test('a client that connects and says nothing does not hold up the next stream for long', async () => {
    const silent = connect(server.socketPath);
    await new Promise((resolve) => silent.once('connect', resolve));
    try {
      const next = await PocketSphinxProcess.start({
        ...paths,
        vadPostspeechFrames: VAD_FRAMES,
        serverSocket: server.socketPath,
      });
      assert.equal(next.served, true);
      assert.match(await hear(next), /opening hours/);
    } finally {
      silent.destroy();
    }
  });

  test('the server exits once whoever started it is gone, and removes its private folder', async () => {
    const own = await startPocketSphinxServer(paths, VAD_FRAMES);
    assert.ok(existsSync(own.socketPath));
    assert.equal(
      statSync(dirname(own.socketPath)).mode & 0o777,
      0o700,
      'only its owner may connect',
    );
    own.stop();
    assert.equal(await own.exited, 0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(existsSync(dirname(own.socketPath)), false);
  });

  test('a server that cannot start says why: no model, no program', async () => {
    await assert.rejects(
      startPocketSphinxServer({ ...paths, hmmDir: join(tmpdir(), 'no-such-model') }, VAD_FRAMES),
      /the PocketSphinx server did not start: .+/,
    );
    await assert.rejects(
      startPocketSphinxServer({ ...paths, binPath: join(tmpdir(), 'no-such-program') }, VAD_FRAMES),
      /the PocketSphinx server did not start: spawn .*no-such-program ENOENT/,
    );
  });
});
