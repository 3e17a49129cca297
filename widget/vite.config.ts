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

interface SyntaxNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function isNode(value: unknown): value is SyntaxNode {
  return (
    typeof value === 'object' && value !== null && typeof Reflect.get(value, 'type') === 'string'
  );
}

function children(node: SyntaxNode): SyntaxNode[] {
  return Object.values(node).flatMap((value) =>
    Array.isArray(value) ? value.filter(isNode) : isNode(value) ? [value] : [],
  );
}

/** livekit-client's loggers: `log`, `livekitLogger`, `this.log`, `this.iceLog`, `this.statsLog`. */
const LOGGER_NAMES = new Set(['log', 'livekitLogger', 'iceLog', 'statsLog']);

/** `<logger>.debug(…)` and `<logger>.trace(…)` calls whose arguments change nothing. */
function debugLogCalls(root: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const visit = (node: SyntaxNode): void => {
    if (isDebugLogCall(node)) found.push(node);
    else children(node).forEach(visit);
  };
  visit(root);
  // from the end, so slicing the code by the earlier positions still works
  return found.sort((a, b) => b.start - a.start);
}

function isDebugLogCall(node: SyntaxNode): boolean {
  if (node.type !== 'CallExpression' || !isNode(node['callee'])) return false;
  const callee = node['callee'];
  if (callee.type !== 'MemberExpression' || callee['computed'] !== false) return false;
  const method = callee['property'];
  const logger = callee['object'];
  if (!isNode(method) || !['debug', 'trace'].includes(String(method['name']))) return false;
  if (!isNode(logger)) return false;
  const loggerName =
    logger.type === 'Identifier'
      ? logger['name']
      : logger.type === 'MemberExpression' && isNode(logger['property'])
        ? logger['property']['name']
        : undefined;
  if (!LOGGER_NAMES.has(String(loggerName))) return false;
  // keep a call whose arguments do something (the compiled `_a = x` of `x?.y` is only a temporary)
  const args = Array.isArray(node['arguments']) ? node['arguments'].filter(isNode) : [];
  return !args.some(hasEffect);
}

function hasEffect(node: SyntaxNode): boolean {
  if (['UpdateExpression', 'AwaitExpression', 'YieldExpression'].includes(node.type)) return true;
  if (node.type === 'AssignmentExpression') {
    const target = node['left'];
    if (!isNode(target) || target.type !== 'Identifier' || !/^_[a-z]$/.test(String(target['name'])))
      return true;
  }
  return children(node).some(hasEffect);
}

/**
 * Blanks out livekit-client's `debug` and `trace` log calls (~170 of them, ~3 kB gzip of message
 * strings and log contexts) before minification. Its logger runs at `info` in this bundle and the
 * widget offers no way to lower it, so these calls never print; the cut keeps the element within
 * its size budget. Blanking (spaces, newlines kept) leaves every position unchanged, so the
 * source map stays right.
 */
function stripLiveKitDebugLogs(): Plugin {
  return {
    name: 'parley-strip-livekit-debug-logs',
    transform(code, id) {
      if (!/[\\/]livekit-client[\\/]dist[\\/].*\.m?js$/.test(id)) return null;
      let stripped = code;
      for (const { start, end } of debugLogCalls(this.parse(code) as unknown as SyntaxNode)) {
        const blank = 'void 0' + code.slice(start + 6, end).replace(/[^\n]/g, ' ');
        stripped = stripped.slice(0, start) + blank + stripped.slice(end);
      }
      return { code: stripped, map: null };
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
    plugins: [minifyCssLiterals(), stripLiveKitDebugLogs()],
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
