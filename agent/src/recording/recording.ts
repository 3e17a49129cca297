import { voice } from '@livekit/agents';
import type { CallOutcome, LeadTemperature, TurnInput } from '@parley/contracts';
import { DEFAULT_RATES, estimateCostUsd, type RateCard } from './call-cost.js';
import { sleep, type CallRecorder, type CloseReport } from './call-recorder.js';
import { recorderLogger, type RecorderLogger } from './recorder-logger.js';
import { TurnBuilder, TurnMoments } from './turn-builder.js';

/** What the recording needs of an `AgentSession`. */
export type RecordedSession = Pick<voice.AgentSession, 'on' | 'off' | 'usage'>;

export interface CallInsightsDraft {
  summary?: string;
  leadTemperature?: LeadTemperature;
}

export interface AttachRecorderOptions {
  /** Prices for the cost estimate; {@link DEFAULT_RATES} unless given. */
  rates: RateCard;
  /**
   * Post-call analysis (summary, lead temperature) from the finished turns. A failure is
   * logged and never stops the close: the record then closes without them.
   */
  insights?: (turns: readonly TurnInput[]) => CallInsightsDraft | Promise<CallInsightsDraft>;
  /** How long the close waits for `insights`. */
  insightsTimeoutMs: number;
  logger?: RecorderLogger;
}

export interface CallRecording {
  /**
   * Overrides the outcome the close will report (e.g. `transferred` from a transfer tool).
   * Without it: `failed` when the session closed on an error, `abandoned` when the caller never
   * said anything, else `completed`. Undefined withdraws an override.
   */
  setOutcome(outcome: CallOutcome | undefined): void;
  /**
   * Ends the recording now (if the session's `close` has not already): records the turn in
   * progress, closes the call record and waits (bounded) for the server. Idempotent.
   */
  end(error?: boolean): Promise<CloseReport>;
  /** Stops listening to the session without closing the record. */
  detach(): void;
}

/**
 * Records an `AgentSession` with a {@link CallRecorder}: each completed turn is appended as it
 * happens, and when the session closes the record is closed with its outcome and estimated
 * cost.
 */
export function attachRecorder(
  session: RecordedSession,
  recorder: CallRecorder,
  options: Partial<AttachRecorderOptions> = {},
): CallRecording {
  const opts: AttachRecorderOptions = {
    rates: DEFAULT_RATES,
    insightsTimeoutMs: 10_000,
    ...options,
  };
  const builder = new TurnBuilder();
  const turns: TurnInput[] = [];
  let outcome: CallOutcome | undefined;
  let ending: Promise<CloseReport> | undefined;

  const record = (turn: TurnInput | undefined): void => {
    if (!turn) return;
    turns.push(turn);
    void recorder.appendTurn(turn);
  };
  const moments = new TurnMoments(recorderLogger(opts.logger, 'call-recording'));
  const onItem = (ev: voice.ConversationItemAddedEvent) => {
    moments.onConversationItem(ev);
    record(builder.onConversationItem(ev));
  };
  const onTools = (ev: voice.FunctionToolsExecutedEvent) => builder.onFunctionToolsExecuted(ev);
  const onClose = (ev: voice.CloseEvent) => void end(ev.error !== null);

  const detach = (): void => {
    session.off(voice.AgentSessionEventTypes.ConversationItemAdded, onItem);
    session.off(voice.AgentSessionEventTypes.FunctionToolsExecuted, onTools);
    session.off(voice.AgentSessionEventTypes.Close, onClose);
  };

  const end = (error = false): Promise<CloseReport> => {
    ending ??= (async () => {
      detach();
      record(builder.flush());
      const callerSpoke = turns.some((t) => t.userText);
      let insights: CallInsightsDraft = {};
      const timeout = new AbortController();
      try {
        const late = sleep(opts.insightsTimeoutMs, timeout.signal).then(() => {
          if (!timeout.signal.aborted) throw new Error(`no answer in ${opts.insightsTimeoutMs} ms`);
        });
        insights = (await Promise.race([opts.insights?.(turns), late])) ?? {};
      } catch (err) {
        recorderLogger(opts.logger, 'call-recording').error(
          { err: String(err) },
          'call insights failed; closing without them',
        );
      } finally {
        timeout.abort();
      }
      return recorder.close({
        outcome: outcome ?? (error ? 'failed' : callerSpoke ? 'completed' : 'abandoned'),
        costUsd: estimateCostUsd(session.usage.modelUsage, opts.rates),
        ...insights,
      });
    })();
    return ending;
  };

  session.on(voice.AgentSessionEventTypes.ConversationItemAdded, onItem);
  session.on(voice.AgentSessionEventTypes.FunctionToolsExecuted, onTools);
  session.on(voice.AgentSessionEventTypes.Close, onClose);

  return {
    setOutcome: (value) => void (outcome = value),
    end,
    detach,
  };
}
