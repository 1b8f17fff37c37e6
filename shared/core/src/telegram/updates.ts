// What the pipeline needs to know about an update before anyone looks inside it.
import { isAudioDocument } from "../asr/voice-file.ts";
import type { Update } from "grammy/types";

export type UpdateKind = "command" | "text" | "callback" | "voice" | "message" | "edited" | "other";

export type Classified = { chatId: number; userId: number | null; kind: UpdateKind };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === "object" && v !== null ? (v as Obj) : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** Reads the update as plain data: a hostile or future update must classify, never throw. */
export function classifyUpdate(u: Update): Classified {
  const update = u as unknown as Obj;
  const msg = obj(update.message);
  if (msg) {
    const chatId = num(obj(msg.chat)?.id) ?? 0;
    const userId = num(obj(msg.from)?.id) ?? null;
    const text = typeof msg.text === "string" ? msg.text : undefined;
    const isAudioDoc = isAudioDocument(obj(msg.document));
    const kind: UpdateKind =
      text !== undefined
        ? text.startsWith("/")
          ? "command"
          : "text"
        : msg.voice !== undefined || msg.audio !== undefined || msg.video_note !== undefined || isAudioDoc
          ? "voice"
          : "message";
    return { chatId, userId, kind };
  }
  const cb = obj(update.callback_query);
  if (cb) {
    const userId = num(obj(cb.from)?.id) ?? null;
    const chatId = num(obj(obj(cb.message)?.chat)?.id) ?? userId ?? 0;
    return { chatId, userId, kind: "callback" };
  }
  for (const key of ["edited_message", "channel_post", "edited_channel_post"]) {
    const m = obj(update[key]);
    if (m)
      return {
        chatId: num(obj(m.chat)?.id) ?? 0,
        userId: num(obj(m.from)?.id) ?? null,
        kind: key === "edited_message" ? "edited" : "other",
      };
  }
  // my_chat_member, inline queries and the rest: keyed by whoever sent them so order still holds.
  for (const v of Object.values(update)) {
    const o = obj(v);
    const from = num(obj(o?.from)?.id);
    const chat = num(obj(o?.chat)?.id);
    if (chat !== undefined || from !== undefined) return { chatId: chat ?? from ?? 0, userId: from ?? null, kind: "other" };
  }
  return { chatId: 0, userId: null, kind: "other" };
}
