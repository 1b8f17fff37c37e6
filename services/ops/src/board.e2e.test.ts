import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAPABILITY_PROBES, SIS_ACTIONS_PREFIX } from "@ownerbot/domain/sis";
import { startFakeSis, type FakeSis } from "@ownerbot/testkit/fake-sis";
import { OWNER, startWorld, type World } from "@ownerbot/testkit/world";
import { isReplyTo, until, waitForCalls } from "@ownerbot/testkit/wait";
import { startService, type ServiceHandle } from "@ownerbot/testkit/services";
import { freePorts, httpGet, untilAnswer } from "@ownerbot/testkit/ops";

// bull-board and the tables page through the real ops process, beside the real pipeline: what an
// operator sees and may do. One ops process read-only (the default), one with OPS_ALLOW_WRITE=1.

const USER = { user: "ops-test", password: "a-long-test-password" };
const TOKEN = { token: "test-bearer-token-0123456789" };
let world: World;
let sis: FakeSis;
let writer: ServiceHandle;
let ro: string;
let rw: string;
const stall = (on: boolean) => {
  for (const p of CAPABILITY_PROBES) sis.fault(`${p.method} ${SIS_ACTIONS_PREFIX}${p.endpoint}`, on ? { stallMs: 60_000 } : null);
};

type QueueView = { name: string; counts: Record<string, number>; readOnlyMode: boolean };
const board = async (base: string): Promise<QueueView[]> => {
  const r = await httpGet(`${base}/api/queues`, { auth: USER });
  expect(r.status).toBe(200);
  return (JSON.parse(r.text) as { queues: QueueView[] }).queues;
};
const counts = async (queue: string): Promise<Record<string, number>> => (await board(ro)).find((q) => q.name === queue)!.counts;

async function inboxIdOf(updateId: number): Promise<number> {
  let id = 0;
  await until(async () => {
    const { rows } = await world.t.pool.query<{ id: number }>("SELECT id FROM inbox WHERE update_id = $1 ORDER BY id DESC LIMIT 1", [
      updateId,
    ]);
    id = Number(rows[0]?.id ?? 0);
    return id > 0;
  });
  return id;
}
const jobOf = async (base: string, queue: string, id: string) => {
  const r = await httpGet(`${base}/api/queues/${queue}/${id}`, { auth: USER });
  const body = r.status === 200 ? (JSON.parse(r.text) as { status: string; job: { failedReason?: string } }) : undefined;
  return { jobState: body?.status, failedReason: body?.job.failedReason };
};

beforeAll(async () => {
  sis = await startFakeSis();
  stall(true);
  const [roPort = 0, rwPort = 0] = await freePorts(2);
  const creds = { OPS_USER: USER.user, OPS_PASSWORD: USER.password, OPS_ADMIN_TOKEN: TOKEN.token };
  world = await startWorld({ SIS_BASE_URL: sis.url, SIS_OWNERBOT_API_KEY: sis.apiKey, JOB_BACKOFF_BASE_MS: "100", ...creds }, undefined, {
    ops: true,
    envFor: (n): Record<string, string> => (n === "ops" ? { OPS_PORT: String(roPort) } : {}),
  });
  writer = startService(
    "ops",
    world.t.env({ ...creds, OPS_PORT: String(rwPort), OPS_ALLOW_WRITE: "1", TELEGRAM_API_ROOT: world.tg.apiRoot }),
  );
  ro = `http://127.0.0.1:${roPort}`;
  rw = `http://127.0.0.1:${rwPort}`;
  for (const base of [ro, rw]) await untilAnswer(`${base}/readyz`, (r) => r.status === 200);
});
afterAll(async () => {
  await writer?.kill("SIGTERM");
  await world?.close();
  await sis?.close();
});

