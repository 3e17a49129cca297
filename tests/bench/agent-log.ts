import { readFile } from 'node:fs/promises';

/** One JSON record the agent wrote (pino): what the benchmarks read of it. */
export type AgentLogRecord = Record<string, unknown> & { msg?: string; time?: number };

/**
 * The agent's JSON log records in a stack's log (`startLoggedStack` prefixes each line with its
 * component, `[agent] `), in order; the agent's other lines are skipped.
 */
export async function agentLogRecords(logFile: string): Promise<AgentLogRecord[]> {
  const records: AgentLogRecord[] = [];
  for (const line of (await readFile(logFile, 'utf8')).split('\n')) {
    if (!line.startsWith('[agent] {')) continue;
    try {
      records.push(JSON.parse(line.slice(line.indexOf('{'))) as AgentLogRecord);
    } catch {
      // not a log record
    }
  }
  return records;
}
