import type pg from "pg";
import type { Logger } from "@ownerbot/core/logger";
import {
  type ActionFinish,
  ACTIONS,
  type AuditInsert,
  chatClaimable,
  claimActions,
  type ClaimedAction,
  type Db,
  finishAction,
  insertOutboxRow,
  type OutboxInsert,
  releaseRows,
} from "@ownerbot/core/db";
import type { ShopSettings } from "@ownerbot/domain/contract";
import { type ActionError, blockedText, committedText, failedText, storedResults } from "@ownerbot/domain/actions";
import { addRowJobsOrLeave, backoffMs, type BackoffPolicy, type DrainRun, type Queues } from "@ownerbot/core/queue";
import type { SisActions } from "@ownerbot/domain/sis";
import { execute, type Executed } from "./commit.ts";

export type ActionDrainDeps = {
  pool: pg.Pool;
  db: Db;
  queues: Queues;
  log: Logger;
  shop: ShopSettings;
  managerChatIds: readonly number[];
  sisConfigured: boolean;
  /** The SIS Actions API, when SIS is configured: commits previewed against SIS go there. */
  sisActions?: SisActions;
  leaseSec: number;
  maxAttempts: number;
  timeoutMs: number;
  backoff: BackoffPolicy;
};

class CommitTimeout extends Error {}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new CommitTimeout(`commit took longer than ${ms} ms`)), ms);
    }),
  ]);
}

/** The edit of the preview message (a new message when its id never became known). */
function outcomeRow(a: ClaimedAction, text: string): OutboxInsert {
  const edit = a.messageId !== null;
  return {
    cause: `act:${a.id}:result`,
    seq: 0,
    chatId: a.chatId,
    method: edit ? "editMessageText" : "sendMessage",
    payload: { chat_id: a.chatId, ...(edit ? { message_id: a.messageId } : {}), text, link_preview_options: { is_disabled: true } },
  };
}

/**
 * Commits a chat's confirmed actions one by one, in order: claim with a lease, re-check the hash,
 * run the commit through the provider with the action's idempotency key, and finish in one
 * statement (status, result, the outcome edit, the team's messages, audit). A crash anywhere
 * leaves the row in_progress under an expiring lease; the next claim runs it again with the same
 * key, and the provider's ledger returns the first result instead of acting twice.
 */
