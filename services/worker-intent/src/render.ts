import { randomBytes } from "node:crypto";
import type { Button, Reply } from "@ownerbot/domain/contract";
import type { OutboxInsert, TokenInsert } from "@ownerbot/core/db";
import { fitRows } from "@ownerbot/domain/ui";

export const TELEGRAM_TEXT_LIMIT = 4096;
/** Buttons outlive the message they are on for a week; after that the owner opens the menu again. */
export const TOKEN_TTL_SEC = 7 * 24 * 3600;

export type Rendered = { outbox: Omit<OutboxInsert, "cause" | "seq">[]; tokens: TokenInsert[] };

// Random bytes are drawn in blocks: one getrandom call per 256 tokens instead of one per token.
let pool = Buffer.alloc(0);
let used = 0;

/** 128 bits, base64url: 22 characters of callback_data that mean nothing without the server. */
export function newToken(): string {
  if (used + 16 > pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  used += 16;
  return pool.subarray(used - 16, used).toString("base64url");
}

/**
 * Splits at line breaks where possible so no message passes Telegram's 4096-character limit, which
 * Telegram counts in UTF-16 code units (an emoji outside the BMP is two). A cut never falls inside
 * a surrogate pair.
 */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  if (text.length === 0) return ["…"];
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf("\n", limit);
    if (cut < limit / 2) {
      cut = limit;
      const unit = rest.charCodeAt(cut - 1);
      if (unit >= 0xd800 && unit <= 0xdbff) cut -= 1; // a high surrogate stays with its pair
    }
    parts.push(rest.slice(0, cut));
    rest = rest.slice(rest[cut] === "\n" ? cut + 1 : cut);
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/**
 * One token per keyboard: callback_data is `<token>:<button index>`. The token (128 random bits)
 * is what cannot be guessed; the index only picks among the actions stored with it.
 */
function keyboard(rows: Button[][], chatId: number, tokens: TokenInsert[]): { inline_keyboard: unknown[][] } {
  const token = newToken();
  const actions: unknown[] = [];
  // Rows are re-laid so no label is cut on a phone (a long one gets fewer neighbours).
  const inline_keyboard = fitRows(rows).map((row) =>
    row.map((b) => {
      if ("url" in b) return { text: b.text, url: b.url };
      actions.push(b.action);
      return { text: b.text, callback_data: `${token}:${actions.length - 1}` };
    }),
  );
  if (actions.length > 0) tokens.push({ token, chatId, payload: actions, ttlSec: TOKEN_TTL_SEC });
  return { inline_keyboard };
}

/** Splits callback_data into the keyboard's token and the pressed button's index. */
export function parseCallbackData(data: string): { token: string; index: number } | null {
  const m = /^([A-Za-z0-9_-]{22}):(\d{1,3})$/.exec(data);
  return m ? { token: m[1]!, index: Number(m[2]) } : null;
}

/**
 * Turns replies into Bot API calls. `editMessageId` is the message a clicked button sits on; a
 * reply marked editInPlace replaces it, everything else is a new message.
 */
export function renderReplies(chatId: number, replies: Reply[], editMessageId?: number, replyTo?: number): Rendered {
  const outbox: Rendered["outbox"] = [];
  const tokens: TokenInsert[] = [];
  // Only the first new message quotes the one it answers; a deleted original does not stop it.
  let quote = replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : undefined;
  for (const reply of replies) {
    if (reply.closeKeyboardOf !== undefined) {
      outbox.push({
        chatId,
        method: "editMessageReplyMarkup",
        payload: { chat_id: chatId, message_id: reply.closeKeyboardOf, reply_markup: { inline_keyboard: [] } },
      });
    }
    const parts = splitText(reply.text);
    parts.forEach((text, i) => {
      const last = i === parts.length - 1;
      const markup = last && reply.buttons && reply.buttons.length > 0 ? keyboard(reply.buttons, chatId, tokens) : undefined;
      const edit = reply.editInPlace === true && editMessageId !== undefined && parts.length === 1;
      const quoted = edit ? undefined : quote;
      if (!edit) quote = undefined;
      outbox.push({
        chatId,
        method: edit ? "editMessageText" : "sendMessage",
        payload: {
          chat_id: chatId,
          ...(edit ? { message_id: editMessageId } : {}),
          text,
          ...(quoted ?? {}),
          ...(markup ? { reply_markup: markup } : {}),
          link_preview_options: { is_disabled: true },
        },
      });
    });
    for (const a of reply.artifacts ?? []) {
      const method = a.kind === "png" ? "sendPhoto" : "sendDocument";
      outbox.push({
        chatId,
        method,
        payload: {
          chat_id: chatId,
          ...(a.caption ? { caption: a.caption.slice(0, 1024) } : {}),
          file: { filename: a.filename, base64: a.content.toString("base64"), field: a.kind === "png" ? "photo" : "document" },
        },
      });
    }
  }
  return { outbox, tokens };
}

/** How many outbox rows renderReplies makes of one reply. */
function rowsOf(reply: Reply): number {
  return (reply.closeKeyboardOf !== undefined ? 1 : 0) + splitText(reply.text).length + (reply.artifacts?.length ?? 0);
}

/**
 * The `seq` of the outbox row that sends the (first) text of `replies[index]`: the drain numbers an
 * update's rows in order, the callback answer of a pressed button first, then these rows.
 */
export function outboxSeqOf(replies: Reply[], index: number, fromButton: boolean): number {
  let seq = fromButton ? 1 : 0;
  for (const r of replies.slice(0, index)) seq += rowsOf(r);
  return seq + (replies[index]?.closeKeyboardOf !== undefined ? 1 : 0);
}
