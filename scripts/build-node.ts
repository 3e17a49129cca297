/**
 * `pnpm --filter @parley/agent build` / `… @parley/server build`: bundles the server and the agent
 * worker into `server/dist/main.js` and `agent/dist/worker.js` (see lib/build-node.ts). The stack
 * does this by itself at every start.
 */
import { buildNodeBundles, NODE_BUNDLES } from './lib/build-node.js';

const started = performance.now();
await buildNodeBundles();
const outs = Object.values(NODE_BUNDLES).map((b) => b.out);
console.log(`built ${outs.join(' and ')} in ${Math.round(performance.now() - started)} ms`);
