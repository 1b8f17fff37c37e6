import type pg from "pg";
import type { Reply } from "@ownerbot/domain/contract";
import type { ClaimedUpdate } from "@ownerbot/core/db";
import { llmResultOf, type PlannedIntent, plannerReplies } from "@ownerbot/domain/llm";
import type { DomainCtx, PlannedHandler } from "./handle.ts";

export const THINKING_TEXT = "🤔 Думаю…";
export const THINKING_LATE_TEXT =
  "🤔 Думаю дольше обычного: планировщик запросов сейчас отвечает медленно. Отвечу на это сообщение, как только смогу. Остальное работает как обычно.";

/** How long a parked text's job sleeps before it looks again; the llm worker wakes it sooner. */
const PARKED_RECHECK_MS = 3600_000;

export type PlannedDeps = {
  pool: pg.Pool;
  orderWaitMs: number;
  maxInputChars: number;
  /** Runs a checked intent: a read tool, an action preview, advice, or «не понял» with a hint. */
  answer: (intent: PlannedIntent, text: string, ctx: DomainCtx) => Promise<Reply[]>;
};

/**
 * A text no rule understood — typed, or a voice's transcript — in the three visits of its inbox
 * row, exactly like a voice (docs/architecture.md, "LLM planner"):
 * 1. reply «Думаю…», write the llm_jobs row and hold the row as `new` for LLM_ORDER_WAIT_SEC, so the
 *    chat's later messages wait behind it;
 * 2. the wait ran out first — edit the status once to say the answer is late, park the row, and the
 *    chat goes on;
 * 3. the llm worker handed it back — the status becomes how the text was understood, and the intent
 *    runs (as a reply to the question when it comes late).
 */
export function createPlannedHandler(d: PlannedDeps): PlannedHandler {
  return {
    start: (_u, text) => ({
      replies: [{ text: THINKING_TEXT }],
      hold: { notBeforeMs: Date.now() + d.orderWaitMs, park: false },
      llm: { text: text.slice(0, d.maxInputChars) },
    }),
    resume: async (u: ClaimedUpdate, text: string, ctx: DomainCtx, stage: string) => {
      const result = await llmResultOf(d.pool, u.id);
      if (result === null) return null;
      const seen = await plannerReplies(d.pool, stage);
      const edit = seen.statusMessageId !== null ? { editMessageId: seen.statusMessageId } : {};
      if (result.status === "open")
        return {
          ...edit,
          replies: [{ text: THINKING_LATE_TEXT, editInPlace: true }],
          hold: { notBeforeMs: Date.now() + PARKED_RECHECK_MS, park: true },
          cause: `${stage}:late`,
        };
      const messageId = (u.payload.message as { message_id?: unknown } | undefined)?.message_id;
      const late = seen.toldLate && typeof messageId === "number" ? { replyTo: messageId } : {};
      const answer = await d.answer(result.intent, text, ctx);
      const [first, ...rest] = answer;
      // The status message becomes the first answer when it is short text (a hint, a heading);
      // otherwise it says how the text was understood and the answer follows.
      const replies: Reply[] =
        first && !first.report && !first.artifacts && first.text.length < 1500
          ? [{ ...first, editInPlace: true }, ...rest]
          : [{ text: understood(result.intent), editInPlace: true }, ...answer];
      return { ...edit, ...late, replies, cause: `${stage}:llm` };
    },
  };
}

function understood(i: PlannedIntent): string {
  if (i.kind === "tool") return i.action ? "🤔 Понял как действие — покажу предпросмотр." : "🤔 Понял запрос — вот данные.";
  if (i.kind === "advice") return "🤔 Понял как просьбу о совете.";
  return "🤔 Не понял запрос.";
}
