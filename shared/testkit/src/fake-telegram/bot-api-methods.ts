import { badRequest } from "./api-error.ts";
import { getFile, sendDocument, sendPhoto } from "./file-methods.ts";
import { deleteMessage, editMessageCaption, editMessageReplyMarkup, editMessageText, sendMessage } from "./message-methods.ts";
import { chatIdOf, optBool, optInt, optJson, optStr, type Params } from "./params.ts";
import type { FakeState } from "./state.ts";
import type { CallbackAnswer } from "./types.ts";

export type MethodHandler = (state: FakeState, p: Params) => unknown;

const CALLBACK_TTL_MS = 15 * 60 * 1000;
const QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid";
const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

function answerCallbackQuery(state: FakeState, p: Params): true {
  const id = optStr(p, "callback_query_id") ?? "";
  const query = state.callbacks.get(id);
  if (!query || query.answered || state.now() - query.createdAt > CALLBACK_TTL_MS) throw badRequest(QUERY_INVALID);
  const text = optStr(p, "text");
  if (text !== undefined && text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
  query.answered = true;
  const answer: CallbackAnswer = { callback_query_id: id, at: state.now() };
  if (text !== undefined) answer.text = text;
  const alert = optBool(p, "show_alert");
  if (alert !== undefined) answer.show_alert = alert;
  const url = optStr(p, "url");
  if (url !== undefined) answer.url = url;
  const cacheTime = optInt(p, "cache_time");
  if (cacheTime !== undefined) answer.cache_time = cacheTime;
  state.answers.push(answer);
  return true;
}

function sendChatAction(state: FakeState, p: Params): true {
  state.requireChat(chatIdOf(p));
  if (!CHAT_ACTIONS.has(optStr(p, "action") ?? "")) throw badRequest("wrong parameter action in request");
  return true;
}

function commandsKey(p: Params): string {
  const scope = optJson(p, "scope", "can't parse BotCommandScope JSON object") ?? { type: "default" };
  return `${JSON.stringify(scope)}|${optStr(p, "language_code") ?? ""}`;
}

function setMyCommands(state: FakeState, p: Params): true {
  const commands = optJson(p, "commands", "can't parse commands JSON object");
  if (!Array.isArray(commands)) throw badRequest("commands must be an Array");
  if (commands.length > 100) throw badRequest("too many commands");
  for (const c of commands as { command?: unknown; description?: unknown }[]) {
    if (typeof c.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest("BOT_COMMAND_INVALID");
    if (typeof c.description !== "string" || c.description.length < 1 || c.description.length > 256) {
      throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
    }
  }
  state.commands.set(commandsKey(p), commands);
  return true;
}

export interface GetUpdatesArgs {
  offset: number;
  limit: number;
  timeout: number;
  allowedUpdates: string[] | undefined;
}

export function getUpdatesArgs(p: Params): GetUpdatesArgs {
  const limit = optInt(p, "limit") ?? 100;
  const allowed = optJson(p, "allowed_updates", "can't parse allowed_updates JSON array");
  return {
    offset: optInt(p, "offset") ?? 0,
    // The real server clamps limit instead of rejecting it.
    limit: limit < 1 || limit > 100 ? 100 : limit,
    timeout: Math.max(0, optInt(p, "timeout") ?? 0),
    allowedUpdates: Array.isArray(allowed) ? allowed.map(String) : undefined,
  };
}

/** Synchronous methods by canonical name; getUpdates is asynchronous and lives in the server. */
export const METHODS: Record<string, MethodHandler> = {
  getMe: (state) => ({
    ...state.bot,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  }),
  deleteWebhook: (state, p) => {
    if (optBool(p, "drop_pending_updates")) state.updates.dropPending();
    return true;
  },
  getWebhookInfo: (state) => ({
    url: "",
    has_custom_certificate: false,
    pending_update_count: state.updates.pending,
  }),
  setMyCommands,
  getMyCommands: (state, p) => state.commands.get(commandsKey(p)) ?? [],
  deleteMyCommands: (state, p) => {
    state.commands.delete(commandsKey(p));
    return true;
  },
  sendMessage,
  editMessageText,
  editMessageCaption,
  editMessageReplyMarkup,
  deleteMessage,
  answerCallbackQuery,
  sendChatAction,
  sendPhoto,
  sendDocument,
  getFile,
};

// Method names are case-insensitive on the real server.
const CANONICAL = new Map(["getUpdates", ...Object.keys(METHODS)].map((name) => [name.toLowerCase(), name]));

export function canonicalMethod(name: string): string | undefined {
  return CANONICAL.get(name.toLowerCase());
}
