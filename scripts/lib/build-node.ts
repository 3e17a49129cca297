/**
 * Builds the Node processes the stack runs — the Parley server and the agent worker — into one
 * JavaScript bundle each (`server/dist/main.js`, `agent/dist/worker.js`), so nothing compiles
 * TypeScript at run time. That matters most for the agent: LiveKit Agents starts a process per
 * call, and each imported the worker through tsx (≈ 3.7 CPU-s; the bundle ≈ 1.8 CPU-s).
 *
 * Workspace packages (`@parley/*`, TypeScript sources) are bundled in; every other package stays
 * an import from node_modules, as installed. A bundle sits at the top of its package's `dist/`,
 * level with `src/package-dir.ts`, which is how the code finds files beside it. Takes well under
 * a second, so every stack start rebuilds; a bundle is written to a temporary name and renamed, so
 * stacks starting side by side never read a half-written one. The source map lets
 * `node --enable-source-maps` name the TypeScript lines in stack traces.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { REPO_ROOT } from './stack-config.js';

/** The bundles: entry point → output, relative to the repository. */
export const NODE_BUNDLES = {
  server: { entry: 'server/src/main.ts', out: 'server/dist/main.js' },
  agent: { entry: 'agent/src/worker.ts', out: 'agent/dist/worker.js' },
} as const;

/** Leaves every bare import but the workspace's own packages to Node's resolution at run time. */
const installedPackagesExternal: Plugin = {
  name: 'installed-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@parley/') ? undefined : { path: args.path, external: true },
    );
  },
};

export async function buildNodeBundles(): Promise<void> {
  await Promise.all(
    Object.values(NODE_BUNDLES).map(async ({ entry, out }) => {
      const outfile = path.join(REPO_ROOT, out);
      const result = await build({
        entryPoints: [path.join(REPO_ROOT, entry)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: 'linked',
        write: false,
        logLevel: 'warning',
        plugins: [installedPackagesExternal],
      });
      await mkdir(path.dirname(outfile), { recursive: true });
      // The map first: the bundle names it, so it must be in place when the bundle is.
      const isMap = (file: { path: string }) => file.path.endsWith('.map');
      const files = result.outputFiles;
      for (const file of [...files.filter(isMap), ...files.filter((f) => !isMap(f))]) {
        const temp = `${file.path}.${process.pid}.tmp`;
        await writeFile(temp, file.contents);
        await rename(temp, file.path);
      }
    }),
  );
}
