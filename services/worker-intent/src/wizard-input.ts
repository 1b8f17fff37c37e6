import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { type Db, messageIdOf, queryableOf } from "@ownerbot/core/db";
import type { Reply } from "@ownerbot/domain/contract";
import { HOME } from "@ownerbot/domain/ui";
import {
  feedWizard,
  isWizardState,
  startWizard,
  WIZARD_TTL_SECONDS,
  type WizardAnswer,
  type WizardCtx,
  type WizardHint,
  type WizardState,
  type WizardStep,
} from "@ownerbot/domain/actions";
import type { DomainCtx } from "./handle.ts";
import { promptRow, type PromptRef } from "./template-input.ts";

// The parameter wizard's I/O: its state per chat in Redis (900 s), the prompt message that asks,
// audit rows, and the hand-over to the action preview when nothing is missing any more. It runs
// inside the intent worker's per-chat drain, so the chat's next message (or press, which is an
// inbox row of the same chat) is the answer, in order.

type Stored = { state: WizardState; prompt?: PromptRef; by: string };

export type WizardDeps = {
  redis: Redis;
  db: Db;
  key: (chatId: number) => string;
  /** The shop's clock and zone (coupon ends and codes are the shop's). */
  clock: () => Promise<WizardCtx>;
  /** The normal action preview; never a commit. */
  preview: (tool: string, input: Record<string, unknown>, ctx: DomainCtx) => Promise<Reply[]>;
  /** A template input pending in the same chat is replaced by a wizard (one question at a time). */
  clearTemplate: (chatId: number) => Promise<void>;
};

export type Wizard = {
  /** Asks for the first missing field; undefined when the payload is complete. */
  start: (tool: string, input: Record<string, unknown>, ctx: DomainCtx, by: string, hint?: WizardHint) => Promise<Reply[] | undefined>;
  /** A typed answer; undefined when no wizard is pending in the chat. */
  text: (text: string, ctx: DomainCtx) => Promise<Reply[] | undefined>;
  /** A preset press. */
  preset: (p: { id: string; field: string; value: string }, ctx: DomainCtx) => Promise<Reply[]>;
  /** «✖ Отмена» (tapped) or /cancel (typed): true when a wizard was pending. */
  cancel: (ctx: DomainCtx, tapped: boolean) => Promise<Reply[] | undefined>;
};

const STALE = "⌛ Этот вопрос уже закрыт (ответ ждали 15 минут). Запустите действие снова, например «сделай купон».";

export function createWizard(d: WizardDeps): Wizard {
  const q = queryableOf(d.db);
  const load = async (chatId: number): Promise<Stored | undefined> => {
    const raw = await d.redis.get(d.key(chatId));
    if (raw === null) return undefined;
    try {
      const v = JSON.parse(raw) as Partial<Stored>;
      return isWizardState(v.state) ? { state: v.state, by: String(v.by ?? "text"), ...(v.prompt ? { prompt: v.prompt } : {}) } : undefined;
    } catch {
      return undefined;
    }
  };
  const save = async (chatId: number, s: Stored): Promise<void> =>
    void (await d.redis.set(d.key(chatId), JSON.stringify(s), "EX", WIZARD_TTL_SECONDS));
  const clear = async (chatId: number): Promise<void> => void (await d.redis.del(d.key(chatId)));
  const messageOf = async (ref: PromptRef | undefined): Promise<number | null> => {
    if (!ref) return null;
    if ("messageId" in ref) return ref.messageId;
    return messageIdOf(q, ref.cause, ref.seq).catch(() => null);
  };

  /** Moves the wizard on: a tapped prompt is edited in place, an earlier typed-to one loses its buttons. */
  async function onStep(step: WizardStep, stored: Stored, ctx: DomainCtx, tapped: boolean): Promise<Reply[]> {
    const { state } = stored;
    const here = tapped ? ctx.buttonMessageId : undefined;
    const shown = await messageOf(stored.prompt);
    const earlier = shown !== null && shown !== here ? shown : null;
    const closing = (r: Reply): Reply => (earlier !== null ? { ...r, closeKeyboardOf: earlier } : r);
    if (step.kind === "ask" || step.kind === "error") {
      const ok = step.kind === "ask";
      ctx.audit({ type: "agent_action_wizard_step", payload: { tool: state.tool, field: state.missing[0], ok, next: step.field } });
      if (here !== undefined) {
        await save(ctx.chatId, { ...stored, state: step.state, prompt: { messageId: here } });
        return [closing({ ...step.reply, editInPlace: true })];
      }
      const replies = [closing(step.reply)];
      await save(ctx.chatId, { ...stored, state: step.state, prompt: promptRow(ctx.correlationId, replies, 0, tapped) });
      return replies;
    }
    await clear(ctx.chatId);
    if (step.kind === "cancelled") {
      ctx.audit({ type: "agent_action_wizard_cancelled", payload: { tool: state.tool, field: state.missing[0], tapped } });
      return [closing(here !== undefined ? { ...step.reply, editInPlace: true } : step.reply)];
    }
    ctx.audit({ type: "agent_action_wizard_completed", payload: { tool: step.tool, fields: step.fields, by: stored.by } });
    const result = await d.preview(step.tool, step.input, ctx);
    if (here !== undefined) return [closing({ text: "🧩 Параметры приняты, ниже предпросмотр.", editInPlace: true }), ...result];
    return result.length > 0 ? [closing(result[0]!), ...result.slice(1)] : result;
  }

  return {
    async start(tool, input, ctx, by, hint) {
      const id = randomBytes(4).toString("hex");
      const step = startWizard(tool, input, id, hint);
      if (!step || step.kind !== "ask") return undefined;
      await d.clearTemplate(ctx.chatId);
      // `code` is the missing fields, so retro_gaps can count them by tool (auditCounts groups by tool and code).
      ctx.audit({
        type: "agent_action_wizard_started",
        payload: { tool, fields: step.state.missing, code: step.state.missing.join("+"), by },
      });
      // A wizard started by a press sends its first question as a new message (the press's own
      // message is a result or a menu, not a prompt).
      const replies = [step.reply];
      await save(ctx.chatId, {
        state: step.state,
        by,
        prompt: promptRow(ctx.correlationId, replies, 0, ctx.buttonMessageId !== undefined),
      });
      return replies;
    },
    async text(text, ctx) {
      const stored = await load(ctx.chatId);
      if (!stored) return undefined;
      return onStep(feedWizard(stored.state, { text }, await d.clock()), stored, ctx, false);
    },
    async preset(p, ctx) {
      const stored = await load(ctx.chatId);
      if (!stored) {
        ctx.callback?.answer("Вопрос уже закрыт.");
        return [{ text: STALE, editInPlace: true, buttons: [[HOME]] }];
      }
      const answer: WizardAnswer = { preset: p };
      return onStep(feedWizard(stored.state, answer, await d.clock()), stored, ctx, true);
    },
    async cancel(ctx, tapped) {
      const stored = await load(ctx.chatId);
      if (!stored) {
        if (!tapped) return undefined;
        ctx.callback?.answer("Вопрос уже закрыт.");
        return [{ text: STALE, editInPlace: true, buttons: [[HOME]] }];
      }
      return onStep(feedWizard(stored.state, { text: "отмена" }, await d.clock()), stored, ctx, tapped);
    },
  };
}
