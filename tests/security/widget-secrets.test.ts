/**
 * Nothing secret ships to browsers: every built file of the widget and the demo (as built by the
 * test command before the suites run) and every one of them as the running server serves it is
 * scanned for the stack's own secrets and for anything shaped like a credential. The scanner is
 * first shown to find each kind of secret planted in a copy of the build.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  filesUnder,
  scanDir,
  scanText,
  secretRules,
  type SecretFinding,
} from '../support/security-secret-scan.js';
import { testStack, type TestStack } from '../support/stack-env.js';

const REPO = path.resolve(import.meta.dirname, '../..');
/** Each build, the entry it must hold, and where the server serves it from. */
const BUILDS = [
  { name: 'widget', dir: path.join(REPO, 'widget/dist'), entry: 'parley.js', served: '/widget/' },
  { name: 'demo', dir: path.join(REPO, 'demo/dist'), entry: 'index.html', served: '/' },
] as const;

let stack: TestStack;
let rules: ReturnType<typeof secretRules>;
const temps: string[] = [];

before(async () => {
  stack = await testStack();
  rules = secretRules({ ...stack.secrets });
});

after(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
  await stack.release();
});

const describeFindings = (findings: SecretFinding[]) =>
  findings.map((f) => `${f.file} @${f.at}: ${f.rule}`).join('\n');

describe('no secret in any built widget or demo file', () => {
  test('the scanner finds every kind of secret planted in a copy of the widget build, and flags nothing else', async () => {
    const copy = await mkdtemp(path.join(os.tmpdir(), 'parley-secret-scan-'));
    temps.push(copy);
    await cp(BUILDS[0].dir, copy, { recursive: true });
    const loader = path.join(copy, 'parley.js');
    const original = await readFile(loader, 'utf8');
    await writeFile(loader, `${original}\nconst k=${JSON.stringify(stack.secrets.adminKey)};`);
    const pem = ['-----BEGIN', 'PRIVATE KEY-----'].join(' ');
    await writeFile(
      path.join(copy, 'planted.js'),
      [
        `const agent = "${stack.secrets.agentKey}";`,
        `// LIVEKIT_API_SECRET=${'x'.repeat(12)}`,
        `const env = { "OPENAI_API_KEY": "${'y'.repeat(16)}" };`,
        `/* ${pem}\nMIIE... */`,
        `const openai = "sk-proj-${'a1'.repeat(12)}";`,
        `const tenant = "parley_${'b2'.repeat(16)}";`,
        `const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ2aXNpdG9yIn0.${'c3'.repeat(16)}";`,
        // Names alone (documentation, UI text) are not secrets.
        'const help = "Set PARLEY_ADMIN_KEY in the environment, never in a page.";',
      ].join('\n'),
    );
    const findings = await scanDir(copy, rules);
    const report = describeFindings(findings);
    const inLoader = findings.filter((f) => f.file === 'parley.js');
    assert.ok(
      inLoader.some((f) => f.rule === 'stack secret adminKey'),
      report,
    );
    assert.ok(
      inLoader.every((f) => f.at > original.length),
      `only the planted key is flagged in parley.js\n${report}`,
    );
    assert.deepEqual(
      findings
        .filter((f) => f.file !== 'parley.js')
        .map((f) => `${f.file}: ${f.rule}`)
        .sort(),
      [
        'planted.js: OpenAI-style key (sk-...)',
        // The agent key and the tenant key.
        'planted.js: Parley key',
        'planted.js: Parley key',
        'planted.js: private key (PEM)',
        'planted.js: secret environment variable with a value',
        'planted.js: secret environment variable with a value',
        'planted.js: signed JWT (a baked-in token)',
        'planted.js: stack secret agentKey',
      ],
      report,
    );
  });

  for (const build of BUILDS) {
    test(`every file of the ${build.name} build is free of secrets`, async () => {
      const files = await filesUnder(build.dir);
      assert.ok(
        files.includes(build.entry),
        `${build.dir} holds no ${build.entry}: build it first`,
      );
      const findings = await scanDir(build.dir, rules);
      assert.deepEqual(findings, [], describeFindings(findings));
    });

    test(`every file of the ${build.name} build, as the running server serves it, is free of secrets`, async () => {
      const findings: SecretFinding[] = [];
      for (const file of await filesUnder(build.dir)) {
        const res = await fetch(`${stack.url}${build.served}${file}`);
        assert.equal(res.status, 200, `${build.served}${file}`);
        findings.push(...scanText(`${build.served}${file}`, await res.text(), rules));
      }
      assert.deepEqual(findings, [], describeFindings(findings));
    });
  }
});
