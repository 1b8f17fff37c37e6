import type pg from "pg";
import type { Logger } from "@ownerbot/core/logger";
import { type Db, insertPreview, pressAction } from "@ownerbot/core/db";
import type { ButtonAction, Reply, ShopSettings } from "@ownerbot/domain/contract";
import {
  type ActionContext,
  getAction,
  type PlanSpec,
  PRESS_EDITS,
  PRESS_TEXTS,
  previewAction,
  type PreviewOutcome,
  previewReply,
  previewText,
  RUNNING_TEXT,
  UNSUPPORTED_ACTIONS,
} from "@ownerbot/domain/actions";
import { HOME } from "@ownerbot/domain/ui";
import { addRowJobsOrLeave, type Queues } from "@ownerbot/core/queue";
import type { DomainCtx } from "./handle.ts";
import { previewPlan } from "./plan-preview.ts";

// The intent worker's half of an action: the dry run and its preview (a row `previewed` with the
// commit payload and its hash), and the presses of its buttons, each decided in one statement.
// The commit itself is worker-action's (services/worker-action).

export type ActionsUiDeps = {
  pool: pg.Pool;
  db: Db;
  queues: Queues;
  log: Logger;
  shop: ShopSettings;
  managerChatIds: readonly number[];
  sisConfigured: boolean;
  confirmTtlSec: number;
  previewTimeoutMs: number;
  /** Where shop-changing actions go now (the mode in force), and the SIS client when it is SIS. */
  upstream?: () => Promise<Pick<ActionContext, "upstream" | "sisActions" | "auto">>;
  /** A read tool's answer, for a plan's read steps. */
  readTool: (name: string, input: Record<string, unknown>, ctx: DomainCtx) => Promise<Reply[]>;
};

class PreviewTimeout extends Error {}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new PreviewTimeout()), ms);
    }),
  ]);
}

export type ActionsUi = ReturnType<typeof createActionsUi>;

export function createActionsUi(d: ActionsUiDeps) {
  const actx = async (ctx: DomainCtx): Promise<ActionContext> => ({
    db: d.db,
    shop: d.shop,
    now: new Date(),
    correlationId: ctx.correlationId,
    actorId: ctx.userId,
    managerChatIds: d.managerChatIds,
    sisConfigured: d.sisConfigured,
    ...(d.upstream ? await d.upstream() : {}),
  });

  /** The dry run, never longer than its deadline (the shop's data may stall). */
  async function dryRun(name: string, input: unknown, ctx: DomainCtx): Promise<PreviewOutcome> {
    try {
      return await within(
        actx(ctx).then((a) => previewAction(name, input, a)),
        d.previewTimeoutMs,
      );
    } catch (e) {
      if (!(e instanceof PreviewTimeout)) throw e;
      const sec = Math.round(d.previewTimeoutMs / 100) / 10;
      return {
        ok: false,
        error: {
          code: "UPSTREAM_TIMEOUT",
          message: `Предпросмотр не успел за ${sec} с: данные магазина отвечают медленно. Ничего не изменено — попробуйте ещё раз.`,
          retryable: true,
        },
      };
    }
  }

  async function preview(name: string, input: Record<string, unknown>, ctx: DomainCtx, notes: readonly string[] = []): Promise<Reply[]> {
    const unsupported = UNSUPPORTED_ACTIONS[name];
    if (unsupported) {
      ctx.audit({ type: "action_unsupported", payload: { tool: name } });
      return [{ text: unsupported, buttons: [[HOME]] }];
    }
    const o = await dryRun(name, input, ctx);
    const title = getAction(name)?.title ?? name;
    if (!o.ok) {
      ctx.audit({ type: "action_preview_failed", payload: { tool: name, error_code: o.error.code, message: o.error.message } });
      return [
        withNotes({ text: `${o.error.code === "UPSTREAM_TIMEOUT" ? "🔌" : "⚠️"} ${title}: ${o.error.message}`, buttons: [[HOME]] }, notes),
      ];
    }
    const p = o.preview;
    if (p.noop) {
      // Nothing would change: nothing is stored and there is nothing to confirm.
      ctx.audit({ type: "action_noop", payload: { tool: name, reason: p.noopReason ?? "" } });
      return [withNotes({ text: previewText(p, d.shop, null) }, notes)];
    }
    const stored = await insertPreview(d.pool, {
      cause: `upd:${ctx.inboxId}`,
      chatId: ctx.chatId,
      ownerId: ctx.userId,
      tool: name,
      payload: { tool: name, input: p.commit },
      preview: { title: p.title, affected: p.affected, unit: p.unit, force: p.force },
      forceOffer: p.force,
      correlationId: ctx.correlationId,
      ttlSec: d.confirmTtlSec,
    });
    return [withNotes(previewReply(p, d.shop, stored), notes)];
  }

  async function plan(spec: PlanSpec, ctx: DomainCtx): Promise<Reply[]> {
    return previewPlan(spec, ctx, {
      dryRun: (name, input) => dryRun(name, input, ctx),
      readTool: (name, input) => d.readTool(name, input, ctx),
      store: (payload, preview, force) =>
        insertPreview(d.pool, {
          cause: `upd:${ctx.inboxId}`,
          chatId: ctx.chatId,
          ownerId: ctx.userId,
          tool: "plan",
          payload,
          preview,
          forceOffer: force,
          correlationId: ctx.correlationId,
          ttlSec: d.confirmTtlSec,
        }),
      shop: d.shop,
    });
  }

  /** A press of ✅ / ⚠️ / ❌ (or a plan's buttons): answered at once, with what the press found. */
  async function press(a: Extract<ButtonAction, { t: "act" }>, ctx: DomainCtx): Promise<Reply[]> {
    const cb = ctx.callback;
    const r = await pressAction(d.pool, {
      id: a.id,
      op: a.op,
      hash: a.hash,
      presser: ctx.userId,
      update: ctx.inboxId,
      messageId: cb?.messageId ?? null,
      queryId: cb?.queryId ?? "",
      answerText: PRESS_TEXTS.confirmed,
      runText: RUNNING_TEXT,
      correlationId: ctx.correlationId,
    });
    // The jobs right after the statement that wrote their rows (the sweeper adds them if Redis is away).
    if (r.chatId !== null) {
      const chatId = r.chatId;
      await Promise.all([
        r.runOutbox !== null ? addRowJobsOrLeave(d.queues, "send", [{ chatId, id: r.runOutbox }], d.log) : undefined,
        r.outcome === "confirmed" ? addRowJobsOrLeave(d.queues, "action", [{ chatId, id: a.id }], d.log) : undefined,
      ]);
    }
    const text = PRESS_TEXTS[r.outcome];
    if (r.answered) cb?.answered();
    else cb?.answer(text, r.outcome === "denied");
    return PRESS_EDITS.has(r.outcome) ? [{ text: r.outcome === "cancelled" ? text : `⛔ ${text}`, editInPlace: true }] : [];
  }

  return { preview, plan, press };
}

function withNotes(r: Reply, notes: readonly string[]): Reply {
  return notes.length === 0 ? r : { ...r, text: `${notes.map((n) => `ℹ️ ${n}`).join("\n")}\n\n${r.text}` };
}
