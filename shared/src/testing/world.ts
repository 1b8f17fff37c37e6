import { startFakeTelegram, type FakeTelegram } from "./fake-telegram/index.ts";
import { createTestEnv, type TestEnv } from "./harness.ts";
import { startStack, type Stack } from "./services.ts";

export const OWNER = 1001;

export type World = { t: TestEnv; tg: FakeTelegram; stack: Stack; close: () => Promise<void> };

/**
 * A test file's whole world: its own database and queue prefix, a fake Bot API, and the three
 * pipeline services as real processes, with `before` run on the database before they start.
 */
export async function startWorld(over: Record<string, string> = {}, before?: (t: TestEnv) => Promise<void>): Promise<World> {
  const t = await createTestEnv();
  if (before) await before(t);
  const tg = await startFakeTelegram();
  const stack = startStack(t.env({ TELEGRAM_API_ROOT: tg.apiRoot, OWNER_IDS: String(OWNER), TELEGRAM_POLL_TIMEOUT_SEC: "1", ...over }));
  return {
    t,
    tg,
    stack,
    close: async () => {
      await stack.stop();
      await tg.close();
      await t.close();
    },
  };
}
