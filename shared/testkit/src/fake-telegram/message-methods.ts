import { badRequest } from "./api-error.ts";
import { parseHtml } from "./html-text.ts";
import { chatIdOf, optInt, optJson, optStr, requireMessageId, type Params } from "./params.ts";
import type { ChatState, FakeState } from "./state.ts";
import type { InlineButton, ReplyMarkup, TgEntity, TgMessage } from "./types.ts";

const BUTTON_URL = /^(https?|tg):\/\/\S+$/i;
const BUTTON_ACTIONS = [
  "callback_data",
  "url",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

export interface FormattedText {
  text: string;
  entities: TgEntity[] | undefined;
}

/** Text or caption after parse_mode, with Telegram's length rules (counted in UTF-16 units). */
export function formattedText(
  p: Params,
  key: "text" | "caption",
  parseModeKey: string,
  max: number,
  errors: { empty?: string; tooLong: string },
): FormattedText {
  const raw = optStr(p, key) ?? "";
  const mode = optStr(p, parseModeKey)?.toLowerCase() ?? "";
  let text = raw;
  let entities: TgEntity[] | undefined;
  if (mode === "html") ({ text, entities } = parseHtml(raw));
  else if (mode !== "" && mode !== "markdown" && mode !== "markdownv2") throw badRequest("unsupported parse_mode");
  else {
    const given = optJson(p, key === "text" ? "entities" : "caption_entities", "can't parse entities JSON object");
    if (Array.isArray(given)) entities = given as TgEntity[];
  }
  if (errors.empty && text.trim() === "") throw badRequest(errors.empty);
  if (text.length > max) throw badRequest(errors.tooLong);
  const all = [...(entities ?? []), ...autoEntities(text, entities ?? [])];
  all.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities: all.length > 0 ? all : undefined };
}

const AUTO = /(?<=^|\s)\/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?(?=$|[\s.,!?;:)])|https?:\/\/[^\s<>"]+[^\s<>".,!?;:)]/g;

/** Telegram detects commands and links in any message text by itself. */
function autoEntities(text: string, given: readonly TgEntity[]): TgEntity[] {
  const found: TgEntity[] = [];
  for (const m of text.matchAll(AUTO)) {
    const offset = m.index;
    const length = m[0].length;
    if (given.some((e) => e.offset < offset + length && offset < e.offset + e.length)) continue;
    found.push({
      offset,
      length,
      type: m[0].startsWith("/") ? "bot_command" : "url",
    });
  }
  return found;
}

/**
 * Validates reply_markup. Only inline keyboards are echoed back in the Message,
 * as Telegram does; an empty inline keyboard means "no keyboard".
 */
