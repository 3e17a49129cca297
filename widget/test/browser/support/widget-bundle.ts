import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const WIDGET = path.resolve(import.meta.dirname, '../../..');
const SOURCE = path.join(WIDGET, 'src');
const STAND_IN_LIVEKIT = path.join(WIDGET, 'test/browser/stand-in/livekit-client.ts');

/** `widget/src`'s imports of livekit-client get the stand-in module instead. */
const standInLiveKit: Plugin = {
  name: 'parley-stand-in-livekit',
  setup(bundle) {
    bundle.onResolve({ filter: /^livekit-client$/ }, ({ importer }) =>
      importer.startsWith(SOURCE + path.sep) ? { path: STAND_IN_LIVEKIT } : undefined,
    );
  },
};

/**
 * `<parley-voice>` bundled from source for the browser tier, as one ES module: the widget's
 * `src/index.ts` as shipped, with the stand-in LiveKit room (it plays the server and the agent)
 * in place of livekit-client's `Room`. Built in memory by esbuild in well under a second; the
 * shipped bundles (`vite build`) are not involved.
 */
export async function bundleWidgetWithStandInRoom(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(SOURCE, 'index.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    sourcemap: false,
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    minify: true,
    logLevel: 'silent',
    plugins: [standInLiveKit],
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no widget bundle');
  return output.text;
}
