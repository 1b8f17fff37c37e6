import type pg from "pg";
import type { Redis } from "ioredis";
import type { Logger } from "@ownerbot/core/logger";
import type { Reply } from "@ownerbot/domain/contract";
import {
  type AuditInsert,
  chatClaimable,
  claimChat,
  type ClaimedUpdate,
  finishIntent,
  INBOX,
  type IntentOutcome,
  type OutboxInsert,
  releaseRows,
  type ReportInsert,
  type TokenInsert,
} from "@ownerbot/core/db";
import { addRowJobsOrLeave, backoffMs, type BackoffPolicy, claimLoop, type DrainRun, type Queues } from "@ownerbot/core/queue";
import { checkOwner, type GateConfig } from "./gate.ts";
import { handleUpdate, type Handled, type HandleDeps } from "./handle.ts";
import { renderReplies } from "./render.ts";

export type DrainDeps = {
  pool: pg.Pool;
  redis: Redis;
  queues: Queues;
  log: Logger;
  gate: GateConfig;
  handleDeps: () => HandleDeps;
  leaseSec: number;
  maxAttempts: number;
  timeoutMs: number;
  batchSize: number;
  backoff: BackoffPolicy;
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
 * Drains one chat's inbox: claim its open rows in order, handle them, and finish them with their
 * replies in one statement; repeat while the chat has claimable rows. The replies' and reports'
 * jobs are added right after that statement commits.
 */
export function createDrainer(d: DrainDeps) {
  const drainChat = (chatId: number, run: DrainRun): Promise<void> =>
    claimLoop(run, {
      claimable: () => chatClaimable(d.pool, INBOX, chatId),
      claim: () => claimChat(d.pool, chatId, run.claimer, d.leaseSec, d.batchSize),
      handle: (rows) => processRows(rows, run),
    });

  /** Handles and finishes one claimed batch; false when the chat must wait (a row failed, or the lease was lost). */
  async function processRows(rows: ClaimedUpdate[], run: DrainRun): Promise<boolean> {
    const deps = d.handleDeps();
    const doneIds: number[] = [];
    const deadIds: number[] = [];
    const outbox: OutboxInsert[] = [];
    const tokens: TokenInsert[] = [];
    const audits: AuditInsert[] = [];
    const reports: ReportInsert[] = [];
    const holds: NonNullable<IntentOutcome["holds"]> = [];
    const asr: NonNullable<IntentOutcome["asr"]> = [];
    const llm: NonNullable<IntentOutcome["llm"]> = [];
    let failure: unknown;
    let failedAt = rows.length;
    // A voice or a text held in place (its transcript or plan is being made): the rows after it wait behind it.
    let waitFrom = rows.length;

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
        if (handled.hold) holds.push({ id: row.id, ...handled.hold });
        else doneIds.push(row.id);
        if (handled.asr) asr.push({ id: row.id, chatId: row.chatId, file: handled.asr.file });
        if (handled.llm) llm.push({ id: row.id, chatId: row.chatId, text: handled.llm.text });
      }
      const r = toOutbox(row, handled);
      outbox.push(...r.outbox);
      tokens.push(...r.tokens);
      reports.push(...r.reports);
      audits.push(...handled.audits);
      if (handled.hold && !handled.hold.park) {
        waitFrom = i + 1;
        break;
      }
    }

    if (doneIds.length + deadIds.length + holds.length > 0) {
      const fin = await finishIntent(d.pool, { claimer: run.claimer, doneIds, deadIds, outbox, tokens, audits, reports, holds, asr, llm });
      if (!fin.fenced) {
        d.log.warn({ rows: doneIds.length + deadIds.length }, "lease lost before finishing; another worker owns these rows now");
        return false;
      }
      for (const id of doneIds) run.record(id, { kind: "done" });
      for (const id of deadIds) run.record(id, { kind: "dead", error: fin.dead.get(id) ?? "dead" });
      // A held voice's job sleeps until its wait ends; worker-asr wakes it sooner. A park that came
      // back `new` (its transcript landed meanwhile) is claimed again by this drain.
      for (const h of holds)
        if (!fin.reopened.includes(h.id))
          run.record(h.id, { kind: "wait", untilMs: h.park ? Date.now() + 3600_000 : (h.notBeforeMs ?? Date.now()) });
      await addRowJobsOrLeave(d.queues, "send", fin.outbox, d.log);
      await addRowJobsOrLeave(d.queues, "report", fin.reports, d.log);
      await addRowJobsOrLeave(d.queues, "asr", fin.asr, d.log);
      await addRowJobsOrLeave(d.queues, "llm", fin.llm, d.log);
    }
    if (waitFrom < rows.length) {
      const held = rows[waitFrom - 1]!;
      const untilMs = holds.find((h) => h.id === held.id)?.notBeforeMs ?? Date.now();
      const behind = rows.slice(waitFrom);
      await releaseRows(
        d.pool,
        INBOX,
        behind.map((r) => r.id),
        run.claimer,
        { error: `waiting behind inbox ${held.id} (a transcript or a plan)`, untried: true },
      );
      for (const r of behind) run.record(r.id, { kind: "wait", untilMs });
    }
    if (holds.some((h) => !h.park)) return false;
    if (failure === undefined) return true;

    // Later rows of the chat wait for the failed one: order matters more than throughput here.
    const [failed, ...behind] = rows.slice(failedAt);
    if (!failed) return false;
    const untilMs = Date.now() + backoffMs(d.backoff, failed.attempts);
    const error = errorText(failure);
    d.log.warn({ err: failure, inbox_id: failed.id, attempts: failed.attempts }, "handling an update failed; it backs off");
    await releaseRows(d.pool, INBOX, [failed.id], run.claimer, { error, notBeforeMs: untilMs });
    await releaseRows(
      d.pool,
      INBOX,
      behind.map((r) => r.id),
      run.claimer,
      { error: `waiting behind inbox ${failed.id}`, untried: true },
    );
    run.record(failed.id, { kind: "retry", error, untilMs });
    for (const r of behind) run.record(r.id, { kind: "wait", untilMs });
    return false;
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

  return drainChat;
}

function answerOf(row: ClaimedUpdate): Pick<Handled, "callbackAnswer"> {
  const cb = row.payload.callback_query as Record<string, unknown> | undefined;
  return cb ? { callbackAnswer: { id: String(cb.id) } } : {};
}

function toOutbox(row: ClaimedUpdate, h: Handled): { outbox: OutboxInsert[]; tokens: TokenInsert[]; reports: ReportInsert[] } {
  const cause = h.cause ?? `upd:${row.id}`;
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
  const r = renderReplies(row.chatId, replies, h.editMessageId, h.replyTo);
  // A park's notice is written only if the park holds (the transcript may have landed meanwhile).
  const onlyIfParked = h.hold?.park ? { onlyIfParked: row.id } : {};
  for (const o of r.outbox) out.push({ ...o, cause, seq: out.length, ...onlyIfParked });
  const reports: ReportInsert[] = [];
  for (const reply of replies)
    if (reply.report) reports.push({ cause: `${cause}:${reports.length}`, chatId: row.chatId, request: reply.report });
  return { outbox: out, tokens: r.tokens, reports };
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
