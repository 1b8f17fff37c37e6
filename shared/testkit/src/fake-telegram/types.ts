// Loose Telegram shapes: the fake builds and stores these, and tests read them back.
// grammY's own types are deliberately not used here: their strict unions make a
// server that constructs arbitrary (and sometimes hostile) objects awkward.

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
  language_code?: string;
  [k: string]: unknown;
}

export interface TgChat {
  id: number;
  type: "private" | "group" | "supergroup" | "channel";
  first_name?: string;
  username?: string;
  title?: string;
}

export interface TgEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [k: string]: unknown;
}

export interface ReplyMarkup {
  inline_keyboard?: InlineButton[][];
  [k: string]: unknown;
}

export interface TgFileRef {
  file_id: string;
  file_unique_id: string;
  file_size?: number;
  [k: string]: unknown;
}

export interface TgMessage {
  message_id: number;
  date: number;
  chat: TgChat;
  from?: TgUser;
  text?: string;
  entities?: TgEntity[];
  caption?: string;
  caption_entities?: TgEntity[];
  reply_markup?: ReplyMarkup;
  edit_date?: number;
  photo?: TgFileRef[];
  document?: TgFileRef;
  voice?: TgFileRef;
  [k: string]: unknown;
}

export interface TgCallbackQuery {
  id: string;
  from: TgUser;
  message?: TgMessage;
  chat_instance: string;
  data?: string;
  [k: string]: unknown;
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  callback_query?: TgCallbackQuery;
  [k: string]: unknown;
}

/** One Bot API request as the fake answered it, in answer order. */
export interface CallRecord {
  seq: number;
  method: string;
  params: Record<string, unknown>;
  ok: boolean;
  result?: unknown;
  error?: string;
  errorCode?: number;
  /** Set when an injected fault produced the answer instead of the method. */
  fault?: FaultKind;
  /** Epoch ms when the answer was produced (or, for `hang`, when the request arrived). */
  at: number;
}

export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  at: number;
}

/** `401` answers as Telegram does for a revoked or wrong bot token. */
export type FaultKind = "429" | "5xx" | "401" | "slow" | "hang" | "conflict" | "stall";

export interface FaultSpec {
  /**
   * Bot API method name (case-insensitive), `*` for all, `file` for file downloads, `file:<file_id>`
   * for one file's downloads (`stall`: half the bytes, then silence).
   */
  method?: string;
  kind: FaultKind;
  retryAfter?: number;
  delayMs?: number;
  /** How many calls the fault affects; unlimited when absent. */
  count?: number;
  /** Chance (0..1) that a matching call is affected. */
  probability?: number;
}

export interface PushTextOptions {
  chatId?: number;
  username?: string;
  firstName?: string;
  chatType?: "private" | "group";
}

export interface PushCallbackOptions {
  messageId?: number;
  chatId?: number;
  username?: string;
}

export interface PushVoiceOptions {
  duration?: number;
  mimeType?: string;
  asDocument?: boolean;
  /** An audio file (music player style) or a round video note instead of a voice note. */
  as?: "audio" | "video_note";
  fileName?: string;
  chatId?: number;
}

export interface AddChatOptions {
  type?: TgChat["type"];
  title?: string;
  username?: string;
  firstName?: string;
}

export interface FakeTelegramOptions {
  /** 0 (default) picks an ephemeral port. */
  port?: number;
  host?: string;
  /** When set, requests with any other token get 401 Unauthorized. */
  token?: string;
  botId?: number;
  botUsername?: string;
  /** The user the web chat page speaks as. */
  webChatUserId?: number;
  /** Chats the bot may write to before anyone has spoken in them. */
  chats?: number[];
  /** Clock for message dates and callback expiry; tests move it to age queries. */
  now?: () => number;
}

export interface FakeTelegram {
  readonly apiRoot: string;
  readonly port: number;
  readonly webChatUrl: string;
  readonly webChatUserId: number;
  readonly botInfo: TgUser;
  pushText(userId: number, text: string, opts?: PushTextOptions): TgUpdate;
  pushCallback(userId: number, data: string, opts?: PushCallbackOptions): TgUpdate;
  pushVoice(userId: number, bytes: Buffer, opts?: PushVoiceOptions): TgUpdate;
  pushUpdate(raw: object): TgUpdate;
  pushMany(updates: readonly object[]): TgUpdate[];
  addChat(chatId: number, opts?: AddChatOptions): void;
  calls(sinceSeq?: number): CallRecord[];
  /** Seq of the newest recorded call; pass it to `waitForCall` to ignore older ones. */
  lastSeq(): number;
  messages(chatId: number): TgMessage[];
  waitForCall(predicate: (call: CallRecord) => boolean, timeoutMs?: number, sinceSeq?: number): Promise<CallRecord>;
  offeredUpdateIds(): number[];
  confirmedOffset(): number;
  /**
   * Plays a Bot API server that restarted its update count (or Telegram choosing new ids after a
   * quiet week): the next update gets id 1 again and nothing is remembered as confirmed.
   */
  restartUpdateIds(): void;
  pendingCount(): number;
  callbackAnswers(): CallbackAnswer[];
  fileBytes(fileId: string): Buffer | undefined;
  setFault(spec: FaultSpec): void;
  clearFaults(): void;
  close(): Promise<void>;
}
