/**
 * Test support: the smallest agent a LiveKit Agents process pool can start (its job processes
 * import this file and wait), for livekit-agents-patch.test.ts's pool.
 */
import { defineAgent } from '@livekit/agents';

export default defineAgent({ entry: async () => undefined });
