import { defineConfig, type UserConfig } from 'vite';

/**
 * Two bundles, built by two passes (`vite build` then `vite build --mode loader`) because they need
 * different formats:
 * - `dist/parley-voice.js`: the element with lit and livekit-client, one minified ES module;
 * - `dist/parley.js`: the script-tag loader, a classic script (it reads `document.currentScript`,
 *   which module scripts do not have) that imports `parley-voice.js` at run time.
 * The server mounts `dist/` at `/widget/`. Neither bundle uses eval, so a strict CSP can allow them.
 */
export default defineConfig(({ mode }): UserConfig => {
  const shared: UserConfig = {
    // lit and livekit-client pick their production code from this
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    // no browser runs standard decorators yet: esbuild must lower them before rollup parses the code
    esbuild: { target: 'es2022' },
  };

  if (mode === 'loader') {
    return {
      ...shared,
      build: {
        target: 'es2020',
        outDir: 'dist',
        // added to the element pass's output
        emptyOutDir: false,
        sourcemap: true,
        lib: {
          entry: 'src/loader.ts',
          formats: ['iife'],
          name: 'parleyLoader',
          fileName: () => 'parley.js',
        },
      },
    };
  }

  return {
    ...shared,
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: true,
      sourcemap: true,
      modulePreload: false,
      // livekit-client alone is ~150 kB gzip; the size budget is enforced by the test suite
      chunkSizeWarningLimit: 700,
      // not lib mode: lib mode keeps whitespace in ES output for downstream bundlers, but this
      // bundle is what browsers load
      rollupOptions: {
        input: 'src/index.ts',
        // keep the module's exports (classes, event types) for pages that import it
        preserveEntrySignatures: 'strict',
        output: { format: 'es', entryFileNames: 'parley-voice.js', inlineDynamicImports: true },
      },
    },
  };
});
