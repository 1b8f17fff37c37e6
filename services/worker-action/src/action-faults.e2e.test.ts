import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { answered, previewMany, pressStorm, type Preview } from "@ownerbot/testkit/confirm-storm";
import { startFaultProxy, type FaultProxy } from "@ownerbot/testkit/fault-proxy";
import { checkWorld, formatHistory, violated } from "@ownerbot/testkit/history";
import { sleep, until, waitForCalls } from "@ownerbot/testkit/wait";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { actionChat, startActionWorld } from "./testing/action-world.ts";

// RELIABILITY B1 / B2 for actions: worker-action SIGKILLed inside the commit and between the
// commit and its finish, killed repeatedly during a storm, Redis flushed with confirmed actions
// waiting, Redis gone for 10 s. Each time: exactly one effect per action, the owner gets the
// outcome, and the history checker finds promises 1–5 kept.

const opened: { close: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const o of opened.reverse()) await o.close();
});

async function world(env: Record<string, string> = {}): Promise<World> {
  const w = await startActionWorld({ LEASE_SEC: "2", ...env });
  opened.push(w);
  return w;
}

async function one<T>(w: World, sql: string, params: unknown[] = []): Promise<T> {
  return (await w.t.pool.query(sql, params)).rows[0] as T;
}

const price = async (w: World, id: string): Promise<number> =>
  (await one<{ price: number }>(w, "SELECT price FROM demo_products WHERE product_id = $1", [id])).price;

/** A backend of the world's database waits on a lock a test transaction holds. */
const someoneWaits = (w: World) => async (): Promise<boolean> =>
  (
    await one<{ n: number }>(
      w,
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )
  ).n > 0;

/**
 * A killed process's backend that waits on a lock does not notice the closed socket until the lock
 * is granted, and would then finish its statement: end it, as the crash of its machine would.
 */
