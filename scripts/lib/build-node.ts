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
 *
 * Code splitting keeps a dynamic `import()` lazy: what the code loads on demand (the cloud engines
 * and their LiveKit plugins) goes into a `chunk-<hash>.js` beside the bundle, imported only when
 * used, instead of being hoisted into the bundle's own imports. Chunks are named by their content,
 * so stacks building side by side write the same files; chunks of older builds are left in `dist/`.
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
        outdir: path.dirname(outfile),
        entryNames: path.basename(outfile, '.js'),
        splitting: true,
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
      // Maps first, then chunks, the bundle last: each must be in place when what names it is.
      const rank = (file: { path: string }) =>
        file.path.endsWith('.map') ? 0 : file.path === outfile ? 2 : 1;
      const files = [...result.outputFiles].sort((a, b) => rank(a) - rank(b));
      for (const file of files) {
        const temp = `${file.path}.${process.pid}.tmp`;
        await writeFile(temp, file.contents);
        await rename(temp, file.path);
      }
    }),
  );
}
