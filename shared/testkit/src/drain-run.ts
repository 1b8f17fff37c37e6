import type { DrainRun, RowOutcome } from "@ownerbot/core/queue";

/** A DrainRun for calling a drainer directly in a test: it keeps the outcomes and the rows held. */
export function testRun(claimer: string): DrainRun & { outcomes: Map<number, RowOutcome>; held: Set<number> } {
  const outcomes = new Map<number, RowOutcome>();
  const held = new Set<number>();
  return {
    claimer,
    signal: new AbortController().signal,
    hold: (ids) => ids.forEach((id) => held.add(id)),
    release: (ids) => ids.forEach((id) => held.delete(id)),
    record: (id, o) => outcomes.set(id, o),
    outcomes,
    held,
  };
}
