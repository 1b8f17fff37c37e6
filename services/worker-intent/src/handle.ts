import type { ButtonAction, Reply } from "@ownerbot/domain/contract";
import type { AuditInsert, ClaimedUpdate } from "@ownerbot/core/db";
import type { VoiceFile } from "@ownerbot/core/asr";
import type { RuntimeStatus } from "./status.ts";
import type { PlannedIntent } from "@ownerbot/domain/llm";
import { parseCallbackData } from "./render.ts";

export type Handled = {
  replies: Reply[];
  /** The message a pressed button sits on, for replies that edit in place. */
  editMessageId?: number;
  /** Every callback query is answered, or the owner's button keeps spinning. */
  callbackAnswer?: { id: string; text?: string; alert?: boolean };
  audits: AuditInsert[];
  /**
   * Hand the row back instead of finishing it (a voice waiting for its transcript): `new` until
   * `notBeforeMs` with the chat's later rows behind it, or, with `park`, parked while the chat goes on.
   */
  hold?: { notBeforeMs: number; park: boolean };
  /** A voice to transcribe: written as an asr_jobs row with the replies. */
  asr?: { file: VoiceFile };
  /** A text for the LLM planner: written as an llm_jobs row with the replies. */
  llm?: { text: string };
  /** The replies' cause when the row is visited more than once (`upd:<id>:late`, `upd:<id>:asr`); default `upd:<id>`. */
  cause?: string;
  /** The message the first new reply answers (a late transcript answers its voice). */
  replyTo?: number;
};

export const NOT_AUDIO_DOCUMENT_TEXT =
  "📄 Файлы я не читаю. Пришлите голосовое или аудио либо напишите вопрос текстом, например: «выручка за неделю».";

export type HandleDeps = {
  status: () => Promise<RuntimeStatus>;
  loadToken: (token: string) => Promise<{ chatId: number; payload: unknown } | null>;
  /** Shows "typing…" in the chat right away (used when a request takes a while). */
  typing: (chatId: number, cause: string) => Promise<void>;
  domain: DomainHandlers;
  /** Voice notes, audio files and video notes (voice.ts); a transcript is answered by `text`, as typed text is. */
  voice: (u: ClaimedUpdate, ctx: DomainCtx, text: TextAnswer) => Promise<Omit<Handled, "audits">>;
  /** The LLM planner's visits of a text (planned.ts); absent when LLM_PROVIDER=OFF. */
  planned?: PlannedHandler;
};

export type PlannedHandler = {
  /** A text no rule understood: «Думаю…», the llm_jobs row, and the row held in place. */
  start: (u: ClaimedUpdate, text: string) => Omit<Handled, "audits">;
  /**
   * The text came back (planned, or its wait ran out); null when it never went to the planner.
   * `stage` is the cause its «Думаю…» went out with; its later visits are `<stage>:late` and `<stage>:llm`.
   */
  resume: (u: ClaimedUpdate, text: string, ctx: DomainCtx, stage: string) => Promise<Omit<Handled, "audits"> | null>;
};

/** How an inbox row's text is answered, typed or transcribed from a voice: one path for both. */
export type TextAnswer = {
  /** A later visit of a text the planner took, its «Думаю…» sent under `stage`; null when it never went to the planner. */
  resume: (text: string, stage: string) => Promise<Omit<Handled, "audits"> | null>;
  /** The rules' answer; when no rule understood the text and the planner is on, «Думаю…» and the row held for it. */
  first: (text: string) => Promise<Omit<Handled, "audits">>;
};

/** The owner-facing behaviour; the pipeline around it does not know what the bot says. */
export type DomainHandlers = {
  /** Text and commands (a command also bypasses any pending input). */
  text: (text: string, ctx: DomainCtx) => Promise<Reply[]>;
  /** A pressed button, already resolved from its token. */
  action: (action: ButtonAction, ctx: DomainCtx) => Promise<Reply[]>;
  /** A text the LLM planner understood (or did not): its checked intent runs. */
  planned: (intent: PlannedIntent, text: string, ctx: DomainCtx) => Promise<Reply[]>;
};

export type DomainCtx = {
  chatId: number;
  userId: number;
  /** The inbox row being handled: what the update causes is keyed by it, so handling it again finds the same rows. */
  inboxId: number;
  correlationId: string;
  /** Set while a button press is handled. */
  callback?: CallbackCtx;
  status: () => Promise<RuntimeStatus>;
  /** The message a pressed button sits on (undefined for text). */
  buttonMessageId?: number;
  /** Audit rows are written in the same statement as the replies. */
  audit: (a: Omit<AuditInsert, "correlationId" | "actorId">) => void;
  typing: () => Promise<void>;
  /** Hands the text to the LLM planner instead of answering «не понял» (typed or spoken, planner on). */
  defer?: (text: string) => void;
};

