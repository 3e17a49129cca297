import { defineConfig } from 'vite';

/** Where `pnpm dev` runs the Parley server; the dev server forwards the API and widget to it. */
const parleyServer = process.env['PARLEY_SERVER_URL'] ?? 'http://127.0.0.1:8787';

/**
 * The demo page, built to `dist/` and served by the Parley server at `/`. The widget is not bundled:
 * index.html loads `/widget/parley-voice.js` (marked `vite-ignore`) exactly as an embedding site
 * would, so this build works before the widget is built.
 */
export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: {
      '/widget': parleyServer,
      '/v1': parleyServer,
    },
  },
});
