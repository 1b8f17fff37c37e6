// A bulkhead and a circuit breaker around the transcriber: a stalled or failing ASR service holds
// at most `slots` of worker-asr's jobs, and once it has failed `threshold` times in a row it is
// not called at all until a single trial call after `openMs` says it is back. Jobs that meet a
// full bulkhead or an open breaker back off on their rows (untried) instead of waiting in memory.

export class AsrUnavailable extends Error {
  /** When trying again makes sense. */
  readonly retryAtMs: number;
  constructor(message: string, retryAtMs: number) {
    super(message);
    this.name = "AsrUnavailable";
    this.retryAtMs = retryAtMs;
  }
}

export type AsrGuard = {
  run: <T>(fn: () => Promise<T>, isFailure: (err: unknown) => boolean) => Promise<T>;
  readonly state: () => { open: boolean; busy: number; failures: number };
};

export function createAsrGuard(o: { slots: number; threshold: number; openMs: number; busyRetryMs: number; now?: () => number }): AsrGuard {
  const now = o.now ?? Date.now;
  let busy = 0;
  let failures = 0;
  let openUntil = 0;
  let trial = false;
  return {
    run: async (fn, isFailure) => {
      const t = now();
      if (failures >= o.threshold) {
        if (t < openUntil || trial)
          throw new AsrUnavailable("speech recognition is failing; not calling it for now", Math.max(openUntil, t + 1000));
        trial = true;
      }
      if (busy >= o.slots) {
        if (trial) trial = false;
        throw new AsrUnavailable(`all ${o.slots} transcription slots are busy`, t + o.busyRetryMs);
      }
      busy++;
      try {
        const r = await fn();
        failures = 0;
        return r;
      } catch (err) {
        if (isFailure(err)) {
          failures++;
          if (failures >= o.threshold) openUntil = now() + o.openMs;
        }
        throw err;
      } finally {
        busy--;
        trial = false;
      }
    },
    state: () => ({ open: failures >= o.threshold && now() < openUntil, busy, failures }),
  };
}
