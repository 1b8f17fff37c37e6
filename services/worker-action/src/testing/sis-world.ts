import { createDemoProvider } from "@ownerbot/domain/tools";
import { demoCatalog, type SisSim, startSisSim } from "@ownerbot/testkit/sis-sim";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { actionChat, startActionWorld, type ActionChat } from "./action-world.ts";

/** The SIS settings every SIS-mode action test starts from; each file adds its breaker and backoff. */
export const SIS_TEST_ENV = {
  UPSTREAM_MODE: "SIS_HTTP",
  SIS_TIMEOUT_SEC: "1",
  SIS_MAX_RETRIES: "1",
  SIS_RETRY_BACKOFF_BASE_SEC: "0.1",
} as const;

export type SisActionWorld = { w: World; sim: SisSim; chat: ActionChat; close: () => Promise<void> };

/**
 * The whole bot in SIS_HTTP against a SIS simulator over the world's own demo shop (its catalogue
 * as the bot's database holds it), the owner's chat ready. `env` gets the simulator's URL and key.
 */
export async function startSisActionWorld(env: Record<string, string>): Promise<SisActionWorld> {
  let sim: SisSim | undefined;
  const w = await startActionWorld(env, {}, async (t) => {
    sim = await startSisSim({ shop: createDemoProvider(t.db), actors: [OWNER], ...demoCatalog(t.pool) });
    env.SIS_BASE_URL = sim.url;
    env.SIS_OWNERBOT_API_KEY = sim.apiKey;
  });
  const started = sim!;
  return {
    w,
    sim: started,
    chat: actionChat(w, 30_000),
    close: async () => {
      await w.close();
      await started.close();
    },
  };
}
