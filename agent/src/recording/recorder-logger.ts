import { log, loggerOptions } from '@livekit/agents';

/** The subset of a logger call recording uses (pino's, as LiveKit Agents' `log()` gives). */
export interface RecorderLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Until LiveKit Agents has set its logger up (`cli.runApp` does), lines go to stderr. */
const stderrLogger = (component: string): RecorderLogger => {
  const write = (level: string) => (obj: object, msg: string) =>
    process.stderr.write(`${JSON.stringify({ level, component, msg, ...obj })}\n`);
  return { info: write('info'), warn: write('warn'), error: write('error') };
};

/**
 * `given`, or LiveKit Agents' logger for `component`, looked up when a line is written: the
 * framework's logger only exists once the worker has initialised it, and the spool flusher may
 * start before that.
 */
export function recorderLogger(given: RecorderLogger | undefined, component: string) {
  const target = (): RecorderLogger =>
    given ?? (loggerOptions() ? log().child({ component }) : stderrLogger(component));
  return {
    info: (obj: object, msg: string) => target().info(obj, msg),
    warn: (obj: object, msg: string) => target().warn(obj, msg),
    error: (obj: object, msg: string) => target().error(obj, msg),
  } satisfies RecorderLogger;
}
