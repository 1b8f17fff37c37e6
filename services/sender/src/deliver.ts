import type pg from "pg";
import type { Logger } from "@ownerbot/core/logger";
import { TelegramError, type TelegramClient } from "@ownerbot/core/telegram";
import { chatClaimable, type ClaimedOutbox, claimOutboxChat, markFailed, markSent, OUTBOX, releaseRows } from "@ownerbot/core/db";
import { backoffMs, type BackoffPolicy, claimLoop, type DrainRun } from "@ownerbot/core/queue";
import type { RateLimiter } from "./rate-limit.ts";
import type { AuthGate } from "./auth-gate.ts";

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
  auth: AuthGate;
  log: Logger;
  leaseSec: number;
  backoff: BackoffPolicy;
  /** A failing reply is given up only when it has had this many attempts AND is this old. */
  maxAttempts: number;
  retryWindowMs: number;
  /** A reply still unsent after this long (a token that stayed revoked) is marked expired, not sent. */
  maxAgeMs: number;
};

const RATE_LIMITED = new Set(["sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto", "sendDocument"]);

type Sent = { message_id?: number } | true;

/** How long a delivered reply's "sent" is retried while Postgres is unreachable. */
const MARK_SENT_RETRY_MS = 60_000;

/**
 * Delivers one chat's outbox rows in order. A row is marked sent right after Telegram answers, so a
 * recorded row is never sent again. A failure backs off on its row (the chat waits behind it); a
 * 429 hands the rest back with Telegram's retry_after; a refused token pauses all sending.
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

  /** Hands back this row and the rest, untried, until the chat may go on. */
  async function waitAll(rows: ClaimedOutbox[], run: DrainRun, error: string, untilMs: number): Promise<void> {
    await releaseRows(
      d.pool,
      OUTBOX,
      rows.map((r) => r.id),
      run.claimer,
      { error, notBeforeMs: untilMs, untried: true },
    );
    for (const r of rows) run.record(r.id, { kind: "wait", untilMs });
  }

  /** What one failed send means for the chat; false when the chat must wait. */
  async function onFailure(err: unknown, row: ClaimedOutbox, rest: ClaimedOutbox[], run: DrainRun): Promise<boolean> {
    const te = err instanceof TelegramError ? err : undefined;
    if (te?.status === 429) {
      const ms = Math.max(1, te.retryAfterSec ?? 1) * 1000;
      d.limiter.pause(ms);
      // A 429 is Telegram pacing us, not a failed attempt.
      await waitAll([row, ...rest], run, te.message, Date.now() + ms);
      return false;
    }
    if (te && (te.status === 401 || (te.status === 404 && te.description.includes("Not Found")))) {
      d.auth.trip(`${te.status} ${te.description}`);
      await waitAll([row, ...rest], run, te.message, d.auth.retryAtMs());
      return false;
    }
    if (te && !te.retryable) {
      // A permanent refusal (blocked bot, deleted chat, stale callback) will not change on retry.
      await markFailed(d.markPool, row.id, "failed", te.message);
      run.record(row.id, { kind: "dead", error: te.message });
      d.log.warn({ outbox_id: row.id, method: row.method, status: te.status, description: te.description }, "Telegram refused a reply");
      return true;
    }
    const error = errText(err);
    if (row.attempts >= d.maxAttempts && Date.now() - row.createdAt.getTime() >= d.retryWindowMs) {
      await markFailed(d.markPool, row.id, "dead", error);
      run.record(row.id, { kind: "dead", error });
      d.log.error({ err, outbox_id: row.id, attempts: row.attempts }, "giving up on a reply after its last attempt");
      return true;
    }
    const untilMs = Date.now() + backoffMs(d.backoff, row.attempts);
    await releaseRows(d.pool, OUTBOX, [row.id], run.claimer, { error, notBeforeMs: untilMs });
    run.record(row.id, { kind: "retry", error, untilMs });
    await releaseRows(
      d.pool,
      OUTBOX,
      rest.map((r) => r.id),
      run.claimer,
      { error: `waiting behind outbox ${row.id}`, untried: true },
    );
    for (const r of rest) run.record(r.id, { kind: "wait", untilMs });
    d.log.warn(
      { err, outbox_id: row.id, attempts: row.attempts, retry_in_ms: untilMs - Date.now() },
      "sending failed; the reply backs off",
    );
    return false;
  }

  /** Delivers one claimed batch; false when the chat must wait. */
  async function deliverRows(rows: ClaimedOutbox[], run: DrainRun): Promise<boolean> {
    for (const [i, row] of rows.entries()) {
      if (unrecorded.has(row.id)) {
        await recordSent(row.id, unrecorded.get(row.id) ?? null);
        run.record(row.id, { kind: "done" });
        continue;
      }
      if (d.auth.pausedSince !== null) {
        await waitAll(rows.slice(i), run, "sending paused: Telegram refuses the bot token", d.auth.retryAtMs());
        return false;
      }
      if (Date.now() - row.createdAt.getTime() > d.maxAgeMs) {
        const error = `expired: not delivered within ${Math.round(d.maxAgeMs / 1000)} s`;
        await markFailed(d.markPool, row.id, "expired", error);
        run.record(row.id, { kind: "dead", error });
        continue;
      }
      if (RATE_LIMITED.has(row.method)) {
        const wait = d.limiter.reserve(row.chatId);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      try {
        const messageId = await sendWithFallback(row);
        await recordSent(row.id, messageId);
        run.record(row.id, { kind: "done" });
      } catch (err) {
        if (!(await onFailure(err, row, rows.slice(i + 1), run))) return false;
      }
    }
    return true;
  }

  return (chatId: number, run: DrainRun): Promise<void> =>
    claimLoop(run, {
      claimable: () => chatClaimable(d.pool, OUTBOX, chatId),
      claim: () => claimOutboxChat(d.pool, chatId, run.claimer, d.leaseSec, 50),
      handle: (rows) => deliverRows(rows, run),
    });
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
