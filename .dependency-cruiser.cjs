/**
 * What may import what (docs/architecture.md). `npm test` runs this before any suite:
 * - a package reaches another only through its package name, never into its `src/` by a relative
 *   path;
 * - no import cycles, type-only imports included (a cycle of types points at a misplaced type);
 * - the contracts import nothing but zod; a deployed agent or widget never imports the server;
 * - product code never imports test harnesses.
 */
const PACKAGE = '^(server/contracts|server|agent|widget|demo|sip|tests/fakes|tests|scripts)/';

module.exports = {
  forbidden: [
    {
      name: 'no-reach-into-sibling-src',
      comment: "Import a sibling package by its name (its package.json exports), not by '../../'.",
      severity: 'error',
      from: { path: PACKAGE },
      to: {
        dependencyTypes: ['local'],
        path: '^(server/contracts|server|agent|widget|demo|sip|tests/fakes)/src/',
        pathNot: '^$1/',
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'contracts-need-only-zod',
      comment: '@parley/contracts is shared by every process: zod and nothing else.',
      severity: 'error',
      from: { path: '^server/contracts/src/', pathNot: '\\.test\\.ts$' },
      to: { pathNot: ['^server/contracts/src/', 'node_modules/.*zod/'] },
    },
    {
      name: 'agent-and-widget-never-import-the-server',
      comment:
        'A deployed worker or page never installs the server (its tests may use its harness).',
      severity: 'error',
      from: { path: '^(agent|widget)/src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^server/(src|test)/' },
    },
    {
      name: 'product-code-never-imports-test-harnesses',
      severity: 'error',
      from: {
        path: '^(server/contracts|server|agent|widget|demo|sip)/src/',
        pathNot: '\\.test\\.ts$',
      },
      to: { path: ['^[^/]+/test/', '^tests/', '\\.test\\.ts$', '\\.fixture\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)node_modules/', '(^|/)dist/', '^\\.tools/', '^tests/artifacts/'] },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
