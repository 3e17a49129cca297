import { llm } from '@livekit/agents';

/** What the caller has said so far on the call, turn by turn, in order. */
export function callerWords(history: llm.ChatContext): string[] {
  return history.items.flatMap((item) =>
    item instanceof llm.ChatMessage && item.role === 'user' && item.textContent?.trim()
      ? [item.textContent]
      : [],
  );
}
