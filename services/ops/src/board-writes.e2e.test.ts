import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAPABILITY_PROBES, SIS_ACTIONS_PREFIX } from "@ownerbot/domain/sis";
import { startFakeSis, type FakeSis } from "@ownerbot/testkit/fake-sis";
import { OWNER, startWorld, type World } from "@ownerbot/testkit/world";
import { isReplyTo, until, waitForCalls } from "@ownerbot/testkit/wait";
import { freePorts, httpGet, untilAnswer } from "@ownerbot/testkit/ops";

// bull-board's bulk retry and promote with writes on act on the rows first: "retry all failed"
// reopens the dead rows of the failed jobs, "promote" clears the chat's back-off so it runs now.

const AUTH = { token: "test-bearer-token-0123456789" };
let world: World;
let sis: FakeSis;
let ops: string;
const stall = (on: boolean) => {
  for (const p of CAPABILITY_PROBES) sis.fault(`${p.method} ${SIS_ACTIONS_PREFIX}${p.endpoint}`, on ? { stallMs: 60_000 } : null);
};
const jobState = async (id: string): Promise<string | undefined> => {
  const r = await httpGet(`${ops}/api/queues/intent/${id}`, { auth: AUTH });
  return r.status === 200 ? (JSON.parse(r.text) as { status: string }).status : undefined;
};
async function inboxIdOf(updateId: number): Promise<number> {
  let id = 0;
  await until(async () => {
    const { rows } = await world.t.pool.query<{ id: number }>("SELECT id FROM inbox WHERE update_id = $1", [updateId]);
    id = Number(rows[0]?.id ?? 0);
    return id > 0;
  });
  return id;
}

beforeAll(async () => {
  sis = await startFakeSis();
  const [port = 0] = await freePorts(1);
  world = await startWorld(
    { SIS_BASE_URL: sis.url, SIS_OWNERBOT_API_KEY: sis.apiKey, OPS_ADMIN_TOKEN: AUTH.token, OPS_ALLOW_WRITE: "1" },
    undefined,
    { ops: true, envFor: (n): Record<string, string> => (n === "ops" ? { OPS_PORT: String(port) } : {}) },
  );
  ops = `http://127.0.0.1:${port}`;
  await untilAnswer(`${ops}/readyz`, (r) => r.status === 200);
});
afterAll(async () => {
  await world?.close();
  await sis?.close();
});

describe("writes on the board", () => {
  it("retries every failed job, each row reopened and answered once", async () => {
    const { tg, stack, t } = world;
    stall(true);
    await stack.restart("worker-intent", "SIGTERM", { INTENT_TIMEOUT_MS: "300", INTENT_MAX_ATTEMPTS: "1" });
    const since = tg.lastSeq();
    const ids = [
      await inboxIdOf(tg.pushText(OWNER, "возможности SIS").update_id),
      await inboxIdOf(tg.pushText(OWNER, "возможности SIS").update_id),
    ];
    for (const id of ids) await until(async () => (await jobState(`upd-${id}`)) === "failed", 20_000);
    stall(false);
    await stack.restart("worker-intent", "SIGTERM");
    const r = await httpGet(`${ops}/api/queues/intent/retry/failed`, { auth: AUTH, method: "PUT" });
    expect(r.status).toBeLessThan(300);
    const replies = await waitForCalls(tg, isReplyTo(OWNER), 4, { since, timeoutMs: 20_000 });
    expect(replies.map((c) => String(c.params.text).includes("Возможности SIS"))).toEqual([false, false, true, true]);
    for (const id of ids) await until(async () => (await jobState(`upd-${id}`)) === "completed", 15_000);
    const { rows } = await t.pool.query<{ status: string }>("SELECT status FROM inbox WHERE id = ANY($1::bigint[])", [ids]);
    expect(rows.map((x) => x.status)).toEqual(["done", "done"]);
  });

  it("promotes a job whose row backs off for a minute: the chat runs now", async () => {
    const { tg, stack, t } = world;
    stall(true);
    // One failed attempt backs the row off for about a minute (base 60 s, ±20 %).
    await stack.restart("worker-intent", "SIGTERM", {
      INTENT_TIMEOUT_MS: "300",
      JOB_BACKOFF_BASE_MS: "60000",
      JOB_BACKOFF_MAX_MS: "120000",
    });
    const since = tg.lastSeq();
    const id = await inboxIdOf(tg.pushText(OWNER, "возможности SIS").update_id);
    await until(async () => (await jobState(`upd-${id}`)) === "delayed", 20_000);
    const { rows } = await t.pool.query<{ wait: number }>(
      "SELECT extract(epoch FROM not_before - now())::float8 AS wait FROM inbox WHERE id = $1",
      [id],
    );
    expect(rows[0]!.wait).toBeGreaterThan(30);
    stall(false);
    await stack.restart("worker-intent", "SIGTERM");
    const promotedAt = Date.now();
    expect((await httpGet(`${ops}/api/queues/intent/upd-${id}/promote`, { auth: AUTH, method: "PUT" })).status).toBeLessThan(300);
    const [reply] = await waitForCalls(tg, (c) => isReplyTo(OWNER)(c) && String(c.params.text).includes("Возможности SIS"), 1, {
      since,
      timeoutMs: 20_000,
    });
    expect(reply!.at - promotedAt).toBeLessThan(15_000);
    await until(async () => (await jobState(`upd-${id}`)) === "completed", 15_000);
  });
});
