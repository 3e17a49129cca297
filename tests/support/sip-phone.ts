/**
 * A real SIP phone for the suites: Debian's baresip, driven over its `ctrl_tcp` control socket.
 * It dials livekit-sip (or is dialled by it), plays WAV files as the caller's voice, sends DTMF,
 * and records what it hears (the `sndfile` module) so a suite can transcribe the agent offline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { EventEmitter, once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/lib/readiness.js';
import { encodeWav, type Pcm } from './wav.js';

export type PhoneCodec = 'G722' | 'PCMU';

type Incoming = 'answer' | 'ring' | 'busy';

export interface SipPhoneOptions {
  /** The phone's own number (its SIP user): the caller id livekit-sip sees, E.164. */
  number: string;
  /** G.722 (16 kHz, what offline speech recognition needs) or PCMU (8 kHz, the PSTN's G.711). */
  codec?: PhoneCodec;
  /** How the phone treats incoming calls: answer at once, ring without answering, or refuse busy. */
  incoming?: Incoming;
  /**
   * Further numbers this user agent takes calls for, each its own account treating its calls its
   * own way (the extensions of a small PBX behind one trunk). baresip gives a call to the account
   * whose number is the user of the INVITE's request URI.
   */
  extensions?: readonly { number: string; incoming: Incoming }[];
  /** Digest credentials the phone presents when the far end challenges it. */
  auth?: { username: string; password: string };
  /** The loopback address the phone calls from (`127.0.0.2` is a host the trunks do not allow). */
  host?: string;
  /** Where baresip's own output goes (one line at a time); dropped by default. */
  onLine?: (line: string) => void;
}

/** One baresip event (`CALL_RINGING`, `CALL_ESTABLISHED`, `CALL_CLOSED`, `CALL_INCOMING`…). */
export interface PhoneEvent {
  type: string;
  /** When this process received it (`Date.now()`). */
  at: number;
  param?: string;
  peeruri?: string;
  [key: string]: unknown;
}

const MODULES = ['account.so', 'menu.so', 'ctrl_tcp.so', 'aufile.so', 'sndfile.so'];
/** Only the codec's own module is loaded: `audio_codecs` alone did not keep G.722 out of offers. */
const CODEC_MODULES: Record<PhoneCodec, string> = { G722: 'g722.so', PCMU: 'g711.so' };

/** Netstrings (`<length>:<payload>,`), the framing of baresip's control socket. */
function* netstrings(buffer: { data: string }): Generator<string> {
  for (;;) {
    const colon = buffer.data.indexOf(':');
    if (colon < 0) return;
    const length = Number(buffer.data.slice(0, colon));
    if (buffer.data.length < colon + 1 + length + 1) return;
    yield buffer.data.slice(colon + 1, colon + 1 + length);
    buffer.data = buffer.data.slice(colon + 1 + length + 1);
  }
}

export class SipPhone extends EventEmitter {
  readonly number: string;
  /** `127.0.0.1:<port>`: where livekit-sip reaches this phone (an outbound trunk's address). */
  readonly address: string;
  /** What the phone heard: one WAV per call, at the codec's rate. */
  readonly recordings: string;
  readonly events: PhoneEvent[] = [];
  private control?: Socket;
  private token = 0;
  /** baresip's last lines of output, for the error when it fails to start. */
  private readonly outputTail: string[] = [];
  private readonly pending = new Map<string, (reply: Record<string, unknown>) => void>();

  private constructor(
    private readonly options: SipPhoneOptions,
    private readonly dir: string,
    private readonly child: ChildProcess,
    private readonly sipPort: number,
    private readonly ctrlPort: number,
  ) {
    super();
    this.number = options.number;
    this.address = `${options.host ?? '127.0.0.1'}:${sipPort}`;
    this.recordings = path.join(dir, 'recordings');
  }

