import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { badRequest } from "./api-error.ts";
import { UpdateQueue } from "./update-queue.ts";
import type { AddChatOptions, CallbackAnswer, CallRecord, TgChat, TgMessage, TgUpdate, TgUser } from "./types.ts";

export interface ChatState {
  chat: TgChat;
  nextMessageId: number;
  /** Insertion-ordered, so iteration is chat order and deletion is O(1). */
  messages: Map<number, TgMessage>;
  lastBotMessageId: number | undefined;
}

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  mime_type: string;
  file_name: string | undefined;
  size: number;
  data: Buffer | undefined;
  /** Photos sent by URL are remembered, not fetched. */
  url: string | undefined;
}

export interface CallbackState {
  createdAt: number;
  answered: boolean;
}

/** What the SSE stream and the web chat see, numbered so a snapshot can be joined to it. */
export interface FakeEvent {
  id: number;
  kind: "call" | "update";
  data: CallRecord | TgUpdate;
}

/** Everything the fake remembers. Handlers mutate it; the server and tests read it. */
export class FakeState {
  readonly bot: TgUser;
  readonly now: () => number;
  readonly events = new EventEmitter();
  readonly updates = new UpdateQueue();
  readonly chats = new Map<number, ChatState>();
  readonly users = new Map<number, TgUser>();
  readonly files = new Map<string, StoredFile>();
  readonly filesByPath = new Map<string, StoredFile>();
  readonly callbacks = new Map<string, CallbackState>();
  readonly answers: CallbackAnswer[] = [];
  readonly callLog: CallRecord[] = [];
  readonly commands = new Map<string, unknown[]>();
  #eventId = 0;
  #fileCounter = 0;
  #callbackCounter = 0;

  constructor(bot: TgUser, now: () => number) {
    this.bot = bot;
    this.now = now;
    this.events.setMaxListeners(0);
  }

  get lastEventId(): number {
    return this.#eventId;
  }

  unixNow(): number {
    return Math.floor(this.now() / 1000);
  }

  record(call: Omit<CallRecord, "seq" | "at">): CallRecord {
    const rec: CallRecord = {
      seq: this.callLog.length + 1,
      at: Date.now(),
      ...call,
    };
    this.callLog.push(rec);
    this.events.emit("call", rec);
    this.#emit("call", rec);
    return rec;
  }

  /** Assigns an update_id when missing, learns chats and callback ids, and queues it. */
  pushUpdate(raw: object): TgUpdate {
    const given = (raw as { update_id?: unknown }).update_id;
    const updateId = typeof given === "number" ? given : this.updates.nextId();
    const update = { update_id: updateId, ...raw } as TgUpdate;
    update.update_id = updateId;
    this.#learn(update);
    this.updates.push(update);
    this.#emit("update", update);
    return update;
  }

  user(id: number, username?: string, firstName?: string): TgUser {
    const known = this.users.get(id);
    if (known && username === undefined && firstName === undefined) return known;
    const user: TgUser = {
      id,
      is_bot: false,
      first_name: firstName ?? known?.first_name ?? `User ${id}`,
      language_code: "ru",
    };
    const name = username ?? known?.username;
    if (name !== undefined) user.username = name;
    this.users.set(id, user);
    return user;
  }

  addChat(chatId: number, opts: AddChatOptions = {}): ChatState {
    const known = this.chats.get(chatId);
    if (known) return known;
    const type = opts.type ?? (chatId > 0 ? "private" : "group");
    const chat: TgChat = { id: chatId, type };
    if (type === "private") {
      chat.first_name = opts.firstName ?? this.users.get(chatId)?.first_name ?? `User ${chatId}`;
      const username = opts.username ?? this.users.get(chatId)?.username;
      if (username !== undefined) chat.username = username;
    } else {
      chat.title = opts.title ?? `Chat ${chatId}`;
    }
    const state: ChatState = {
      chat,
      nextMessageId: 1,
      messages: new Map(),
      lastBotMessageId: undefined,
    };
    this.chats.set(chatId, state);
    return state;
  }

  requireChat(chatId: number): ChatState {
    const chat = this.chats.get(chatId);
    if (!chat) throw badRequest("chat not found");
    return chat;
  }

  /** Stores a message under a fresh id of its chat; ids are shared by both sides, as in Telegram. */
  addMessage(chat: ChatState, fields: Omit<TgMessage, "message_id" | "date" | "chat">): TgMessage {
    // Field order as Telegram writes it, which keeps logs and snapshots readable.
    const message = {
      message_id: chat.nextMessageId++,
      from: fields.from,
      chat: chat.chat,
      date: this.unixNow(),
      ...fields,
    } as TgMessage;
    if (message.from === undefined) delete message.from;
    this.putMessage(chat, message);
    return message;
  }

  putMessage(chat: ChatState, message: TgMessage): void {
    chat.messages.set(message.message_id, message);
    if (message.message_id >= chat.nextMessageId) chat.nextMessageId = message.message_id + 1;
    if (message.from?.id === this.bot.id) chat.lastBotMessageId = message.message_id;
  }

  addFile(data: Buffer | undefined, kind: string, ext: string, mimeType: string, fileName?: string, url?: string): StoredFile {
    const n = ++this.#fileCounter;
    const file: StoredFile = {
      file_id: `${kind.slice(0, 3).toUpperCase()}${n}_${randomBytes(9).toString("base64url")}`,
      file_unique_id: `U${n}${randomBytes(3).toString("hex")}`,
      file_path: `${kind}/file_${n}.${ext}`,
      mime_type: mimeType,
      file_name: fileName,
      size: data?.length ?? 0,
      data,
      url,
    };
    this.files.set(file.file_id, file);
    this.filesByPath.set(file.file_path, file);
    return file;
  }

  newCallbackId(): string {
    // Real ids are long decimal strings; a prefix from the bot id keeps them unique per fake.
    return `${this.bot.id}${String(++this.#callbackCounter).padStart(9, "0")}`;
  }

  #learn(update: TgUpdate): void {
    for (const key of ["message", "edited_message", "channel_post", "business_message"]) {
      const m = update[key] as TgMessage | undefined;
      if (!m?.chat || typeof m.chat.id !== "number") continue;
      const chat = this.chats.get(m.chat.id) ?? this.#adoptChat(m.chat);
      if (typeof m.message_id === "number") this.putMessage(chat, m);
    }
    const cq = update.callback_query;
    if (cq && typeof cq.id === "string") {
      this.callbacks.set(cq.id, { createdAt: this.now(), answered: false });
      if (cq.from && typeof cq.from.id === "number" && !this.chats.has(cq.from.id)) {
        this.addChat(cq.from.id);
      }
    }
  }

  #adoptChat(chat: TgChat): ChatState {
    const state: ChatState = {
      chat,
      nextMessageId: 1,
      messages: new Map(),
      lastBotMessageId: undefined,
    };
    this.chats.set(chat.id, state);
    return state;
  }

  #emit(kind: FakeEvent["kind"], data: FakeEvent["data"]): void {
    const id = ++this.#eventId;
    if (this.events.listenerCount("event") > 0) this.events.emit("event", { id, kind, data });
  }
}
