// The public surface of @ownerbot/testkit/fake-telegram: what other packages use; the rest is internal.
export { startFakeTelegram } from "./fake-telegram/index.ts";
export type { CallRecord, FakeTelegram, PushVoiceOptions } from "./fake-telegram/index.ts";
