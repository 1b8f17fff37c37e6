import type { ButtonAction, Reply } from "@ownerbot/shared/domain/contract";
import type { AuditInsert } from "@ownerbot/shared/db/outbox.queries";
import type { ClaimedUpdate } from "@ownerbot/shared/db/inbox.queries";
import type { RuntimeStatus } from "./status.ts";

export type Handled = {
  replies: Reply[];
  /** The message a pressed button sits on, for replies that edit in place. */
  editMessageId?: number;
  /** Every callback query is answered, or the owner's button keeps spinning. */
  callbackAnswer?: { id: string; text?: string; alert?: boolean };
  audits: AuditInsert[];
};

export type HandleDeps = {
  status: () => Promise<RuntimeStatus>;
  loadToken: (token: string) => Promise<{ chatId: number; payload: unknown } | null>;
  /** Domain handlers: commands, free text and button actions. */
  domain: DomainHandlers;
};

export type DomainHandlers = {
  command: (name: string, args: string, ctx: DomainCtx) => Promise<Reply[]>;
  text: (text: string, ctx: DomainCtx) => Promise<Reply[]>;
  action: (action: ButtonAction, ctx: DomainCtx) => Promise<Reply[]>;
  voice: (ctx: DomainCtx) => Promise<Reply[]>;
};

export type DomainCtx = { chatId: number; userId: number; correlationId: string; status: () => Promise<RuntimeStatus> };

type Obj = Record<string, unknown>;

export async function handleUpdate(u: ClaimedUpdate, deps: HandleDeps): Promise<Handled> {
  const ctx: DomainCtx = { chatId: u.chatId, userId: u.userId ?? 0, correlationId: `upd-${u.id}`, status: deps.status };
  const p = u.payload;
  const cb = p.callback_query as Obj | undefined;
  if (cb) return handleCallback(cb, ctx, deps);
  const msg = p.message as Obj | undefined;
  const text = typeof msg?.text === "string" ? msg.text : undefined;
  if (text !== undefined) {
    const cmd = /^\/([A-Za-z0-9_]{1,64})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
    if (cmd) return { replies: await deps.domain.command(cmd[1]!.toLowerCase(), (cmd[2] ?? "").trim(), ctx), audits: [] };
    return { replies: await deps.domain.text(text, ctx), audits: [] };
  }
  if (u.kind === "voice") return { replies: await deps.domain.voice(ctx), audits: [] };
  if (u.kind === "edited" || u.kind === "other") return { replies: [], audits: [] };
  return {
    replies: [{ text: "Я понимаю текст, голосовые и кнопки. Напиши, например: «выручка за неделю», или открой /start." }],
    audits: [],
  };
}

async function handleCallback(cb: Obj, ctx: DomainCtx, deps: HandleDeps): Promise<Handled> {
  const id = String(cb.id);
  const data = typeof cb.data === "string" ? cb.data : "";
  const messageId = (cb.message as Obj | undefined)?.message_id as number | undefined;
  const base = messageId !== undefined ? { editMessageId: messageId } : {};
  const token = /^[A-Za-z0-9_-]{22}$/.test(data) ? await deps.loadToken(data) : null;
  if (token === null || token.chatId !== ctx.chatId) {
    return {
      ...base,
      callbackAnswer: { id, text: "Кнопка устарела. Открой меню заново: /start" },
      replies: [],
      audits: token === null && data !== "" ? [] : [{ type: "callback_token_mismatch", actorId: ctx.userId, payload: { chat_id: ctx.chatId } }],
    };
  }
  const replies = await deps.domain.action(token.payload as ButtonAction, ctx);
  return { ...base, callbackAnswer: { id }, replies, audits: [] };
}
