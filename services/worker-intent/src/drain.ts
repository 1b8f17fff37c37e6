import type pg from "pg";
import type { Redis } from "ioredis";
import type { Logger } from "@ownerbot/shared/logger/index";
import type { Reply } from "@ownerbot/shared/domain/contract";
import { chatHasOpenRows, claimChat, releaseClaimed, type ClaimedUpdate } from "@ownerbot/shared/db/inbox.queries";
import { finishIntent, type AuditInsert, type OutboxInsert, type TokenInsert } from "@ownerbot/shared/db/outbox.queries";
import type { ReportInsert } from "@ownerbot/shared/db/report-jobs.queries";
import { checkOwner, type GateConfig } from "./gate.ts";
import { handleUpdate, type Handled, type HandleDeps } from "./handle.ts";
import { renderReplies } from "./render.ts";

export type DrainDeps = {
  pool: pg.Pool;
  redis: Redis;
  log: Logger;
  gate: GateConfig;
  handleDeps: () => HandleDeps;
  workerId: string;
  leaseSec: number;
  maxAttempts: number;
  timeoutMs: number;
  batchSize: number;
};

export const FAILED_TEXT = "⚠️ Не получилось обработать запрос. Попробуй ещё раз чуть позже или открой /start.";

class HandlerTimeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new HandlerTimeout(`handler took longer than ${ms} ms`)), ms);
    }),
  ]);
}

/**
 * One intent job drains its chat: claim the chat's open rows in order, handle them, and finish
 * them with their replies in one statement; repeat while the chat has open rows. A job that finds
 * the chat busy ends at once — the holder looks again after its finish commits and sees its rows.
 */
export function createDrainer(d: DrainDeps) {
  return async function drainChat(chatId: number, jobId: string, notified = false): Promise<{ handled: number }> {
    const claimer = `${d.workerId}:${jobId}`;
    let handled = 0;
    // A cheap read first: most wake-ups (the job behind a fast path, a sweep) find nothing to do.
    // A notification just announced rows, so the first claim goes ahead without looking.
    let look = !notified;
    while (!look || (await chatHasOpenRows(d.pool, chatId))) {
      look = true;
      const rows = await claimChat(d.pool, chatId, claimer, d.leaseSec, d.batchSize);
      if (rows.length === 0) return { handled };
      handled += await processRows(rows, claimer);
    }
    return { handled };
  };

  async function processRows(rows: ClaimedUpdate[], claimer: string): Promise<number> {
    const deps = d.handleDeps();
    const doneIds: number[] = [];
    const deadIds: number[] = [];
    const outbox: OutboxInsert[] = [];
    const tokens: TokenInsert[] = [];
    const audits: AuditInsert[] = [];
    const reports: ReportInsert[] = [];
    let failure: unknown;
    let failedAt = rows.length;

    for (const [i, row] of rows.entries()) {
      const isOwner = row.userId !== null && d.gate.ownerIds.includes(row.userId);
      let handled: Handled;
      if (row.attempts > d.maxAttempts) {
        handled = isOwner
          ? { replies: [{ text: FAILED_TEXT }], audits: [], ...answerOf(row) }
          : { replies: [], audits: [], ...answerOf(row) };
        handled.audits.push({
          type: "update_dead",
          correlationId: `upd-${row.id}`,
          actorId: row.userId,
          payload: { attempts: row.attempts },
        });
        deadIds.push(row.id);
      } else {
        try {
          handled = await handleOne(row, deps);
        } catch (err) {
          failure = err;
          failedAt = i;
          break;
        }
        doneIds.push(row.id);
      }
      const r = toOutbox(row, handled);
      outbox.push(...r.outbox);
      tokens.push(...r.tokens);
      reports.push(...r.reports);
      audits.push(...handled.audits);
    }

    const rest = rows.slice(failedAt).map((r) => r.id);
    if (doneIds.length + deadIds.length > 0) {
      const fin = await finishIntent(d.pool, { claimer, doneIds, deadIds, outbox, tokens, audits, reports });
      if (!fin.fenced) {
        d.log.warn({ rows: doneIds.length + deadIds.length }, "lease lost before finishing; another worker owns these rows now");
        return 0;
      }
    }
    if (failure !== undefined) {
      // Later rows of the chat wait for the failed one: order matters more than throughput here.
      await releaseClaimed(d.pool, rest.slice(0, 1), claimer, errorText(failure));
      await releaseClaimed(d.pool, rest.slice(1), claimer, `waiting behind inbox ${rest[0]}`, true);
      throw failure instanceof Error ? failure : new Error(errorText(failure));
    }
    return doneIds.length + deadIds.length;
  }

  async function handleOne(row: ClaimedUpdate, deps: HandleDeps): Promise<Handled> {
    const gate = await checkOwner(d.redis, d.gate, row);
    if (!gate.allowed) {
      return {
        replies: gate.notice ? [{ text: "Нет доступа." }] : [],
        audits: gate.audit ? [{ ...gate.audit, correlationId: `upd-${row.id}` }] : [],
        ...answerOf(row),
      };
    }
    return withTimeout(handleUpdate(row, deps), d.timeoutMs);
  }
}

function answerOf(row: ClaimedUpdate): Pick<Handled, "callbackAnswer"> {
  const cb = row.payload.callback_query as Record<string, unknown> | undefined;
  return cb ? { callbackAnswer: { id: String(cb.id) } } : {};
}

function toOutbox(row: ClaimedUpdate, h: Handled): { outbox: OutboxInsert[]; tokens: TokenInsert[]; reports: ReportInsert[] } {
  const cause = `upd:${row.id}`;
  const out: OutboxInsert[] = [];
  if (h.callbackAnswer) {
    const a = h.callbackAnswer;
    out.push({
      cause,
      seq: 0,
      chatId: row.chatId,
      method: "answerCallbackQuery",
      payload: { callback_query_id: a.id, ...(a.text ? { text: a.text } : {}), ...(a.alert ? { show_alert: true } : {}) },
    });
  }
  const replies: Reply[] = h.replies;
  const r = renderReplies(row.chatId, replies, h.editMessageId);
  for (const o of r.outbox) out.push({ ...o, cause, seq: out.length });
  const reports: ReportInsert[] = [];
  for (const reply of replies)
    if (reply.report) reports.push({ cause: `${cause}:${reports.length}`, chatId: row.chatId, request: reply.report });
  return { outbox: out, tokens: r.tokens, reports };
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
