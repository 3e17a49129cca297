/** Agent workers that said they are registered with LiveKit, by their last heartbeat. */
export class WorkerRegistry {
  private readonly lastSeen = new Map<string, number>();

  constructor(
    private readonly staleAfterMs = 15_000,
    private readonly now: () => number = Date.now,
  ) {}

  heartbeat(workerId: string): void {
    this.lastSeen.set(workerId, this.now());
  }

  /** Workers heard from within the staleness window. */
  liveWorkers(): string[] {
    const cutoff = this.now() - this.staleAfterMs;
    for (const [id, seen] of this.lastSeen) if (seen < cutoff) this.lastSeen.delete(id);
    return [...this.lastSeen.keys()];
  }
}