/** The press being handled: its query and message, and how it is answered. */
export type CallbackCtx = {
  queryId: string;
  messageId?: number;
  /** The text of the press's answer (a toast, or an alert). */
  answer: (text: string, alert?: boolean) => void;
  /** The handler wrote the answer itself, in its own statement: no second answer. */
  answered: () => void;
};

type Obj = Record<string, unknown>;

export async function handleUpdate(u: ClaimedUpdate, deps: HandleDeps): Promise<Handled> {
  const audits: AuditInsert[] = [];
  const correlationId = `upd-${u.id}`;
  const ctx: DomainCtx = {
    chatId: u.chatId,
    userId: u.userId ?? 0,
    inboxId: u.id,
    correlationId,
    status: deps.status,
    audit: (a) => audits.push({ ...a, correlationId, actorId: u.userId }),
    typing: () => deps.typing(u.chatId, `typing:${u.id}:${u.attempts}`),
  };
  const p = u.payload;
  const cb = p.callback_query as Obj | undefined;
  if (cb) return { ...(await handleCallback(cb, ctx, deps)), audits };
  const msg = p.message as Obj | undefined;
  const text = textAnswer(u, ctx, deps);
  if (typeof msg?.text === "string") return { ...((await text.resume(msg.text, `upd:${u.id}`)) ?? (await text.first(msg.text))), audits };
  if (u.kind === "voice") return { ...(await deps.voice(u, ctx, text)), audits };
  if (u.kind === "edited" || u.kind === "other") return { replies: [], audits };
  if (msg?.document !== undefined) return { replies: [{ text: NOT_AUDIO_DOCUMENT_TEXT }], audits };
  return {
    replies: [{ text: "Я понимаю текст, голосовые и кнопки. Напиши, например: «выручка за неделю», или открой /start." }],
    audits,
  };
}

function textAnswer(u: ClaimedUpdate, ctx: DomainCtx, deps: HandleDeps): TextAnswer {
  const planned = deps.planned;
  return {
    resume: async (text, stage) => (planned ? planned.resume(u, text, ctx, stage) : null),
    first: async (text) => {
      if (!planned) return { replies: await deps.domain.text(text, ctx) };
      let deferred: string | undefined;
      const replies = await deps.domain.text(text, { ...ctx, defer: (t) => void (deferred = t) });
      return deferred !== undefined ? planned.start(u, deferred) : { replies };
    },
  };
}

async function handleCallback(cb: Obj, ctx: DomainCtx, deps: HandleDeps): Promise<Omit<Handled, "audits">> {
  const id = String(cb.id);
  const data = typeof cb.data === "string" ? cb.data : "";
  const messageId = (cb.message as Obj | undefined)?.message_id as number | undefined;
  const base = messageId !== undefined ? { editMessageId: messageId } : {};
  const parsed = parseCallbackData(data);
  const token = parsed ? await deps.loadToken(parsed.token) : null;
  const actions = Array.isArray(token?.payload) ? (token.payload as ButtonAction[]) : [];
  const action = parsed ? actions[parsed.index] : undefined;
  if (token === null || token.chatId !== ctx.chatId || action === undefined) {
    // Unknown, expired, forged, or another chat's button: nothing runs.
    ctx.audit({ type: token === null ? "callback_token_unknown" : "callback_token_mismatch", payload: { chat_id: ctx.chatId } });
    return { ...base, callbackAnswer: { id, text: "Кнопка устарела. Открой меню заново: /start" }, replies: [] };
  }
  if (action.t === "noop") return { ...base, callbackAnswer: { id }, replies: [] };
  const answer: { v: { text?: string; alert?: boolean } | null } = { v: {} };
  const callback: CallbackCtx = {
    queryId: id,
    ...(messageId !== undefined ? { messageId } : {}),
    answer: (text, alert) => void (answer.v = { text, ...(alert ? { alert: true } : {}) }),
    answered: () => void (answer.v = null),
  };
  const onMessage = { ...ctx, callback, ...(messageId !== undefined ? { buttonMessageId: messageId } : {}) };
  const replies = await deps.domain.action(action, onMessage);
  return { ...base, ...(answer.v ? { callbackAnswer: { id, ...answer.v } } : {}), replies };
}
