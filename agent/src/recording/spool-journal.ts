import { CallCloseSchema, CallInputSchema, TurnInputSchema } from '@parley/contracts';
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { CallOp } from './call-api.js';

/**
 * A call's write-ahead journal in the spool directory: one JSON line per op of the call record
 * (`{ v, n, op }`, fsync'd before the op is first sent), then one line per answer
 * (`{ v, ack: n, callId? | dropped? }`). Whatever is not acked is still owed to the server, so
 * a journal left behind by a killed or disconnected agent is replayed by `flushSpool`.
 *
 * A journal is owned by the recorder that writes it, through `<file>.lock` holding the owner's
 * pid and a token; a lock whose process is gone (or, in this process, whose recorder is gone)
 * is stale and may be taken over. Two flushers racing for one stale lock can both replay it:
 * that only costs requests, because every op is idempotent on the server (turns by key, the
 * call by room, the first close wins).
 */
export class SpoolJournal {
  readonly #handle: FileHandle;
  readonly #owner: string;
  #writes: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    readonly path: string,
    handle: FileHandle,
    owner: string,
  ) {
    this.#handle = handle;
    this.#owner = owner;
  }

  /** Starts a new journal for a call in `dir`, owned by the caller. */
  static async create(dir: string, roomName: string): Promise<SpoolJournal> {
    await mkdir(dir, { recursive: true });
    const safeRoom = roomName.replace(/[^\w.-]+/g, '_').slice(0, 80);
    const stamp = String(Date.now()).padStart(15, '0');
    const file = path.join(dir, `${stamp}-${safeRoom}-${randomUUID().slice(0, 8)}.jsonl`);
    const owner = await lock(file);
    if (!owner) throw new Error(`${file}.lock already exists`);
    const handle = await open(file, 'wx');
    await syncDir(dir);
    return new SpoolJournal(file, handle, owner);
  }

  /** Takes over a journal whose owner is gone; undefined while its owner is alive. */
  static async claim(file: string): Promise<SpoolJournal | undefined> {
    let owner = await lock(file);
    if (!owner) {
      if (await lockIsLive(file)) return undefined;
      await unlink(`${file}.lock`).catch(ignoreMissing);
      owner = await lock(file);
      if (!owner) return undefined;
    }
    const handle = await open(file, 'a+');
    const journal = new SpoolJournal(file, handle, owner);
    // A crash mid-write leaves a partial last line; new lines must not be glued onto it.
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last.toString() !== '\n') await journal.#append('\n', false);
    }
    return journal;
  }

  /** Records op `n`; resolves once it is on disk. */
  record(n: number, op: CallOp): Promise<void> {
    return this.#append(`${JSON.stringify({ v: 1, n, op })}\n`, true);
  }

  /**
   * Records the server's answer to op `n`. Only the create's answer is fsync'd (it carries the
   * call id every later op needs); losing another ack in a crash only means sending it again.
   */
  ack(n: number, answer: { callId?: string; dropped?: string } = {}): Promise<void> {
    return this.#append(
      `${JSON.stringify({ v: 1, ack: n, ...answer })}\n`,
      answer.callId !== undefined,
    );
  }

  /** Everything recorded so far. */
  async read(): Promise<JournalState> {
    await this.#writes;
    return parseJournal(await readFile(this.path, 'utf8'));
  }

  /** Every op is answered: the journal and its lock go. */
  async remove(): Promise<void> {
    await this.#close();
    await unlink(this.path).catch(ignoreMissing);
    await this.#unlock();
  }

  /** Gives the journal up, unfinished, for a later `flushSpool`. */
  async release(): Promise<void> {
    await this.#close();
    await this.#unlock();
  }

  #append(text: string, sync: boolean): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`${this.path} is closed`));
    const write = this.#writes.then(async () => {
      await this.#handle.appendFile(text);
      if (sync) await this.#handle.datasync();
    });
    this.#writes = write.catch(() => undefined);
    return write;
  }

  async #close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes;
    await this.#handle.close();
  }

  async #unlock(): Promise<void> {
    liveOwners.delete(this.#owner);
    await unlink(`${this.path}.lock`).catch(ignoreMissing);
  }
}

export interface JournalState {
  ops: { n: number; op: CallOp }[];
  acked: Set<number>;
  callId?: string;
  /** Lines that could not be read back (a partial write cut by a crash). */
  unreadable: number;
}

const LineSchema = z.union([
  z.object({
    v: z.literal(1),
    n: z.number().int().nonnegative(),
    op: z.discriminatedUnion('type', [
      z.object({ type: z.literal('create'), call: CallInputSchema }),
      z.object({ type: z.literal('turn'), key: z.string().min(1), turn: TurnInputSchema }),
      z.object({ type: z.literal('close'), close: CallCloseSchema }),
    ]),
  }),
  z.object({
    v: z.literal(1),
    ack: z.number().int().nonnegative(),
    callId: z.string().optional(),
    dropped: z.string().optional(),
  }),
]);

export function parseJournal(text: string): JournalState {
  const state: JournalState = { ops: [], acked: new Set(), unreadable: 0 };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      state.unreadable++;
      continue;
    }
    const parsed = LineSchema.safeParse(json);
    if (!parsed.success) state.unreadable++;
    else if ('op' in parsed.data) state.ops.push({ n: parsed.data.n, op: parsed.data.op });
    else {
      state.acked.add(parsed.data.ack);
      state.callId = parsed.data.callId ?? state.callId;
    }
  }
  state.ops.sort((a, b) => a.n - b.n);
  return state;
}

/** The journals in `dir`, oldest first. */
export async function listJournals(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Removes locks left without a journal by an owner that died while removing it. */
export async function removeOrphanLocks(dir: string): Promise<void> {
  const names = await readdir(dir).catch((error: unknown) => {
    if (isMissing(error)) return [];
    throw error;
  });
  const present = new Set(names);
  for (const name of names) {
    if (!name.endsWith('.jsonl.lock') || present.has(name.slice(0, -'.lock'.length))) continue;
    const file = path.join(dir, name.slice(0, -'.lock'.length));
    if (!(await lockIsLive(file))) await unlink(`${file}.lock`).catch(ignoreMissing);
  }
}

/** Owner tokens of the journals this process holds open. */
const liveOwners = new Set<string>();

const LockSchema = z.object({ pid: z.number().int(), owner: z.string() });

/** Creates `<file>.lock` if nobody holds it; answers the new owner token, or undefined. */
async function lock(file: string): Promise<string | undefined> {
  const owner = randomUUID();
  let handle: FileHandle;
  try {
    handle = await open(`${file}.lock`, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify({ pid: process.pid, owner }));
  } finally {
    await handle.close();
  }
  liveOwners.add(owner);
  return owner;
}

async function lockIsLive(file: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(`${file}.lock`, 'utf8');
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Written by an owner that died between creating the lock and filling it in.
    return false;
  }
  const parsed = LockSchema.safeParse(json);
  if (!parsed.success) return false;
  const { pid, owner } = parsed.data;
  if (pid === process.pid) return liveOwners.has(owner);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function ignoreMissing(error: unknown): void {
  if (!isMissing(error)) throw error;
}
