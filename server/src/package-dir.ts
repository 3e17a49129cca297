import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server package's directory. This file sits at the top of `src/`, as the built bundle
 * (`dist/main.js`, scripts/lib/build-node.ts) and its chunks sit at the top of `dist/`, so the
 * same relative URL finds the package from the sources and from the bundle. Paths to files beside
 * the code (migrations, the built widget and demo) start here, never from a deeper module.
 */
export const SERVER_DIR = fileURLToPath(new URL('../', import.meta.url));

/** The repository checkout the server runs from. */
export const REPO_ROOT = path.resolve(SERVER_DIR, '..');
