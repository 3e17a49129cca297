import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The agent package's directory. This file sits at the top of `src/`, as the built bundle
 * (`dist/worker.js`, scripts/lib/build-node.ts) and its chunks sit at the top of `dist/`, so the
 * same relative URL finds the package from the sources and from the bundle. Paths to files
 * beside the code (the native shims, the repository's tools and spool) start here, never from a
 * deeper module.
 */
export const AGENT_DIR = fileURLToPath(new URL('../', import.meta.url));

/** The repository checkout the agent runs from. */
export const REPO_ROOT = path.resolve(AGENT_DIR, '..');
