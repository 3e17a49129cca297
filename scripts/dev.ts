/**
 * `npm run dev`: builds the widget and demo, starts the whole stack on loopback with the offline
 * defaults, prints the URL to open, and stops everything on Ctrl-C or when one component dies.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { NotReadyError } from './lib/readiness.js';
import { DEFAULT_PORTS, PortBusyError, REPO_ROOT, startStack, type Stack } from './lib/stack.js';
import { linePrinter } from './lib/processes.js';

const printers = new Map<string, (line: string) => void>();
const print = (name: string, line: string) => {
  let printer = printers.get(name);
  if (!printer) printers.set(name, (printer = linePrinter(name)));
  printer(line);
};

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`${name}=${raw} is not a port number`);
    process.exit(1);
  }
  return port;
}

function build(): void {
  print('build', 'building the widget and the demo page…');
  const pnpm = path.join(REPO_ROOT, '.tools/pnpm/node_modules/.bin/pnpm');
  const result = spawnSync(
    pnpm,
    ['--filter', '@parley/widget', '--filter', '@parley/demo', 'build'],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function main(): Promise<void> {
  build();
  const ports = {
    ...DEFAULT_PORTS,
    server: portFromEnv('PORT', DEFAULT_PORTS.server),
    livekit: portFromEnv('PARLEY_LIVEKIT_PORT', DEFAULT_PORTS.livekit),
    redis: portFromEnv('PARLEY_REDIS_PORT', DEFAULT_PORTS.redis),
  };
  print('parley', 'starting Redis, livekit-server, livekit-sip, the server and the agent worker…');
  let stack: Stack;
  try {
    stack = await startStack({
      ports,
      stateDir: path.join(REPO_ROOT, '.parley'),
      onLine: print,
      environment: 'development',
    });
  } catch (err) {
    if (err instanceof PortBusyError || err instanceof NotReadyError) {
      print('parley', err.message);
      process.exit(1);
    }
    throw err;
  }

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    print('parley', 'stopping…');
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  void stack.firstExit.then((name) => {
    if (stopping) return;
    print('parley', `${name} exited; stopping the rest`);
    void shutdown(1);
  });

  const banner = [
    '',
    '  Parley is running (offline default: PocketSphinx STT, scripted responder, Flite TTS).',
    '',
    `  Open:       ${stack.url}/`,
    `  Studio:     ${stack.url}/#key=${stack.secrets.adminKey}   (signed in as admin)`,
    `  Admin key:  ${stack.secrets.adminKey}`,
    `  LiveKit:    ${stack.livekitUrl}`,
    `  SIP:        sip:<number>@${stack.sipAddress}   (assign numbers in the studio; sip/README.md)`,
    '',
    '  Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${banner.join('\n')}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
