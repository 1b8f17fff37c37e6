// The public surface of @ownerbot/core/telegram: what other packages use; the rest is internal.
export { TelegramError, createTelegramClient } from "./telegram/client.ts";
export type { TelegramClient } from "./telegram/client.ts";
export { classifyUpdate } from "./telegram/updates.ts";
