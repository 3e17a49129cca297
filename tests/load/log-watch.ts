/**
 * Reads the stack's log lines as they pass: counts errors per component (keeping the first few
 * distinct messages) and the agent's own signs of an overloaded machine.
 */

const ERROR_LINE = /"level":(?:5\d|6\d)\b|"level":"(?:error|fatal)"|\tERROR\t/;
const MAX_SAMPLES = 5;

/** Log lines that say the CPU could not keep up, with the figure they carry (if any). */
const SATURATION_SIGNALS: Record<string, { pattern: RegExp; figure?: RegExp }> = {
  // Silero's VAD fell behind the audio it is given; `delay` is how far behind (ms).
  vadSlowerThanRealtime: {
    pattern: /VAD inference is slower than realtime/,
    figure: /"delay":(\d+(?:\.\d+)?)/,
  },
  // The turn was committed before PocketSphinx's transcript came in (logged once per call).
  transcriptAfterCommit: { pattern: /transcript arrives after turn has been committed/ },
  jobUnresponsive: { pattern: /job (?:executor )?is unresponsive/ },
};

export interface SignalCount {
  lines: number;
  /** The largest figure the lines carried (e.g. the VAD's delay in ms). */
  maxFigure?: number;
}

export interface LogSummary {
  errors: Record<string, number>;
  errorSamples: Record<string, string[]>;
  saturation: Record<string, SignalCount>;
}

export class LogWatch {
  private readonly summary: LogSummary = { errors: {}, errorSamples: {}, saturation: {} };

  see(component: string, line: string): void {
    if (ERROR_LINE.test(line)) {
      const { errors, errorSamples } = this.summary;
      errors[component] = (errors[component] ?? 0) + 1;
      const message = /"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 200);
      const samples = (errorSamples[component] ??= []);
      if (samples.length < MAX_SAMPLES && !samples.includes(message)) samples.push(message);
    }
    for (const [name, { pattern, figure }] of Object.entries(SATURATION_SIGNALS)) {
      if (!pattern.test(line)) continue;
      const count = (this.summary.saturation[name] ??= { lines: 0 });
      count.lines++;
      const value = figure && Number(figure.exec(line)?.[1]);
      if (value) count.maxFigure = Math.max(count.maxFigure ?? 0, value);
    }
  }

  result(): LogSummary {
    return structuredClone(this.summary);
  }
}
