import type { FakeState } from "./state.ts";
import type { PushCallbackOptions, PushTextOptions, PushVoiceOptions, TgCallbackQuery, TgEntity, TgMessage, TgUpdate } from "./types.ts";

const COMMAND = /^\/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,64})?/;

/** A user's text message; `/cmd` at the start gets a bot_command entity like real clients. */
export function pushText(state: FakeState, userId: number, text: string, opts: PushTextOptions = {}): TgUpdate {
  const from = state.user(userId, opts.username, opts.firstName);
  const chatType = opts.chatType ?? "private";
  const chatId = opts.chatId ?? (chatType === "private" ? userId : -userId);
  const chat = state.chats.get(chatId) ?? state.addChat(chatId, { type: chatType });
  const fields: Omit<TgMessage, "message_id" | "date" | "chat"> = {
    from,
    text,
  };
  const command = COMMAND.exec(text);
  if (command) {
    const entities: TgEntity[] = [{ offset: 0, length: command[0].length, type: "bot_command" }];
    fields.entities = entities;
  }
  const message = state.addMessage(chat, fields);
  return state.pushUpdate({ message });
}

/**
 * A button press. Without `messageId` it presses on the bot's latest message in
 * the chat; a message that no longer exists arrives as an inaccessible message.
 */
export function pushCallback(state: FakeState, userId: number, data: string, opts: PushCallbackOptions = {}): TgUpdate {
  const from = state.user(userId, opts.username);
  const chatId = opts.chatId ?? userId;
  const chat = state.chats.get(chatId) ?? state.addChat(chatId);
  const messageId = opts.messageId ?? chat.lastBotMessageId;
  const query: TgCallbackQuery = {
    id: state.newCallbackId(),
    from,
    chat_instance: String(chatId * 7919 + 1_000_003),
    data,
  };
  if (messageId !== undefined) {
    query.message = chat.messages.get(messageId) ?? {
      message_id: messageId,
      date: 0,
      chat: chat.chat,
    };
  }
  return state.pushUpdate({ callback_query: query });
}

/** A voice note (or, with `asDocument`, an audio file sent as a document). */
export function pushVoice(state: FakeState, userId: number, bytes: Buffer, opts: PushVoiceOptions = {}): TgUpdate {
  const from = state.user(userId);
  const chatId = opts.chatId ?? userId;
  const chat = state.chats.get(chatId) ?? state.addChat(chatId);
  const mimeType = opts.mimeType ?? "audio/ogg";
  const fields: Omit<TgMessage, "message_id" | "date" | "chat"> = { from };
  if (opts.asDocument) {
    const name = opts.fileName ?? "voice.ogg";
    const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1] ?? "dat";
    const file = state.addFile(bytes, "documents", ext, mimeType, name);
    fields.document = {
      file_name: name,
      mime_type: mimeType,
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.size,
    };
  } else if (opts.as === "audio" || opts.as === "video_note") {
    const video = opts.as === "video_note";
    const name = opts.fileName ?? (video ? "video.mp4" : "audio.mp3");
    const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1] ?? "dat";
    const file = state.addFile(bytes, video ? "video_notes" : "music", ext, opts.mimeType ?? (video ? "video/mp4" : "audio/mpeg"), name);
    const ref = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.size, duration: opts.duration ?? 1 };
    if (video) fields.video_note = { ...ref, length: 240 };
    else fields.audio = { ...ref, mime_type: file.mime_type, file_name: name };
  } else {
    const file = state.addFile(bytes, "voice", "oga", mimeType);
    fields.voice = {
      duration: opts.duration ?? oggOpusSeconds(bytes) ?? 1,
      mime_type: mimeType,
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.size,
    };
  }
  return state.pushUpdate({ message: state.addMessage(chat, fields) });
}

const MAX_PLAUSIBLE_SECONDS = 24 * 3600;

/**
 * Duration from the granule position of the last Ogg page (Opus runs at 48 kHz).
 * Anything that does not look like a real page gives undefined: hostile "ogg"
 * files are pushed on purpose and must not produce absurd durations.
 */
export function oggOpusSeconds(bytes: Buffer): number | undefined {
  const at = bytes.lastIndexOf("OggS");
  if (at < 0 || at + 27 > bytes.length || !bytes.subarray(0, 4).equals(Buffer.from("OggS"))) return undefined;
  if (bytes[at + 4] !== 0 || (bytes[at + 5] ?? 0xff) > 7) return undefined;
  const granule = Number(bytes.readBigInt64LE(at + 6));
  const seconds = granule / 48_000;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_PLAUSIBLE_SECONDS) return undefined;
  return Math.max(1, Math.round(seconds));
}