describe("the ops board", () => {
  it("answers 401 without credentials or with wrong ones, 200 with the basic-auth pair or the bearer token", async () => {
    for (const path of ["/", "/api/queues", "/metrics", "/ops/tables", "/ops/api/tables", "/static/favicon-32x32.png"]) {
      const none = await httpGet(`${ro}${path}`);
      expect(none.status, path).toBe(401);
      expect(none.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
      expect((await httpGet(`${ro}${path}`, { auth: { ...USER, password: "wrong-password" } })).status, path).toBe(401);
      expect((await httpGet(`${ro}${path}`, { auth: { token: "wrong-token-0123456789" } })).status, path).toBe(401);
      expect((await httpGet(`${ro}${path}`, { auth: USER })).status, path).toBe(200);
      expect((await httpGet(`${ro}${path}`, { auth: TOKEN })).status, path).toBe(200);
    }
    const page = await httpGet(ro, { auth: USER });
    expect(page.text).toContain("OwnerBot");
    expect(page.text).not.toContain("googleapis");
    // The probes say nothing and need nothing.
    expect((await httpGet(`${ro}/healthz`)).status).toBe(200);
    expect((await httpGet(`${ro}/readyz`)).status).toBe(200);
  });

  it("shows every declared queue, read-only by default", async () => {
    const queues = await board(ro);
    expect(queues.map((q) => q.name).sort()).toEqual(["action", "asr", "intent", "llm", "notify", "report", "retention", "send"]);
    expect(queues.every((q) => q.readOnlyMode)).toBe(true);
    expect((await board(rw)).every((q) => !q.readOnlyMode)).toBe(true);
  });

  it("moves a queue's job counts from waiting to active to completed as the worker handles the updates", async () => {
    const { tg, stack } = world;
    const before = await counts("intent");
    await stack["worker-intent"].kill("SIGTERM");
    const since = tg.lastSeq();
    // The capability probe waits for a stalled SIS (~1.5 s), so each job stays active long enough to see.
    for (let i = 0; i < 3; i++) tg.pushText(OWNER, "возможности SIS");
    await until(async () => (await counts("intent")).waiting === 3);
    expect((await counts("intent")).active).toBe(0);
    await stack.restart("worker-intent", "SIGTERM");
    await until(async () => ((await counts("intent")).active ?? 0) >= 1, 15_000);
    await waitForCalls(tg, isReplyTo(OWNER), 3, { since, timeoutMs: 30_000 });
    await until(async () => {
      const c = await counts("intent");
      return c.completed === (before.completed ?? 0) + 3 && c.waiting === 0 && c.active === 0;
    }, 15_000);
  });

  it("shows a dead row as a failed job with its error; refuses writes read-only; a retry with writes on answers it once", async () => {
    const { tg, stack, t } = world;
    await stack["worker-intent"].kill("SIGTERM");
    const id = await inboxIdOf(tg.pushText(OWNER, "/help").update_id);
    await t.pool.query("UPDATE inbox SET status = 'dead', last_error = 'made dead by the test' WHERE id = $1", [id]);
    await stack.restart("worker-intent", "SIGTERM");
    await until(async () => (await jobOf(ro, "intent", `upd-${id}`)).jobState === "failed", 15_000);
    expect((await jobOf(ro, "intent", `upd-${id}`)).failedReason).toBe("made dead by the test");
    const tables = JSON.parse((await httpGet(`${ro}/ops/api/tables`, { auth: USER })).text) as {
      table: string;
      dead: { id: number; lastError: string }[];
    }[];
    expect(tables.find((x) => x.table === "inbox")?.dead).toContainEqual(
      expect.objectContaining({ id, lastError: "made dead by the test" }),
    );
    expect((await httpGet(`${ro}/ops/tables`, { auth: USER })).text).toContain("made dead by the test");

    // Read-only: every write is refused, and nothing changed.
    for (const [method, path] of [
      ["PUT", `/api/queues/intent/upd-${id}/retry`],
      ["PUT", "/api/queues/intent/retry/failed"],
      ["PUT", "/api/queues/intent/clean/failed"],
      ["PUT", "/api/queues/intent/pause"],
      ["POST", `/ops/rows/intent/${id}/retry`],
    ] as const)
      expect((await httpGet(`${ro}${path}`, { auth: USER, method })).status, `${method} ${path}`).toBe(403);
    expect((await t.pool.query<{ status: string }>("SELECT status FROM inbox WHERE id = $1", [id])).rows[0]?.status).toBe("dead");
    expect((await jobOf(ro, "intent", `upd-${id}`)).jobState).toBe("failed");

    // Writes on: bull-board's own retry button reopens the row and runs its job; the owner gets one answer.
    const since = tg.lastSeq();
    expect((await httpGet(`${rw}/api/queues/intent/upd-${id}/retry`, { auth: USER, method: "PUT" })).status).toBe(204);
    const [reply] = await waitForCalls(tg, isReplyTo(OWNER), 1, { since, timeoutMs: 15_000 });
    expect(String(reply!.params.text)).toContain("Команды:");
    await until(async () => (await jobOf(ro, "intent", `upd-${id}`)).jobState === "completed", 15_000);
    // The sender records "sent" just after Telegram answers, so the row may trail the reply by a moment.
    const settled = async () =>
      (
        await t.pool.query<{ status: string; n: number }>(
          "SELECT i.status, (SELECT count(*)::int FROM outbox o WHERE o.cause = 'upd:' || i.id AND o.status = 'sent') AS n FROM inbox i WHERE i.id = $1",
          [id],
        )
      ).rows[0];
    await until(async () => (await settled())?.n === 1, 15_000);
    expect(await settled()).toEqual({ status: "done", n: 1 });
    expect(tg.calls(since).filter(isReplyTo(OWNER))).toHaveLength(1);
  });

  it("retries an update that died of failures: its apology stays, the real answer follows once", async () => {
    const { tg, stack, t } = world;
    await stack.restart("worker-intent", "SIGTERM", { INTENT_TIMEOUT_MS: "300", INTENT_MAX_ATTEMPTS: "2" });
    const since = tg.lastSeq();
    const id = await inboxIdOf(tg.pushText(OWNER, "возможности SIS").update_id);
    const [apology] = await waitForCalls(tg, isReplyTo(OWNER), 1, { since, timeoutMs: 20_000 });
    expect(String(apology!.params.text)).toContain("Не получилось");
    await until(async () => (await jobOf(ro, "intent", `upd-${id}`)).jobState === "failed", 15_000);
    stall(false);
    await stack.restart("worker-intent", "SIGTERM");
    const r = await httpGet(`${rw}/ops/rows/intent/${id}/retry`, { auth: USER, method: "POST" });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ ok: true, row: "reopened", job: "retried" });
    const replies = await waitForCalls(tg, isReplyTo(OWNER), 2, { since, timeoutMs: 15_000 });
    expect(String(replies[1]!.params.text)).toContain("Возможности SIS");
    await until(async () => (await jobOf(ro, "intent", `upd-${id}`)).jobState === "completed", 15_000);
    const replyRows = async () =>
      (
        await t.pool.query<{ cause: string; status: string }>(
          "SELECT cause, status FROM outbox WHERE cause LIKE $1 AND method = 'sendMessage' ORDER BY id",
          [`upd:${id}%`],
        )
      ).rows;
    // "sent" is recorded right after Telegram answers, a moment after the fake saw the call.
    await until(async () => (await replyRows()).every((x) => x.status === "sent"));
    const rows = await replyRows();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.cause).toMatch(new RegExp(`^upd:${id}:retried-\\d+$`));
    expect(rows[1]!.cause).toBe(`upd:${id}`);
    // A second retry of a row that is done now is refused and sends nothing.
    expect((await httpGet(`${rw}/ops/rows/intent/${id}/retry`, { auth: USER, method: "POST" })).status).toBe(409);
    expect(tg.calls(since).filter(isReplyTo(OWNER))).toHaveLength(2);
    stall(true);
  });
});
