/** How a drain ended a row, as the row's job should end. */
export type RowOutcome =
  | { kind: "done" }
  | { kind: "dead"; error: string }
  /** This row's attempt failed; it backs off until `untilMs`. */
  | { kind: "retry"; error: string; untilMs: number }
  /** Not tried (behind a failed row, or told to wait by the upstream); its chat resumes at `untilMs`. */
  | { kind: "wait"; untilMs: number };

/** How long an outcome waits for its job in this process before the row itself is asked instead. */
const KEEP_MS = 120_000;

/**
 * Outcomes of rows that a drain handled for jobs not yet running: when such a job comes, it ends
 * without a database read. Entries for jobs that another process ran expire.
 */
export function createOutcomes(now: () => number = Date.now) {
  const byId = new Map<number, { outcome: RowOutcome; at: number }>();
  return {
    set(id: number, outcome: RowOutcome): void {
      const t = now();
      byId.delete(id);
      byId.set(id, { outcome, at: t });
      // Insertion order is age order: drop the expired head.
      for (const [k, v] of byId) {
        if (t - v.at < KEEP_MS) break;
        byId.delete(k);
      }
    },
    take(id: number): RowOutcome | undefined {
      const e = byId.get(id);
      if (!e) return undefined;
      byId.delete(id);
      return e.outcome;
    },
    get size(): number {
      return byId.size;
    },
  };
}