async function dropOrphans(w: World): Promise<void> {
  await w.t.pool.query(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
}

async function historyHolds(w: World): Promise<void> {
  await actionChat(w).settle();
  const report = await checkWorld(w, { owners: [OWNER] });
  expect(violated(report, [1, 2, 3, 4, 5, 8, 9]), formatHistory(report)).toEqual([]);
  expect(report.filter((r) => r.promise === 4 || r.promise === 5).map((r) => r.status)).toEqual(["checked", "checked"]);
}

/** A confirmed action's outcome edit on its preview message. */
const outcomeOf = (w: World, p: Preview, since: number) =>
  waitForCalls(
    w.tg,
    (c) => c.ok && c.method === "editMessageText" && c.params.message_id === p.messageId && /^✅/.test(String(c.params.text)),
    1,
    {
      since,
      timeoutMs: 30_000,
    },
  );

describe("worker-action killed with SIGKILL", () => {
  it("inside the commit's transaction: rolled back, done once after the restart, the owner gets the result", async () => {
    const w = await world();
    const before = await price(w, "PRD-00003");
    const [p] = await previewMany(w.tg, OWNER, ["подними цену товара 3 на 100"]);
    const lock = new pg.Client({ connectionString: w.t.dbUrl });
    await lock.connect();
    await lock.query("BEGIN");
    await lock.query("SELECT 1 FROM demo_products WHERE product_id = 'PRD-00003' FOR UPDATE");
    const since = w.tg.lastSeq();
    w.tg.pushCallback(OWNER, p!.data, { messageId: p!.messageId });
    await until(someoneWaits(w));
    await w.stack.restart("worker-action", "SIGKILL");
    await dropOrphans(w);
    await lock.query("ROLLBACK");
    await lock.end();
    const [outcome] = await outcomeOf(w, p!, since);
    expect(String(outcome!.params.text)).toContain("Цена изменена");
    expect(await price(w, "PRD-00003")).toBe(before + 100);
    expect(await one(w, "SELECT count(*)::int AS n, sum(replays)::int AS replays FROM demo_action_ledger")).toEqual({ n: 1, replays: 0 });
    expect(await one(w, "SELECT status, attempts FROM actions")).toEqual({ status: "committed", attempts: 2 });
    await historyHolds(w);
  });

  /** Confirms a +100 ₽ preview and SIGKILLs worker-action after the ledger committed, before the finish. */
  async function killAfterEffect(w: World, product: string): Promise<{ p: Preview; since: number }> {
    const [p] = await previewMany(w.tg, OWNER, [`подними цену товара ${product} на 100`]);
    const { id } = await one<{ id: number }>(w, "SELECT max(id)::int AS id FROM actions");
    // Holding the outcome's outbox key makes the finishing statement wait after the ledger committed.
    const hold = new pg.Client({ connectionString: w.t.dbUrl });
    await hold.connect();
    await hold.query("BEGIN");
    await hold.query("INSERT INTO outbox (cause, seq, chat_id, method, payload) VALUES ($1, 0, $2, 'sendMessage', '{}')", [
      `act:${id}:result`,
      OWNER,
    ]);
    const since = w.tg.lastSeq();
    w.tg.pushCallback(OWNER, p!.data, { messageId: p!.messageId });
    await until(
      async () => (await one<{ n: number }>(w, "SELECT count(*)::int AS n FROM demo_action_ledger")).n === 1 && (await someoneWaits(w)()),
    );
    await w.stack.restart("worker-action", "SIGKILL");
    await dropOrphans(w);
    await hold.query("ROLLBACK");
    await hold.end();
    return { p: p!, since };
  }

  it("after the effect, before the finish: the retry reuses the key and the stored result; nothing runs twice", async () => {
    const w = await world();
    const before = await price(w, "PRD-00004");
    const { p, since } = await killAfterEffect(w, "PRD-00004");
    const [outcome] = await outcomeOf(w, p, since);
    expect(String(outcome!.params.text)).toContain("Повтор после сбоя");
    expect(await price(w, "PRD-00004")).toBe(before + 100);
    expect(await one(w, "SELECT count(*)::int AS n, sum(replays)::int AS replays FROM demo_action_ledger")).toEqual({ n: 1, replays: 1 });
    await historyHolds(w);
  });

  it("out of attempts after an attempt that did commit: reported as done, not as failed", async () => {
    const w = await world({ ACTION_MAX_ATTEMPTS: "1" });
    const before = await price(w, "PRD-00009");
    const { p, since } = await killAfterEffect(w, "PRD-00009");
    const [outcome] = await outcomeOf(w, p, since);
    expect(String(outcome!.params.text)).toContain("Повтор после сбоя");
    expect(await one(w, "SELECT status, attempts FROM actions")).toEqual({ status: "committed", attempts: 2 });
    expect(await price(w, "PRD-00009")).toBe(before + 100);
    await historyHolds(w);
  });

  it("again and again during a storm of presses: every action committed exactly once", async () => {
    const w = await world();
    const before = await price(w, "PRD-00005");
    const previews = await previewMany(
      w.tg,
      OWNER,
      Array.from({ length: 20 }, () => "подними цену товара 5 на 100"),
    );
    const presses = pressStorm(w.tg, OWNER, previews, 10, 7);
    for (let k = 0; k < 5; k++) {
      await sleep(150 + Math.floor(Math.random() * 400));
      await w.stack.restart("worker-action", "SIGKILL");
    }
    await answered(w.tg, presses);
    await until(
      async () => (await one<{ n: number }>(w, "SELECT count(*)::int AS n FROM actions WHERE status = 'committed'")).n === 20,
      90_000,
    );
    expect((await one<{ n: number }>(w, "SELECT count(*)::int AS n FROM demo_action_ledger")).n).toBe(20);
    expect(await price(w, "PRD-00005")).toBe(before + 2000);
    await historyHolds(w);
  });
});

describe("Redis", () => {
  it("flushed while confirmed actions wait: the sweeper rebuilds their jobs from the rows", async () => {
    const w = await world();
    const before = await price(w, "PRD-00006");
    await w.stack["worker-action"]!.kill("SIGTERM");
    const previews = await previewMany(
      w.tg,
      OWNER,
      Array.from({ length: 10 }, () => "подними цену товара 6 на 100"),
    );
    const presses = pressStorm(w.tg, OWNER, previews, 3, 5);
    await answered(w.tg, presses);
    expect((await one<{ n: number }>(w, "SELECT count(*)::int AS n FROM actions WHERE status = 'confirmed'")).n).toBe(10);
    await w.t.flushRedis();
    await w.stack.restart("worker-action", "SIGTERM");
    await until(
      async () => (await one<{ n: number }>(w, "SELECT count(*)::int AS n FROM actions WHERE status = 'committed'")).n === 10,
      60_000,
    );
    expect(await price(w, "PRD-00006")).toBe(before + 1000);
    await historyHolds(w);
  });

  it("gone for 10 s while the owner presses: everything resumes, once", async () => {
    let proxy: FaultProxy | undefined;
    const env: Record<string, string> = { SWEEP_INTERVAL_MS: "300", SWEEP_STALE_MS: "200" };
    const w = await startActionWorld({ LEASE_SEC: "2", ...env }, {}, async (t) => {
      const target = new URL(t.redisUrl);
      proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port || 6379) });
      env.REDIS_URL = proxy.url(t.redisUrl);
    });
    opened.push(proxy!, w);
    const before = await price(w, "PRD-00007");
    const previews = await previewMany(
      w.tg,
      OWNER,
      Array.from({ length: 10 }, () => "подними цену товара 7 на 100"),
    );
    proxy!.cut();
    const presses = pressStorm(w.tg, OWNER, previews, 5, 3);
    await sleep(10_000);
    proxy!.restore();
    await answered(w.tg, presses, 120_000);
    await until(
      async () => (await one<{ n: number }>(w, "SELECT count(*)::int AS n FROM actions WHERE status = 'committed'")).n === 10,
      90_000,
    );
    expect(await price(w, "PRD-00007")).toBe(before + 1000);
    await historyHolds(w);
  });
});
