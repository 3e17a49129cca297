import { defineConfig, type Plugin, type UserConfig } from 'vite';

/**
 * Squeezes the whitespace and comments out of the CSS template literals of the style modules
 * (`*.styles.ts`, `launcher-look.ts`), which neither esbuild nor Lit minify. Worth ~0.5 kB gzip
 * against the size budget.
 */
function minifyCssLiterals(): Plugin {
  return {
    name: 'parley-minify-css-literals',
    enforce: 'pre',
    transform(code, id) {
      if (!/(\.styles|launcher-look)\.ts$/.test(id)) return null;
      const minified = code.replace(/`[^`]*`/g, (literal) =>
        literal
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/ ?([{};,]) ?/g, '$1'),
      );
      return { code: minified, map: null };
    },
  };
}

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
    plugins: [minifyCssLiterals()],
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
