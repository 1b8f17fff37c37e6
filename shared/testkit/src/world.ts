import { startFakeTelegram, type FakeTelegram } from "./fake-telegram/index.ts";
import { createTestEnv, type TestEnv } from "./harness.ts";
import { startStack, type Stack, type StackOptions } from "./services.ts";

export const OWNER = 1001;

export type World = { t: TestEnv; tg: FakeTelegram; stack: Stack; close: () => Promise<void> };

/**
 * A test file's whole world: its own database and queue prefix, a fake Bot API, and the three
 * pipeline services as real processes, with `before` run on the database before they start.
 */
export async function startWorld(
  over: Record<string, string> = {},
  before?: (t: TestEnv) => Promise<void>,
  o: StackOptions = {},
): Promise<World> {
  const t = await createTestEnv();
  if (before) await before(t);
  const tg = await startFakeTelegram();
  const stack = startStack(t.env({ TELEGRAM_API_ROOT: tg.apiRoot, OWNER_IDS: String(OWNER), TELEGRAM_POLL_TIMEOUT_SEC: "1", ...over }), o);
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

/**
 * Pushes `rounds × perRound` copies of `text` from the owner while `service` is killed with SIGKILL
 * and restarted `kills` times at random moments; returns the update ids pushed.
 */
export async function feedWhileKilling(
  w: Pick<World, "tg" | "stack">,
  o: {
    service: "ingress" | "worker-intent" | "sender";
    text: string;
    rounds: number;
    perRound: number;
    gapMs: number;
    kills: number;
    killGapMs: [number, number];
  },
): Promise<number[]> {
  const ids: number[] = [];
  const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  const feeding = (async () => {
    for (let i = 0; i < o.rounds; i++) {
      for (let k = 0; k < o.perRound; k++) ids.push(w.tg.pushText(OWNER, o.text).update_id);
      await pause(o.gapMs);
    }
  })();
  const [lo, hi] = o.killGapMs;
  for (let kill = 0; kill < o.kills; kill++) {
    await pause(lo + Math.floor(Math.random() * (hi - lo)));
    await w.stack.restart(o.service, "SIGKILL");
  }
  await feeding;
  return ids;
}
