import { afterAll, describe, expect, it } from "vitest";
import { startFaultProxy, type FaultProxy } from "@ownerbot/testkit/fault-proxy";
import { OWNER, startWorld, type World } from "@ownerbot/testkit/world";
import { isReplyTo, sleep, waitForCalls } from "@ownerbot/testkit/wait";
import { checkWorld, formatHistory, violated } from "@ownerbot/testkit/history";

// RELIABILITY A2 and B2: Postgres or Redis gone for 10 s while the owner keeps writing. Each
// dependency sits behind a TCP proxy that can drop every connection, so the shared servers stay up.

const OUTAGE_MS = 10_000;
const opened: { close: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const o of opened.reverse()) await o.close();
});

async function worldBehind(kind: "postgres" | "redis", over: Record<string, string> = {}): Promise<{ w: World; p: FaultProxy }> {
  let proxy: FaultProxy | undefined;
  const w = await startWorld(over, async (t) => {
    // The services reach the test's own server through the proxy; the test itself connects directly.
    const target = new URL(kind === "postgres" ? t.dbUrl : t.redisUrl);
    proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port || (kind === "postgres" ? 5432 : 6379)) });
    Object.assign(over, kind === "postgres" ? { DATABASE_URL: proxy.url(t.dbUrl) } : { REDIS_URL: proxy.url(t.redisUrl) });
  });
  // Closed in reverse: the world first, while its services can still reach their dependency.
  opened.push(proxy!, w);
  return { w, p: proxy! };
}

async function answeredOnce(w: World, updateIds: number[]): Promise<void> {
  const { rows } = await w.t.pool.query<{ update_id: number; n: number }>(
    `SELECT i.update_id, count(o.id) FILTER (WHERE o.status = 'sent')::int AS n
     FROM inbox i LEFT JOIN outbox o ON o.cause = 'upd:' || i.id WHERE i.update_id = ANY($1::bigint[]) GROUP BY 1`,
    [updateIds],
  );
  expect(rows.length).toBe(updateIds.length);
  expect(rows.filter((r) => r.n !== 1)).toEqual([]);
  const report = await checkWorld(w, { owners: [OWNER] });
  expect(violated(report, [1, 2, 3, 8, 9]), formatHistory(report)).toEqual([]);
}

describe("outages", () => {
  it("loses nothing when Postgres is gone for 10 s during ingest, and resumes by itself", async () => {
    const { w, p } = await worldBehind("postgres", { LEASE_SEC: "3" });
    const ids: number[] = [];
    const since = w.tg.lastSeq();
    for (let i = 0; i < 20; i++) ids.push(w.tg.pushText(OWNER, "/help").update_id);
    await waitForCalls(w.tg, isReplyTo(OWNER), 20, { since });
    p.cut();
    for (let i = 0; i < 30; i++) {
      ids.push(w.tg.pushText(OWNER, "/help").update_id);
      await sleep(OUTAGE_MS / 30);
    }
    p.restore();
    await waitForCalls(w.tg, isReplyTo(OWNER), ids.length, { since, timeoutMs: 60_000 });
    await sleep(1500);
    await answeredOnce(w, ids);
    const { rows } = await w.t.pool.query<{ next_offset: number }>("SELECT next_offset FROM ingress_state");
    expect(rows[0]!.next_offset).toBe(Math.max(...ids) + 1);
  });

  it("finishes BullMQ work after Redis is gone for 10 s (jobs only, no fast path)", async () => {
    const { w, p } = await worldBehind("redis", { SWEEP_INTERVAL_MS: "300", SWEEP_STALE_MS: "200" });
    const since = w.tg.lastSeq();
    const ids = [w.tg.pushText(OWNER, "/help").update_id];
    await waitForCalls(w.tg, isReplyTo(OWNER), 1, { since, timeoutMs: 30_000 });
    p.cut();
    for (let i = 0; i < 10; i++) {
      ids.push(w.tg.pushText(OWNER, "/help").update_id);
      await sleep(OUTAGE_MS / 10);
    }
    p.restore();
    await waitForCalls(w.tg, isReplyTo(OWNER), ids.length, { since, timeoutMs: 60_000 });
    await sleep(1500);
    await answeredOnce(w, ids);
  });
});
