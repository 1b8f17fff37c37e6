export { startFakeTelegram } from "./server.ts";
export { oggOpusSeconds } from "./user-updates.ts";
export type {
  AddChatOptions,
  CallbackAnswer,
  CallRecord,
  FakeTelegram,
  FakeTelegramOptions,
  FaultKind,
  FaultSpec,
  InlineButton,
  PushCallbackOptions,
  PushTextOptions,
  PushVoiceOptions,
  ReplyMarkup,
  TgCallbackQuery,
  TgChat,
  TgEntity,
  TgMessage,
  TgUpdate,
  TgUser,
} from "./types.ts";
