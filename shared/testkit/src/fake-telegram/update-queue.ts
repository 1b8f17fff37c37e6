import { ApiError, CONFLICT_OTHER_POLL } from "./api-error.ts";
import type { TgUpdate } from "./types.ts";

// Telegram leaves these out unless allowed_updates names them.
const OPT_IN_TYPES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

// setTimeout fires at once for anything longer.
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Waiter {
  offset: number;
  limit: number;
  resolve: (updates: TgUpdate[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Pending updates, in update_id order, as an array with a moving head: confirming
 * is a binary search plus a head move, slicing is O(limit), and the confirmed
 * prefix is dropped in amortised O(1). At most one long poll waits at a time,
 * as on the real server.
 */
export class UpdateQueue {
  #items: TgUpdate[] = [];
  #head = 0;
  #lastId = 0;
  #confirmed = 0;
  #allowed: Set<string> | undefined;
  #waiter: Waiter | undefined;
  #wakeScheduled = false;
  readonly offered = new Set<number>();
  offerCount = 0;
  dropped = 0;

  get lastId(): number {
    return this.#lastId;
  }

  get confirmedOffset(): number {
    return this.#confirmed;
  }

  get pending(): number {
    return this.#items.length - this.#head;
  }

  get polling(): boolean {
    return this.#waiter !== undefined;
  }

  nextId(): number {
    return this.#lastId + 1;
  }

  /** Returns false when the update's type is filtered out by allowed_updates. */
  push(update: TgUpdate): boolean {
    const type = Object.keys(update).find((k) => k !== "update_id") ?? "";
    const accepted = this.#allowed ? this.#allowed.has(type) : !OPT_IN_TYPES.has(type);
    if (!accepted) {
      this.dropped++;
      return false;
    }
    const id = update.update_id;
    if (id > this.#lastId) {
      this.#items.push(update);
      this.#lastId = id;
    } else {
      // Hand-crafted ids from the past: rare, so a splice is acceptable.
      this.#items.splice(this.#lowerBound(id), 0, update);
    }
    this.#scheduleWake();
    return true;
  }

  setAllowed(types: readonly string[] | undefined): void {
    if (types === undefined) return;
    this.#allowed = types.length === 0 ? undefined : new Set(types);
  }

  /** Forgets every update below `offset`; a negative offset keeps only the last -offset. */
  confirm(offset: number): void {
    if (offset < 0) {
      const keepFrom = Math.max(this.#head, this.#items.length + offset);
      this.#head = keepFrom;
    } else if (offset > 0) {
      this.#head = this.#lowerBound(offset);
      if (offset > this.#confirmed) this.#confirmed = offset;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  /** A restarted count: the next id is 1, and the confirmed offset is forgotten. */
  restartIds(): void {
    this.#lastId = 0;
    this.#confirmed = 0;
  }

  dropPending(): void {
    this.dropped += this.pending;
    this.#head = this.#items.length;
  }

  take(offset: number, limit: number): TgUpdate[] {
    const start = offset > 0 ? this.#lowerBound(offset) : this.#head;
    const batch = this.#items.slice(start, start + limit);
    for (const u of batch) this.offered.add(u.update_id);
    this.offerCount += batch.length;
    return batch;
  }

  /**
   * getUpdates: confirm, then answer at once if anything is pending, otherwise
   * wait up to `timeoutSec` for a push. A newer poll ends the waiting one with 409.
   */
  poll(offset: number, limit: number, timeoutSec: number, abort: AbortSignal): Promise<TgUpdate[]> {
    this.#waiter?.reject(new ApiError(409, CONFLICT_OTHER_POLL));
    this.#endWaiter();
    this.confirm(offset);
    const ready = this.take(offset, limit);
    if (ready.length > 0 || timeoutSec <= 0 || abort.aborted) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        offset,
        limit,
        resolve,
        reject,
        timer: setTimeout(
          () => {
            if (this.#waiter === waiter) this.#endWaiter();
            resolve([]);
          },
          Math.min(timeoutSec * 1000, MAX_TIMER_MS),
        ),
      };
      this.#waiter = waiter;
      abort.addEventListener("abort", () => {
        if (this.#waiter === waiter) this.#endWaiter();
        else clearTimeout(waiter.timer);
      });
    });
  }

  /** Answers a waiting poll with nothing, e.g. when the server closes. */
  release(): void {
    const w = this.#waiter;
    this.#endWaiter();
    w?.resolve([]);
  }

  #endWaiter(): void {
    if (this.#waiter) clearTimeout(this.#waiter.timer);
    this.#waiter = undefined;
  }

  // A microtask lets a burst of synchronous pushes leave in one answer.
  #scheduleWake(): void {
    if (!this.#waiter || this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    queueMicrotask(() => {
      this.#wakeScheduled = false;
      const w = this.#waiter;
      if (!w) return;
      const batch = this.take(w.offset, w.limit);
      if (batch.length === 0) return;
      this.#endWaiter();
      w.resolve(batch);
    });
  }

  #lowerBound(id: number): number {
    let lo = this.#head;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#items[mid]?.update_id ?? 0) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
