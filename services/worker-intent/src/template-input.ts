import type { Redis } from "ioredis";
import { type Db, messageIdOf, queryableOf } from "@ownerbot/core/db";
import type { Reply } from "@ownerbot/domain/contract";
import { TEMPLATE_STATE_TTL_SECONDS, type TemplateState } from "@ownerbot/domain/templates";
import { outboxSeqOf } from "./render.ts";

// A pending template input in Redis, and the prompt message that asks for it. When the input moves
// on or closes (answered, cancelled, replaced) the old prompt's buttons are taken away, so a stale
// «✖️ Отмена» or preset cannot be pressed again. A prompt sent by an earlier update is found by its
// outbox row (cause + seq), whose Telegram message id the sender recorded.

/** Where the current prompt is: the message itself, or the outbox row that sent it. */
export type PromptRef = { messageId: number } | { cause: string; seq: number };
export type PendingInput = { state: unknown; prompt?: PromptRef };

export type TemplateInputs = {
  load: (chatId: number) => Promise<PendingInput | undefined>;
  /** Stores the state; the prompt is `replies[index]` of this update (or the tapped message). */
  save: (chatId: number, state: TemplateState, prompt: PromptRef) => Promise<void>;
  clear: (chatId: number) => Promise<void>;
  /** The Telegram message of a prompt, when it was delivered. */
  messageOf: (ref: PromptRef | undefined) => Promise<number | null>;
};

/** The outbox row of `replies[index]` of the update `correlationId` (upd-<id> → cause upd:<id>). */
export function promptRow(correlationId: string, replies: Reply[], index: number, fromButton: boolean): PromptRef {
  return { cause: correlationId.replace(/^upd-/, "upd:"), seq: outboxSeqOf(replies, index, fromButton) };
}

export function createTemplateInputs(d: { redis: Redis; db: Db; key: (chatId: number) => string }): TemplateInputs {
  const q = queryableOf(d.db);
  return {
    async load(chatId) {
      const raw = await d.redis.get(d.key(chatId));
      if (raw === null) return undefined;
      try {
        const v = JSON.parse(raw) as { state?: unknown; prompt?: PromptRef; v?: number };
        // A state stored before prompts were tracked is the bare TemplateState.
        return v.v === 1 ? { state: v } : { state: v.state, ...(v.prompt ? { prompt: v.prompt } : {}) };
      } catch {
        return undefined;
      }
    },
    save: async (chatId, state, prompt) =>
      void (await d.redis.set(d.key(chatId), JSON.stringify({ state, prompt }), "EX", TEMPLATE_STATE_TTL_SECONDS)),
    clear: async (chatId) => void (await d.redis.del(d.key(chatId))),
    async messageOf(ref) {
      if (!ref) return null;
      if ("messageId" in ref) return ref.messageId;
      return messageIdOf(q, ref.cause, ref.seq).catch(() => null);
    },
  };
}
