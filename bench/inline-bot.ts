// The baseline the pipeline is compared against: an inline bot that polls and answers in the same
// process with no durable inbox or outbox — fast, but it loses updates and replies on any crash.
// Run as a child process: `node bench/inline-bot.ts <apiRoot> <parallel:0|1>`.
import type { Update } from "grammy/types";
import { createTelegramClient } from "@ownerbot/core/telegram";

const [apiRoot = "", parallelArg = "0"] = process.argv.slice(2);
const parallel = parallelArg === "1";
const tg = createTelegramClient({ token: "123456:BENCH-inline", apiRoot, timeoutMs: 10_000 });
const chains = new Map<number, Promise<void>>();
let offset = 0;
let stop = false;
process.on("SIGTERM", () => (stop = true));

const answer = async (u: Update): Promise<void> => {
  const msg = u.message;
  if (!msg) return;
  await tg.api.sendMessage(msg.chat.id, `🏠 OwnerBot\nСтатус: ✅\n${msg.text ?? ""}`);
};

while (!stop) {
  const updates = await tg.api.getUpdates({ offset, limit: 100, timeout: 1 }).catch((): Update[] => []);
  if (updates.length === 0) continue;
  offset = updates.at(-1)!.update_id + 1;
  if (!parallel) {
    for (const u of updates) await answer(u);
    continue;
  }
  // Chats in parallel, each chat in order.
  for (const u of updates) {
    const chat = u.message?.chat.id ?? 0;
    const next = (chains.get(chat) ?? Promise.resolve()).then(() => answer(u));
    chains.set(
      chat,
      next.catch(() => undefined),
    );
  }
}
process.exit(0);
