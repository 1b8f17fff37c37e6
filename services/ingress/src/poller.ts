import type pg from "pg";
import type { Update } from "grammy/types";
import type { Logger } from "@ownerbot/core/logger";
import { classifyUpdate, type TelegramClient, TelegramError } from "@ownerbot/core/telegram";
import {
  countOpen,
  durableBarrier,
  insertBatchAndAdvance,
  readOffset,
  type BatchResult,
  type InboxInsert,
  type OverloadNotice,
} from "@ownerbot/core/db";
import { addRowJobs, type Queues } from "@ownerbot/core/queue";

export type PollerDeps = {
  /** Synchronous commits: the durability barrier and reads. */
  pool: pg.Pool;
  /** Asynchronous commits: batches become visible (and wake workers) without waiting for the disk. */
  fastPool: pg.Pool;
  telegram: TelegramClient;
  queues: Queues;
  log: Logger;
  pollTimeoutSec: number;
  limits: { maxNew: number; maxTotal: number };
  notice: OverloadNotice;
  /** Holds the one-consumer-per-token lock; polling waits while it is lost. */
  leader: { ensure: (signal: AbortSignal) => Promise<void> };
};

/** How often the open-row count is refreshed; between refreshes the poller adds what it stored. */
const GAUGE_TTL_MS = 250;
/** Job adds of this many batches may be under way while the poller goes on storing. */
const DISPATCH_IN_FLIGHT = 4;

export type Poller = { run: () => Promise<void>; stop: () => void; stats: { batches: number; updates: number } };

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * The only getUpdates consumer. The offset lives in Postgres and moves in the same statement that
 * stores the batch; a batch that cannot be stored is retried in place, never skipped.
 */
export function createPoller(d: PollerDeps): Poller {
  const stopping = new AbortController();
  const stats = { batches: 0, updates: 0 };
  const gauge = { waiting: 0, open: 0, at: -Infinity };

  /**
   * Marks rows past INBOX_MAX_NEW / INBOX_MAX_TOTAL as rejected; they are still stored. The count is
   * refreshed in the background, so no batch waits for it (the limits are soft by a few batches).
   */
  let refreshing = false;
  async function admit(rows: InboxInsert[]): Promise<void> {
    const stale = performance.now() - gauge.at > GAUGE_TTL_MS;
    if (gauge.at === -Infinity)
      Object.assign(gauge, await countOpen(d.pool, d.limits.maxNew, d.limits.maxTotal), { at: performance.now() });
    else if (stale && !refreshing) {
      refreshing = true;
      countOpen(d.pool, d.limits.maxNew, d.limits.maxTotal)
        .then((c) => Object.assign(gauge, c, { at: performance.now() }))
        .catch((err: unknown) => d.log.warn({ err }, "counting open inbox rows failed"))
        .finally(() => (refreshing = false));
    }
    for (const r of rows) {
      if (gauge.waiting < d.limits.maxNew && gauge.open < d.limits.maxTotal) {
        gauge.waiting++;
        gauge.open++;
      } else r.rejected = true;
    }
  }

  /**
   * Adds the jobs of a stored batch: the updates' intent jobs and the replies the batch itself wrote.
   * The poller does not wait for them (storing and confirming the next batch needs only Postgres),
   * up to a few batches in flight; a failed add is left to the sweeper, which rebuilds jobs from rows.
   */
  const inFlight = new Set<Promise<void>>();
  async function dispatch(res: BatchResult): Promise<void> {
    const fresh = res.inserted.filter((r) => r.status === "new");
    const p = Promise.all([addRowJobs(d.queues, "intent", fresh), addRowJobs(d.queues, "send", res.replies)])
      .then(() => undefined)
      .catch((err: unknown) => d.log.warn({ err, jobs: fresh.length + res.replies.length }, "adding jobs failed; the sweeper adds them"))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    while (inFlight.size >= DISPATCH_IN_FLIGHT) await Promise.race(inFlight);
  }

  async function storeBatch(updates: Update[]): Promise<number> {
    const rows: InboxInsert[] = updates.map((u) => {
      const c = classifyUpdate(u);
      return { updateId: u.update_id, chatId: c.chatId, userId: c.userId, kind: c.kind, payload: u };
    });
    const next = Math.max(...rows.map((r) => r.updateId)) + 1;
    for (let attempt = 1; ; attempt++) {
      try {
        if (attempt === 1) await admit(rows);
        const res = await insertBatchAndAdvance(d.fastPool, d.telegram.botId, rows, next, d.notice);
        stats.batches++;
        stats.updates += res.inserted.length;
        await dispatch(res);
        const rejected = res.inserted.filter((r) => r.status === "rejected").length;
        if (rejected > 0) d.log.warn({ rejected, replies: res.replies.length }, "inbox over its limits: updates stored as rejected");
        return next;
      } catch (err) {
        if (stopping.signal.aborted && attempt > 3) throw err;
        const wait = Math.min(250 * 2 ** (attempt - 1), 5000);
        d.log.error({ err, attempt, waitMs: wait, updates: rows.length }, "storing the batch failed; retrying the same batch");
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  async function withRetry(fn: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        // Stopping: give up after a few tries. Nothing is lost — the offset was not confirmed to
        // Telegram, which sends the batch again to the next ingress.
        if (stopping.signal.aborted && attempt >= 3) throw err;
        const wait = Math.min(250 * 2 ** (attempt - 1), 5000);
        d.log.error({ err, attempt, waitMs: wait }, "making the batch durable failed; retrying before confirming it");
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /**
   * The offset is sent only to confirm the batch just stored. After an empty or failed poll the
   * next one names no offset: for Telegram that is the same (everything below was confirmed), but a
   * Bot API server that restarted its count, or Telegram choosing new random ids after a quiet week,
   * would otherwise see an offset above its new updates and confirm them away unread.
   */
  async function run(): Promise<void> {
    let confirm: number | undefined;
    let failures = 0;
    d.log.info({ stored_offset: await readOffset(d.pool, d.telegram.botId) }, "polling Telegram");
    while (!stopping.signal.aborted) {
      await d.leader.ensure(stopping.signal);
      if (stopping.signal.aborted) break;
      let updates: Update[];
      try {
        updates = await d.telegram.api.getUpdates(
          { ...(confirm !== undefined ? { offset: confirm } : {}), limit: 100, timeout: d.pollTimeoutSec },
          stopping.signal as never,
        );
        failures = 0;
      } catch (err) {
        if (stopping.signal.aborted) break;
        confirm = undefined;
        failures++;
        const conflict = err instanceof TelegramError && err.status === 409;
        const wait = conflict
          ? 5000
          : err instanceof TelegramError && err.retryAfterSec
            ? err.retryAfterSec * 1000
            : Math.min(500 * 2 ** (failures - 1), 15_000);
        if (conflict) d.log.error("another process polls this bot token (409 Conflict); backing off instead of fighting over updates");
        else d.log.warn({ err, waitMs: wait }, "getUpdates failed");
        await sleep(wait, stopping.signal);
        continue;
      }
      if (updates.length === 0) {
        confirm = undefined;
        continue;
      }
      // A stop request lets the batch in hand finish: it is stored before the loop exits.
      const next = await storeBatch(updates);
      // The next getUpdates confirms this batch to Telegram, so it must be on disk first.
      await withRetry(() => durableBarrier(d.pool, d.telegram.botId));
      confirm = next;
    }
    await withRetry(() => durableBarrier(d.pool, d.telegram.botId));
    await Promise.all(inFlight);
  }

  return { run, stop: () => stopping.abort(), stats };
}