export function replyMarkup(p: Params): {
  inline: ReplyMarkup | undefined;
  given: boolean;
} {
  const m = optJson(p, "reply_markup", "can't parse reply keyboard markup JSON object");
  if (m === undefined) return { inline: undefined, given: false };
  if (typeof m !== "object" || m === null || Array.isArray(m)) {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  const kb = (m as ReplyMarkup).inline_keyboard;
  if (kb === undefined) return { inline: undefined, given: true };
  if (!Array.isArray(kb) || kb.some((row) => !Array.isArray(row))) {
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
  }
  const rows: InlineButton[][] = [];
  for (const row of kb) {
    const out: InlineButton[] = [];
    for (const b of row as unknown[]) out.push(inlineButton(b));
    if (out.length > 0) rows.push(out);
  }
  return {
    inline: rows.length > 0 ? { inline_keyboard: rows } : undefined,
    given: true,
  };
}

function inlineButton(b: unknown): InlineButton {
  if (typeof b !== "object" || b === null || typeof (b as InlineButton).text !== "string") {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  const button = b as InlineButton;
  if (button.text === "") throw badRequest("BUTTON_TEXT_INVALID");
  if (button.callback_data !== undefined) {
    const bytes = Buffer.byteLength(String(button.callback_data));
    if (bytes < 1 || bytes > 64) throw badRequest("BUTTON_DATA_INVALID");
    return { ...button, callback_data: String(button.callback_data) };
  }
  if (button.url !== undefined && !BUTTON_URL.test(String(button.url))) throw badRequest("BUTTON_URL_INVALID");
  if (!BUTTON_ACTIONS.some((k) => button[k] !== undefined)) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  return button;
}

/** reply_parameters / reply_to_message_id; a missing target fails unless told otherwise. */
export function replyTarget(chat: ChatState, p: Params): TgMessage | undefined {
  const params = optJson(p, "reply_parameters", "can't parse reply parameters JSON object") as
    { message_id?: number; allow_sending_without_reply?: boolean } | undefined;
  const id = params?.message_id ?? optInt(p, "reply_to_message_id");
  if (id === undefined) return undefined;
  const target = chat.messages.get(id);
  const lenient = params?.allow_sending_without_reply === true || p.allow_sending_without_reply === true;
  if (!target && !lenient) throw badRequest("message to be replied not found");
  if (!target) return undefined;
  // Telegram nests replies one level deep only.
  const { reply_to_message: _nested, ...flat } = target;
  return flat;
}

export function sendMessage(state: FakeState, p: Params): TgMessage {
  const chat = state.requireChat(chatIdOf(p));
  const { text, entities } = formattedText(p, "text", "parse_mode", 4096, {
    empty: "message text is empty",
    tooLong: "message is too long",
  });
  const { inline } = replyMarkup(p);
  const fields: Omit<TgMessage, "message_id" | "date" | "chat"> = {
    from: state.bot,
    text,
  };
  if (entities) fields.entities = entities;
  const reply = replyTarget(chat, p);
  if (reply) fields.reply_to_message = reply;
  if (inline) fields.reply_markup = inline;
  return state.addMessage(chat, fields);
}

function editable(state: FakeState, p: Params): { chat: ChatState; message: TgMessage } {
  if (p.inline_message_id !== undefined) throw badRequest("inline messages are not supported by the fake");
  const chat = state.requireChat(chatIdOf(p));
  const message = chat.messages.get(requireMessageId(p));
  if (!message) throw badRequest("message to edit not found");
  if (message.from?.id !== state.bot.id) throw badRequest("message can't be edited");
  return { chat, message };
}

const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Writes an edited copy: earlier results in the call log keep the old content. */
function replaceMessage(state: FakeState, chat: ChatState, next: TgMessage): TgMessage {
  for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
  next.edit_date = state.unixNow();
  state.putMessage(chat, next);
  return next;
}

// Like Telegram, an edit without reply_markup removes the inline keyboard.
export function editMessageText(state: FakeState, p: Params): TgMessage {
  const { chat, message } = editable(state, p);
  if (message.text === undefined) throw badRequest("there is no text in the message to edit");
  const { text, entities } = formattedText(p, "text", "parse_mode", 4096, {
    empty: "message text is empty",
    tooLong: "message is too long",
  });
  const { inline } = replyMarkup(p);
  if (text === message.text && same(entities, message.entities) && same(inline, message.reply_markup)) {
    throw badRequest(NOT_MODIFIED);
  }
  return replaceMessage(state, chat, {
    ...message,
    text,
    entities,
    reply_markup: inline,
  });
}

export function editMessageCaption(state: FakeState, p: Params): TgMessage {
  const { chat, message } = editable(state, p);
  const { text, entities } = formattedText(p, "caption", "parse_mode", 1024, {
    tooLong: "message caption is too long",
  });
  const { inline } = replyMarkup(p);
  const caption = text === "" ? undefined : text;
  if (caption === message.caption && same(entities, message.caption_entities) && same(inline, message.reply_markup)) {
    throw badRequest(NOT_MODIFIED);
  }
  return replaceMessage(state, chat, {
    ...message,
    caption,
    caption_entities: entities,
    reply_markup: inline,
  });
}

export function editMessageReplyMarkup(state: FakeState, p: Params): TgMessage {
  const { chat, message } = editable(state, p);
  const { inline } = replyMarkup(p);
  if (same(inline, message.reply_markup)) throw badRequest(NOT_MODIFIED);
  return replaceMessage(state, chat, { ...message, reply_markup: inline });
}

export function deleteMessage(state: FakeState, p: Params): true {
  const chat = state.requireChat(chatIdOf(p));
  const id = requireMessageId(p);
  if (!chat.messages.delete(id)) throw badRequest("message to delete not found");
  return true;
}
