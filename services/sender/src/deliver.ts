import type pg from "pg";
import type { Logger } from "@ownerbot/shared/logger/index";
import { TelegramError, type TelegramClient } from "@ownerbot/shared/telegram/client";
import {
  claimOutboxChat,
  markFailed,
  markSent,
  outboxChatHasPending,
  releaseOutbox,
  type ClaimedOutbox,
} from "@ownerbot/shared/db/outbox.queries";
import type { RateLimiter } from "./rate-limit.ts";

export type DeliverDeps = {
  /** Synchronous commits: the claim makes the replies (and the finish that wrote them) durable before they leave. */
  pool: pg.Pool;
  /**
   * Asynchronous commits for recording outcomes: a sender crash does not lose them (they are
   * committed); only a Postgres crash within the WAL writer's delay could, and then a reply may be
   * sent twice. The next synchronous claim flushes them anyway.
   */
  markPool: pg.Pool;
  telegram: TelegramClient;
  limiter: RateLimiter;
  log: Logger;
  workerId: string;
  leaseSec: number;
  maxAttempts: number;
};

/** Thrown when Telegram asked us to wait; the job is delayed by exactly that. */
export class RetryAfter extends Error {
  readonly ms: number;
  /** The first row handed back, so a caller without a job can schedule one. */
  readonly outboxId: number;
  readonly attempts: number;
  constructor(ms: number, outboxId: number, attempts: number) {
    super(`Telegram asked to wait ${ms} ms`);
    this.ms = ms;
    this.outboxId = outboxId;
    this.attempts = attempts;
  }
}

const RATE_LIMITED = new Set(["sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto", "sendDocument"]);

type Sent = { message_id?: number } | true;

/** How long a delivered reply's "sent" is retried while Postgres is unreachable. */
const MARK_SENT_RETRY_MS = 60_000;

/**
 * Delivers one chat's outbox rows in order. A row is marked sent right after Telegram answers, so a
 * recorded row is never sent again; a 429 hands the rest back with Telegram's retry_after.
 */
export function createDeliverer(d: DeliverDeps) {
  async function send(row: ClaimedOutbox): Promise<Sent> {
    const file = row.payload.file as { filename: string; base64: string; field: string } | undefined;
    if (file) {
      const { file: _f, ...params } = row.payload;
      return d.telegram.upload<Sent>(row.method, params, file.field, {
        filename: file.filename,
        content: Buffer.from(file.base64, "base64"),
      });
    }
    return d.telegram.call<Sent>(row.method, row.payload);
  }

  /** Edits that cannot apply become new messages; an unchanged edit is already done. */
  async function sendWithFallback(row: ClaimedOutbox): Promise<number | null> {
    try {
      const r = await send(row);
      return r === true ? null : (r.message_id ?? null);
    } catch (err) {
      if (!(err instanceof TelegramError) || err.status !== 400 || !row.method.startsWith("edit")) throw err;
      if (err.description.includes("message is not modified")) return (row.payload.message_id as number | undefined) ?? null;
      if (row.method !== "editMessageText") throw err;
      const { message_id: _m, ...rest } = row.payload;
      const r = await d.telegram.call<{ message_id: number }>("sendMessage", rest);
      return r.message_id;
    }
  }

  /** Rows Telegram has but Postgres does not know are sent yet (it was unreachable), with their message ids. */
  const unrecorded = new Map<number, number | null>();

  /**
   * Telegram has the message; until the row says so, a lease expiry would send it again. So a
   * failed write (Postgres briefly gone) is retried here rather than treated as a failed send, and
   * the row is remembered so that this process, should it claim the row again first, records
   * instead of sending.
   */
  async function recordSent(id: number, messageId: number | null): Promise<void> {
    const deadline = Date.now() + MARK_SENT_RETRY_MS;
    unrecorded.set(id, messageId);
    for (;;) {
      try {
        await markSent(d.markPool, id, messageId);
        unrecorded.delete(id);
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        d.log.warn({ err, outbox_id: id }, "could not record a delivered reply; retrying");
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  return async function deliverChat(chatId: number, jobId: string, notified = false): Promise<number> {
    const claimer = `${d.workerId}:${jobId}`;
    let delivered = 0;
    let look = !notified;
    while (!look || (await outboxChatHasPending(d.pool, chatId))) {
      look = true;
      const rows = await claimOutboxChat(d.pool, chatId, claimer, d.leaseSec, 20);
      if (rows.length === 0) return delivered;
      for (const [i, row] of rows.entries()) {
        if (unrecorded.has(row.id)) {
          await recordSent(row.id, unrecorded.get(row.id) ?? null);
          continue;
        }
        if (RATE_LIMITED.has(row.method)) {
          const wait = d.limiter.reserve(chatId);
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        try {
          const messageId = await sendWithFallback(row);
          await recordSent(row.id, messageId);
          delivered++;
        } catch (err) {
          const rest = rows.slice(i).map((r) => r.id);
          const te = err instanceof TelegramError ? err : undefined;
          if (te?.status === 429) {
            const ms = Math.max(1, te.retryAfterSec ?? 1) * 1000;
            d.limiter.pause(ms);
            // A 429 is Telegram pacing us, not a failed attempt (SENDER_MAX_ATTEMPTS counts failures).
            await releaseOutbox(d.pool, rest, claimer, te.message, Date.now() + ms, true);
            throw new RetryAfter(ms, row.id, row.attempts);
          }
          if (te === undefined || te.retryable) {
            if (row.attempts >= d.maxAttempts) {
              await markFailed(d.markPool, row.id, "dead", errText(err));
              d.log.error({ err, outbox_id: row.id }, "giving up on a reply after its last attempt");
              await releaseOutbox(d.pool, rest.slice(1), claimer, "released after a dead row", undefined, true);
              // The rest is no longer ours (another job may claim it now): claim afresh.
              break;
            }
            await releaseOutbox(d.pool, [row.id], claimer, errText(err));
            await releaseOutbox(d.pool, rest.slice(1), claimer, `waiting behind outbox ${row.id}`, undefined, true);
            throw err;
          }
          // A permanent refusal (blocked bot, deleted chat, stale callback) will not change on retry.
          await markFailed(d.markPool, row.id, "failed", te.message);
          d.log.warn({ outbox_id: row.id, method: row.method, status: te.status, description: te.description }, "Telegram refused a reply");
        }
      }
    }
    return delivered;
  };
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
