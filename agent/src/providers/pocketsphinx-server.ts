import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PocketSphinxPaths } from '../config.js';
import { keepStderrTail, readEvents, tail } from './pocketsphinx-process.js';

/** The environment variable that tells job processes where the worker's server listens. */
export const SERVER_SOCKET_ENV = 'PARLEY_PS_SERVER_SOCKET';

export interface PocketSphinxServer {
  readonly socketPath: string;
  readonly pid: number | undefined;
  /** Milliseconds the model took to load. */
  readonly loadMs: number;
  /** Resolves when the server has exited (it exits when its starter does, too). */
  readonly exited: Promise<number | null>;
  stop(): void;
}

/**
 * Starts `parley-ps-stream -serve`: PocketSphinx's model loaded once, each recognition stream a
 * child forked from it (`ps-stream.c`), which starts in milliseconds and shares the model's
 * memory, where a process of its own loads the model again (about 0.3 CPU-seconds and 100 MB per
 * call). The worker starts one and hands its socket to the job processes
 * ({@link SERVER_SOCKET_ENV}); a stream falls back to a process of its own when the server is
 * gone. The server exits once its stdin closes, so it cannot outlive the worker.
 */
export async function startPocketSphinxServer(
  paths: PocketSphinxPaths,
  vadPostspeechFrames: number,
  socketPath?: string,
): Promise<PocketSphinxServer> {
  // By default in a folder of its own (0700, removed on exit): no other user may connect.
  const ownDir = socketPath ? undefined : mkdtempSync(join(tmpdir(), 'parley-ps-'));
  socketPath ??= join(ownDir as string, 'ps.sock');
  const args = ['-serve', socketPath, '-hmm', paths.hmmDir, '-lm', paths.lmPath];
  args.push('-dict', paths.dictPath, '-vad_postspeech', String(vadPostspeechFrames));
  const child = spawn(paths.binPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderrTail = keepStderrTail(child);
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  if (ownDir) void exited.then(() => rmSync(ownDir, { recursive: true, force: true }));
  const failed = new Promise<never>((_, reject) => child.once('error', reject));
  failed.catch(() => {});
  // Only the first line, "ready": the server writes nothing else (its streams write to theirs).
  const events = readEvents(child.stdout);
  const first = await Promise.race([events.next(), failed]).catch((error: unknown) => ({
    error: error as Error,
  }));
  void events.return(undefined);
  if ('error' in first || first.done || first.value.type !== 'ready') {
    child.kill('SIGKILL');
    const why =
      'error' in first
        ? first.error.message
        : !first.done && first.value.type === 'error'
          ? first.value.message
          : tail(stderrTail);
    throw new Error(`the PocketSphinx server did not start: ${why}`);
  }
  return {
    socketPath,
    pid: child.pid,
    loadMs: first.value.loadMs,
    exited,
    stop: () => child.stdin.end(),
  };
}
