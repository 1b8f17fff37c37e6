// Standalone fake Telegram for `make demo` and out-of-process benchmarks.
// A test tool, so it reads its two settings straight from the environment.
import { startFakeTelegram } from "./server.ts";

function envPort(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 8081;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`FAKE_TELEGRAM_PORT must be a port number (0..65535), got "${raw}"`);
  }
  return port;
}

function firstOwnerId(raw: string | undefined): number | undefined {
  const first = raw?.split(/[,\s]+/).find((s) => s !== "");
  if (first === undefined) return undefined;
  if (!/^\d+$/.test(first)) throw new Error(`OWNER_IDS must be a comma-separated list of user ids, got "${raw}"`);
  return Number(first);
}

const webChatUserId = firstOwnerId(process.env.OWNER_IDS);
const fake = await startFakeTelegram({
  port: envPort(process.env.FAKE_TELEGRAM_PORT),
  host: "127.0.0.1",
  ...(webChatUserId !== undefined ? { webChatUserId } : {}),
});
console.log(`fake-telegram: apiRoot=${fake.apiRoot} webChat=${fake.webChatUrl} (owner ${fake.webChatUserId})`);

let closing = false;
const shutdown = (): void => {
  if (closing) return;
  closing = true;
  fake.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error("fake-telegram: close failed", err);
      process.exit(1);
    },
  );
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
