import pg from "pg";
import type { Logger } from "@ownerbot/core/logger";

/**
 * One getUpdates consumer per bot token: a session-level advisory lock held on its own
 * connection. If that connection dies (a Postgres restart or a network cut), the lock is gone
 * with it, so polling pauses until the lock is won again — another ingress may have taken over.
 */
export function createLeadership(o: { url: string; botId: number; log: Logger }) {
  let client: pg.Client | undefined;
  let held = false;

  async function tryOnce(): Promise<boolean> {
    const c = new pg.Client({ connectionString: o.url, keepAlive: true });
    c.on("error", (err) => {
      if (held) o.log.warn({ err }, "lost the ingress lock connection; pausing until it is won again");
      held = false;
      client = undefined;
      void c.end().catch(() => undefined);
    });
    try {
      await c.connect();
      const { rows } = await c.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(727100, $1) AS ok", [o.botId % 2 ** 31]);
      if (rows[0]?.ok) {
        client = c;
        held = true;
        return true;
      }
    } catch {
      /* Postgres unreachable: the caller waits and tries again */
    }
    await c.end().catch(() => undefined);
    return false;
  }

  return {
    /** Whether this process holds the lock now (a standby does not: its health says so). */
    get holds(): boolean {
      return held;
    },
    /** Resolves once this process holds the lock (at once while it still does). */
    async ensure(signal: AbortSignal): Promise<void> {
      for (let logged = false; !held && !signal.aborted; logged = true) {
        if (await tryOnce()) return;
        if (!logged) o.log.info("another ingress holds this bot, or Postgres is unreachable; standing by");
        await new Promise((r) => setTimeout(r, 1000));
      }
    },
    release: async (): Promise<void> => {
      held = false;
      await client?.end().catch(() => undefined);
    },
  };
}