  /** Starts baresip with a config of its own in a temporary folder. */
  static async start(options: SipPhoneOptions): Promise<SipPhone> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-phone-'));
    const host = options.host ?? '127.0.0.1';
    // baresip binds its SIP port for UDP and TCP and the next one for TLS, and exits when it
    // cannot bind them; RTP is UDP. A port free for TCP may still be held by another phone's or
    // WebRTC's UDP socket, so every port is checked for both.
    const [sipPort, ctrlPort, rtpPort] = [
      await freePorts(host, 2),
      await freePort('127.0.0.1'),
      await freePorts(host, RTP_PORTS),
    ];
    const codec = options.codec ?? 'G722';
    const incoming = options.incoming ?? 'answer';
    await mkdir(path.join(dir, 'recordings'));
    const silence = path.join(dir, 'silence.wav');
    // baresip ends the call when its audio source reaches the end of its file.
    await writeFile(
      silence,
      encodeWav({
        sampleRate: phoneRate(codec),
        samples: new Int16Array(phoneRate(codec) * HOLD_SECONDS),
      }),
    );
    const config = [
      'poll_method epoll',
      `sip_listen ${host}:${sipPort}`,
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      'module_path /usr/lib/baresip/modules',
      ...[...MODULES, CODEC_MODULES[codec]].map((m) => `module ${m}`),
      `audio_source aufile,${silence}`,
      'audio_player aufile,/dev/null',
      `audio_codecs ${codec === 'G722' ? 'G722/16000/1' : 'PCMU/8000/1'}`,
      `snd_path ${path.join(dir, 'recordings')}`,
      // Room for a second call: a transfer (REFER) makes one while the first still holds its ports.
      `rtp_ports ${rtpPort}-${rtpPort + RTP_PORTS - 1}`,
      'audio_buffer 20-160',
      'call_max_calls 4',
      '',
    ].join('\n');
    const auth = options.auth
      ? `;auth_user=${options.auth.username};auth_pass=${options.auth.password}`
      : '';
    const accountOf = (number: string, mode: Incoming) =>
      `<sip:${number}@${host}>${auth};regint=0;answermode=${mode === 'answer' ? 'auto' : 'manual'}\n`;
    const account = [
      accountOf(options.number, incoming),
      ...(options.extensions ?? []).map((e) => accountOf(e.number, e.incoming)),
    ].join('');
    await writeFile(path.join(dir, 'config'), config);
    await writeFile(path.join(dir, 'accounts'), account);
    await writeFile(path.join(dir, 'contacts'), '');
    const child = spawn('baresip', ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const onLine = options.onLine ?? (() => undefined);
    const phone = new SipPhone(options, dir, child, sipPort, ctrlPort);
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) =>
        chunk.split('\n').forEach((line) => {
          if (!line) return;
          phone.outputTail.push(line);
          if (phone.outputTail.length > 20) phone.outputTail.shift();
          onLine(line);
        }),
      );
    }
    await phone.connect();
    return phone;
  }

  private async connect(): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (this.child.exitCode !== null) {
        throw new Error(`baresip exited while starting: ${this.outputTail.join(' | ')}`);
      }
      try {
        const socket = new Socket();
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.connect(this.ctrlPort, '127.0.0.1', () => resolve());
        });
        this.control = socket;
        break;
      } catch {
        if (Date.now() > deadline) throw new Error('baresip control socket never opened');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const buffer = { data: '' };
    this.control.setEncoding('utf8');
    this.control.on('data', (chunk: string) => {
      buffer.data += chunk;
      for (const message of netstrings(buffer)) this.handle(JSON.parse(message));
    });
  }

  private handle(message: Record<string, unknown>): void {
    if (message.response === true && typeof message.token === 'string') {
      this.pending.get(message.token)?.(message);
      this.pending.delete(message.token);
      return;
    }
    if (message.event === true) {
      const event = { ...message, at: Date.now() } as unknown as PhoneEvent;
      this.events.push(event);
      this.emit('event', event);
      if (event.type === 'CALL_INCOMING' && this.incomingOf(event) === 'busy') {
        void this.hangupLine(this.numberOf(event));
      }
    }
  }

  /** Runs one baresip command (`dial`, `hangup`, `sndcode`, `ausrc`…) and answers its output. */
  async command(command: string, params?: string): Promise<string> {
    const [output = ''] = await this.commands([{ command, params }]);
    return output;
  }

  /**
   * Runs commands back to back: written in one piece, baresip reads them in one go and runs them
   * before it handles any other SIP message. A command that acts on "the current" user agent or
   * call (`hangup` after `uafind`) needs that: an INVITE for another account handled in between
   * makes that account the current one.
   */
  private async commands(list: readonly { command: string; params?: string }[]): Promise<string[]> {
    const frames = list.map(({ command, params }) => {
      const token = String(++this.token);
      const body = JSON.stringify({ command, params, token });
      const reply = new Promise<Record<string, unknown>>((resolve) =>
        this.pending.set(token, resolve),
      );
      return { command, reply, frame: `${Buffer.byteLength(body)}:${body},` };
    });
    this.control?.write(frames.map((f) => f.frame).join(''));
    const outputs: string[] = [];
    for (const { command, reply } of frames) {
      const answer = await reply;
      if (answer.ok === false) throw new Error(`baresip ${command}: ${String(answer.data)}`);
      outputs.push(String(answer.data ?? ''));
    }
    return outputs;
  }

  /** Waits for an event of `type` (the next one after `after` events, all of them by default). */
  async waitFor(type: string, timeoutMs = 30_000, after = 0): Promise<PhoneEvent> {
    const seen = this.events.slice(after).find((e) => e.type === type);
    if (seen) return seen;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('event', onEvent);
        const types = this.events.map((e) => e.type).join(', ');
        reject(new Error(`${this.number}: no ${type} within ${timeoutMs} ms (saw: ${types})`));
      }, timeoutMs);
      const onEvent = (event: PhoneEvent) => {
        if (event.type !== type) return;
        clearTimeout(timer);
        this.off('event', onEvent);
        resolve(event);
      };
      this.on('event', onEvent);
    });
  }

  /** Calls `number` at livekit-sip's `address`; resolves with when the INVITE went out. */
  async dial(number: string, address: string): Promise<number> {
    const sentAt = Date.now();
    await this.command('dial', `sip:${number}@${address}`);
    return sentAt;
  }

  /** Answers a ringing incoming call (phones started with `incoming: 'ring'`). */
  async answer(): Promise<void> {
    await this.command('accept');
  }

  /**
   * Starts saying `speech` at once, resampled to the codec's rate (16 kHz for G.722, 8 kHz for
   * PCMU) and followed by silence: baresip hangs up when its source file ends.
   */
  async say(speech: Pcm): Promise<void> {
    const rate = phoneRate(this.options.codec ?? 'G722');
    const samples = resampleLinear(speech, rate);
    const padded = new Int16Array(samples.length + rate * HOLD_SECONDS);
    padded.set(samples);
    const file = path.join(this.dir, `say-${++this.token}.wav`);
    await writeFile(file, encodeWav({ sampleRate: rate, samples: padded }));
    await this.command('ausrc', `aufile,${file}`);
  }

  /** Sends keypad digits (RFC 4733 telephone events), e.g. `1234#`. */
  async sendDigits(digits: string): Promise<void> {
    for (const digit of digits) {
      await this.command('sndcode', digit);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async hangup(): Promise<void> {
    await this.command('hangup').catch(() => undefined);
  }

  /** Hangs up the call of one of the phone's numbers (its own or an extension's). */
  async hangupLine(number: string): Promise<void> {
    const host = this.address.slice(0, this.address.lastIndexOf(':'));
    await this.commands([
      { command: 'uafind', params: `sip:${number}@${host}` },
      { command: 'hangup' },
    ]).catch(() => undefined);
  }

  /** The number (the phone's own or an extension's) an event of a call is for. */
  numberOf(event: PhoneEvent): string {
    const aor = typeof event.accountaor === 'string' ? event.accountaor : '';
    return /^sip:([^@]+)@/.exec(aor)?.[1] ?? this.number;
  }

  /** The events of the calls to one of the phone's numbers. */
  eventsOf(number: string): PhoneEvent[] {
    return this.events.filter((e) => this.numberOf(e) === number);
  }

  private incomingOf(event: PhoneEvent): Incoming {
    const number = this.numberOf(event);
    const extension = this.options.extensions?.find((e) => e.number === number);
    return extension?.incoming ?? this.options.incoming ?? 'answer';
  }

  /** The WAV files recorded so far: what this phone heard from the far end, one per call. */
  async heard(): Promise<string[]> {
    return this.recorded('dec');
  }

  /**
   * What this phone sent, one WAV per call, on the same clock as `heard()`: both files start
   * when the call's audio starts.
   */
  async said(): Promise<string[]> {
    return this.recorded('enc');
  }

  private async recorded(direction: 'enc' | 'dec'): Promise<string[]> {
    if (!existsSync(this.recordings)) return [];
    const files = (await readdir(this.recordings)).sort();
    return files
      .filter((f) => f.endsWith(`-${direction}.wav`))
      .map((f) => path.join(this.recordings, f));
  }

  /** Hangs up, quits over the control socket (SIGTERM while ringing dumps core), cleans up. */
  async stop({ keep = false } = {}): Promise<void> {
    if (this.child.exitCode === null) {
      await this.hangup();
      const exited = once(this.child, 'exit');
      await this.command('quit').catch(() => undefined);
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    this.control?.destroy();
    if (!keep) await rm(this.dir, { recursive: true, force: true });
  }
}

/** Longest a phone stays silent (or a spoken line's tail lasts) before baresip hangs up. */
const HOLD_SECONDS = 300;

function phoneRate(codec: PhoneCodec): number {
  return codec === 'G722' ? 16_000 : 8_000;
}

/** Linear-interpolation resampling: enough for test speech into a phone codec's rate. */
export function resampleLinear({ sampleRate, samples }: Pcm, rate: number): Int16Array {
  if (sampleRate === rate) return samples;
  const out = new Int16Array(Math.floor((samples.length * rate) / sampleRate));
  for (let i = 0; i < out.length; i++) {
    const x = (i * sampleRate) / rate;
    const j = Math.floor(x);
    const a = samples[j] ?? 0;
    const b = samples[j + 1] ?? a;
    out[i] = Math.round(a + (b - a) * (x - j));
  }
  return out;
}

/** RTP ports each phone gets: room for a second call while a transfer (REFER) is made. */
const RTP_PORTS = 20;

/** The first of `count` consecutive ports that are each free for both UDP and TCP. */
async function freePorts(host: string, count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await freePort(host);
    if (first + count > 65_536) continue;
    const ports = Array.from({ length: count }, (_, i) => first + i);
    const free = await Promise.all(
      ports.map(async (port) => (await udpFree(host, port)) && (await tcpFree(host, port))),
    );
    if (free.every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free UDP and TCP ports on ${host}`);
}

function udpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

function tcpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
