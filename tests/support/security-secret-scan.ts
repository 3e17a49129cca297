import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One secret-looking thing in one file. Never quotes the secret itself: reports are logged. */
export interface SecretFinding {
  file: string;
  /** Which rule matched, e.g. `stack secret adminKey` or `private key (PEM)`. */
  rule: string;
  /** Where in the file (character offset). */
  at: number;
}

/** Environment variables whose values are secrets (the server's, the agent's, the providers'). */
const SECRET_ENV_NAMES = [
  'LIVEKIT_API_SECRET',
  'LIVEKIT_API_KEY',
  'PARLEY_ADMIN_KEY',
  'PARLEY_AGENT_KEY',
  'PARLEY_SECRETS_KEY',
  'PARLEY_SECRETS_OLD_KEYS',
  'DATABASE_URL',
  'OPENAI_API_KEY',
  'DEEPGRAM_API_KEY',
  'CARTESIA_API_KEY',
];

/** Shapes of credentials, whoever's they are. */
const KEY_SHAPES: readonly { rule: string; pattern: RegExp }[] = [
  {
    // `NAME=value`, `NAME: "value"`, `"NAME":"value"`: a name alone (in docs or UI text) is fine.
    rule: 'secret environment variable with a value',
    pattern: new RegExp(
      `\\b(?:${SECRET_ENV_NAMES.join('|')})\\b["']?\\s*[:=]\\s*["'\`]?[^\\s"'\`,;{}()]{8,}`,
      'g',
    ),
  },
  { rule: 'private key (PEM)', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/g },
  { rule: 'OpenAI-style key (sk-...)', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}/g },
  // The stack's admin and agent keys, and tenant API keys (server/src/storage/api-key-repo.ts).
  { rule: 'Parley key', pattern: /\b(?:pk_admin_|pk_agent_|parley_)[A-Za-z0-9_-]{20,}/g },
  {
    rule: 'signed JWT (a baked-in token)',
    pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/g,
  },
];

/** What to look for: the exact values of known secrets, by name, and every credential shape. */
export function secretRules(known: Record<string, string>): { rule: string; pattern: RegExp }[] {
  const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [
    ...Object.entries(known).map(([name, value]) => ({
      rule: `stack secret ${name}`,
      pattern: new RegExp(escape(value), 'g'),
    })),
    ...KEY_SHAPES,
  ];
}

/** Every finding of `rules` in one text. */
export function scanText(
  file: string,
  text: string,
  rules: readonly { rule: string; pattern: RegExp }[],
): SecretFinding[] {
  return rules.flatMap(({ rule, pattern }) =>
    [...text.matchAll(pattern)].map((match) => ({ file, rule, at: match.index })),
  );
}

/** Every file under `dir` (recursively), relative to it. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Every finding of `rules` in every file under `dir`, read as text (source maps included). */
export async function scanDir(
  dir: string,
  rules: readonly { rule: string; pattern: RegExp }[],
): Promise<SecretFinding[]> {
  const findings: SecretFinding[] = [];
  for (const file of await filesUnder(dir)) {
    findings.push(...scanText(file, await readFile(path.join(dir, file), 'utf8'), rules));
  }
  return findings;
}