export function createActionDrainer(d: ActionDrainDeps) {
  const audit = (a: ClaimedAction, type: string, payload: Record<string, unknown>): AuditInsert => ({
    type,
    correlationId: a.correlationId,
    actorId: a.ownerId,
    payload: { action_id: a.id, tool: a.tool, ...payload },
  });

  async function finish(a: ClaimedAction, run: DrainRun, f: Omit<ActionFinish, "id" | "claimer">): Promise<boolean> {
    const fin = await finishAction(d.pool, { ...f, id: a.id, claimer: run.claimer });
    if (!fin.fenced) {
      d.log.warn({ action_id: a.id }, "lease lost before finishing; another worker owns this action now");
      return false;
    }
    run.record(a.id, f.status === "committed" ? { kind: "done" } : { kind: "dead", error: f.error ?? f.status });
    await addRowJobsOrLeave(d.queues, "send", fin.outbox, d.log);
    return true;
  }

  const failed = (a: ClaimedAction, run: DrainRun, title: string, e: ActionError): Promise<boolean> =>
    finish(a, run, {
      status: "failed",
      result: { error_code: e.code, text: failedText(title, e) },
      error: `${e.code}: ${e.message}`,
      outbox: [outcomeRow(a, failedText(title, e))],
      audits: [audit(a, "action_failed", { error_code: e.code, message: e.message, attempts: a.attempts })],
      deliveryPending: false,
    });

  async function committed(a: ClaimedAction, run: DrainRun, x: Extract<Executed, { ok: true }>): Promise<boolean> {
    const text = committedText(x.title, x.result, x.replayed);
    const deliveries = x.result.deliveries ?? [];
    const silent = x.result.data?.silent === true;
    const team: OutboxInsert[] = deliveries.map((m, i) => ({
      cause: `act:${a.id}:team`,
      seq: i,
      chatId: m.chatId,
      method: "sendMessage",
      payload: { chat_id: m.chatId, text: m.text, ...(silent ? { disable_notification: true } : {}) },
    }));
    return finish(a, run, {
      status: "committed",
      result: { ...x.result, text, replayed: x.replayed },
      error: null,
      outbox: [outcomeRow(a, text), ...team],
      audits: [audit(a, "action_committed", { affected: x.result.affected, replayed: x.replayed, force: a.force, exec_mode: a.execMode })],
      deliveryPending: team.length > 0,
    });
  }

  /**
   * The owner hears once that the action waits for its upstream (SIS) and will be done when it
   * answers; the cause is the action's, so a repeat of the retry adds no second message.
   */
  async function tellWaiting(a: ClaimedAction, title: string): Promise<void> {
    const text = `⏳ ${title}: SIS сейчас не отвечает. Действие ждёт в очереди и выполнится, когда SIS вернётся — повторять не нужно. Ничего не применено наполовину.`;
    try {
      const id = await insertOutboxRow(d.pool, {
        cause: `act:${a.id}:waiting`,
        seq: 0,
        chatId: a.chatId,
        method: "sendMessage",
        payload: { chat_id: a.chatId, text, link_preview_options: { is_disabled: true } },
      });
      if (id !== null) await addRowJobsOrLeave(d.queues, "send", [{ chatId: a.chatId, id }], d.log);
    } catch (e) {
      d.log.warn({ action_id: a.id, err: e }, "could not queue the waiting notice; the sweeper or the result will tell");
    }
  }

  /**
   * Out of attempts on an action pinned to SIS: an apply may have acted there and only its answer
   * been lost, so the owner is not told that nothing changed.
   */
  const gaveUp = (a: ClaimedAction, e: ActionError): ActionError => {
    const input = a.payload.input as { upstream?: unknown } | undefined;
    if (input?.upstream !== "sis") return e;
    return {
      ...e,
      outcomeUnknown: true,
      message: `${e.message}\nSIS так и не ответил на применение: применилось ли изменение — неизвестно. Проверьте в SIS, прежде чем запускать снова.`,
    };
  };

  /** One action; false when the chat must wait (it backs off, or the lease was lost). */
  async function processAction(a: ClaimedAction, run: DrainRun): Promise<boolean> {
    const title = typeof a.preview.title === "string" ? a.preview.title : a.tool;
    if (!a.hashOk) {
      // Altered after it was confirmed: blocked, never committed.
      return finish(a, run, {
        status: "blocked",
        result: { text: blockedText(title) },
        error: "payload changed after preview",
        outbox: [outcomeRow(a, blockedText(title))],
        audits: [audit(a, "action_tamper_blocked", { at: "commit" })],
        deliveryPending: false,
      });
    }
    if (a.attempts > d.maxAttempts) {
      // Out of attempts (each ended in a crash or a timeout): one of them may have committed.
      const prior = await storedResults(d.db, a.idempotencyKey);
      if (prior.length > 0) {
        const result = {
          lines: prior.flatMap((r) => r.lines),
          affected: prior.reduce((n, r) => n + r.affected, 0),
          deliveries: prior.flatMap((r) => r.deliveries ?? []),
        };
        return committed(a, run, { ok: true, title, result, replayed: true });
      }
      return failed(
        a,
        run,
        title,
        gaveUp(a, { code: "UPSTREAM_UNAVAILABLE", message: `Не удалось выполнить за ${d.maxAttempts} попыток.`, retryable: false }),
      );
    }
    const ctx = {
      db: d.db,
      shop: d.shop,
      now: new Date(),
      correlationId: a.correlationId,
      actorId: a.ownerId,
      managerChatIds: d.managerChatIds,
      sisConfigured: d.sisConfigured,
      ...(d.sisActions ? { sisActions: d.sisActions } : {}),
    };
    let x: Executed;
    try {
      x = await within(execute(a, ctx), d.timeoutMs);
    } catch (e) {
      // The commit may still finish in the background; the retry's ledger lookup then finds it.
      x = { ok: false, title, error: { code: "UPSTREAM_TIMEOUT", message: e instanceof Error ? e.message : String(e), retryable: true } };
    }
    if (x.ok) return committed(a, run, x);
    if (!x.error.retryable) return failed(a, run, x.title, x.error);
    if (a.attempts >= d.maxAttempts) return failed(a, run, x.title, gaveUp(a, x.error));
    const untilMs = Date.now() + backoffMs(d.backoff, a.attempts);
    const error = `${x.error.code}: ${x.error.message}`;
    d.log.warn({ action_id: a.id, attempts: a.attempts, error }, "commit failed; it backs off and retries with the same key");
    if (x.error.code.startsWith("UPSTREAM_")) await tellWaiting(a, title);
    await releaseRows(d.pool, ACTIONS, [a.id], run.claimer, { error, notBeforeMs: untilMs });
    run.record(a.id, { kind: "retry", error, untilMs });
    return false;
  }

  return async function drainChat(chatId: number, run: DrainRun): Promise<void> {
    for (let first = true; !run.signal.aborted; first = false) {
      if (!first && !(await chatClaimable(d.pool, ACTIONS, chatId))) return;
      const rows = await claimActions(d.pool, chatId, run.claimer, d.leaseSec, 20);
      if (rows.length === 0) return;
      const ids = rows.map((r) => r.id);
      run.hold(ids);
      try {
        for (const [i, a] of rows.entries()) {
          if (await processAction(a, run)) continue;
          // Order first: the chat's later actions wait behind the one that backs off.
          const behind = rows.slice(i + 1);
          await releaseRows(
            d.pool,
            ACTIONS,
            behind.map((r) => r.id),
            run.claimer,
            { error: `waiting behind action ${a.id}`, untried: true },
          );
          for (const r of behind) run.record(r.id, { kind: "wait", untilMs: Date.now() + backoffMs(d.backoff, a.attempts) });
          return;
        }
      } finally {
        run.release(ids);
      }
    }
  };
}
