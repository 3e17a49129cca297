import type { Persona } from '@parley/contracts';
import { recorderLogger } from '../recording/recorder-logger.js';
import type { CallControls, PersonaTool } from './tool-deps.js';

/**
 * The persona's filler lines for one call, taken in turn, so that a caller who waits on several
 * slow tools hears different lines.
 */
export class FillerLines {
  #next = 0;

  constructor(
    readonly filler: Persona['filler'],
    private readonly controls: Pick<CallControls, 'say'>,
    private readonly logger = recorderLogger(undefined, 'tools'),
  ) {}

  /** Says the next line; a failure to speak is logged, never thrown into the tool. */
  sayNext(tool: string): void {
    const line = this.filler.lines[this.#next++ % this.filler.lines.length];
    if (line === undefined) return;
    this.controls.say(line).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ tool, error: reason }, 'the filler line could not be spoken');
    });
  }
}

/**
 * `tool`, saying one filler line when a call of it has not finished after the persona's
 * `filler.afterMs`, so the caller is not left in silence while it works.
 */
export function withFiller<T extends PersonaTool>(tool: T, lines: FillerLines): T {
  const execute: T['execute'] = async (args, opts) => {
    const timer = setTimeout(() => lines.sayNext(tool.name), lines.filler.afterMs);
    try {
      return await tool.execute(args, opts);
    } finally {
      clearTimeout(timer);
    }
  };
  return { ...tool, execute };
}
