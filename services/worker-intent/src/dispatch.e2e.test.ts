import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAPABILITY_PROBES, SIS_ACTIONS_PREFIX } from "@ownerbot/domain/sis";
import { startFakeSis, type FakeSis } from "@ownerbot/testkit/fake-sis";
import { OWNER, startWorld, type World } from "@ownerbot/testkit/world";
import { isReplyTo, until, waitForCalls } from "@ownerbot/testkit/wait";
import { closeQueues, createQueues, type Queues } from "@ownerbot/core/queue";
import { FAILED_TEXT } from "./drain.ts";

// Every unit of work is a BullMQ job that shows its row's truth (what an operator sees in
// bull-board), and a worker that dies costs its chat seconds, not a lease of half a minute.
// A slow request: the SIS capability probe against a SIS that accepts and never answers (~1.5 s).

let world: World;
let sis: FakeSis;
let queues: Queues;
const stall = (on: boolean) => {
  for (const p of CAPABILITY_PROBES) sis.fault(`${p.method} ${SIS_ACTIONS_PREFIX}${p.endpoint}`, on ? { stallMs: 60_000 } : null);
};

beforeAll(async () => {
  sis = await startFakeSis();
  stall(true);
  world = await startWorld({ SIS_BASE_URL: sis.url, SIS_OWNERBOT_API_KEY: sis.apiKey, JOB_BACKOFF_BASE_MS: "100" });
  queues = createQueues(world.t.redisUrl, world.t.prefix);
  await queues.intent.waitUntilReady();
});
afterAll(async () => {
  await closeQueues(queues);
  await world?.close();
  await sis?.close();
});

async function inboxIdOf(updateId: number): Promise<number> {
  let id: number | undefined;
  await until(async () => {
    const { rows } = await world.t.pool.query<{ id: number }>("SELECT id FROM inbox WHERE update_id = $1 ORDER BY id DESC LIMIT 1", [
      updateId,
    ]);
    id = rows[0]?.id;
    return id !== undefined;
  });
  return id!;
}

const stateOf = async (q: keyof Omit<Queues, "connection">, jobId: string) => (await queues[q].getJob(jobId))?.getState();

describe("dispatch through BullMQ", () => {
  it("a job waits while its row is unhandled, is active while a worker handles it, and completes after", async () => {
    const { tg, stack } = world;
    await stack["worker-intent"].kill("SIGTERM");
    const since = tg.lastSeq();
    const id = await inboxIdOf(tg.pushText(OWNER, "возможности SIS").update_id);
    await until(async () => (await stateOf("intent", `upd-${id}`)) === "waiting");
    await stack.restart("worker-intent", "SIGTERM");
    // Active while the worker holds the row (the claim follows the job's move to active at once).
    const rowStatus = async () =>
      (await world.t.pool.query<{ status: string }>("SELECT status FROM inbox WHERE id = $1", [id])).rows[0]?.status;
    await until(async () => (await stateOf("intent", `upd-${id}`)) === "active" && (await rowStatus()) === "claimed", 15_000);
    await until(async () => (await stateOf("intent", `upd-${id}`)) === "completed", 15_000);
    const [reply] = await waitForCalls(tg, isReplyTo(OWNER), 1, { since });
    expect(String(reply!.params.text)).toContain("Возможности SIS");
    const { rows } = await world.t.pool.query<{ id: number; status: string }>(
      "SELECT o.id, i.status FROM outbox o JOIN inbox i ON o.cause = 'upd:' || i.id WHERE i.id = $1 AND o.method = 'sendMessage'",
      [id],
    );
    expect(rows[0]?.status).toBe("done");
    await until(async () => (await stateOf("send", `out-${rows[0]!.id}`)) === "completed");
  });

  it("resumes a chat within seconds when the worker holding it is killed", async () => {
    const { tg, stack } = world;
    await stack.restart("worker-intent", "SIGTERM"); // a fresh process: no cached probe
    const since = tg.lastSeq();
    const id = await inboxIdOf(tg.pushText(OWNER, "возможности SIS").update_id);
    tg.pushText(OWNER, "/help");
    await until(async () => (await stateOf("intent", `upd-${id}`)) === "active", 15_000);
    // The worker holds the chat (its lease, its job's lock) and dies; SIS answers from now on.
    await stack["worker-intent"].kill("SIGKILL");
    const killedAt = Date.now();
    stall(false);
    await stack.restart("worker-intent", "SIGTERM");
    const [probe, help] = await waitForCalls(tg, isReplyTo(OWNER), 2, { since, timeoutMs: 20_000 });
    expect(String(probe!.params.text)).toContain("Возможности SIS");
    expect(String(help!.params.text)).toContain("Команды:");
    expect(probe!.at - killedAt).toBeLessThan(5000);
    stall(true);
  });

  it("a row that runs out of attempts ends dead, the owner is told, and its job fails with the row's last error", async () => {
    const { tg, stack, t } = world;
    // Handling must fail: a deadline shorter than the stalled probe, two attempts.
    await stack.restart("worker-intent", "SIGTERM", { INTENT_TIMEOUT_MS: "300", INTENT_MAX_ATTEMPTS: "2" });
    const since = tg.lastSeq();
    const id = await inboxIdOf(tg.pushText(OWNER, "возможности SIS").update_id);
    const [told] = await waitForCalls(tg, isReplyTo(OWNER), 1, { since, timeoutMs: 20_000 });
    expect(told!.params.text).toBe(FAILED_TEXT);
    await until(async () => (await stateOf("intent", `upd-${id}`)) === "failed");
    const job = await queues.intent.getJob(`upd-${id}`);
    const { rows } = await t.pool.query<{ status: string; last_error: string }>("SELECT status, last_error FROM inbox WHERE id = $1", [id]);
    expect(rows[0]?.status).toBe("dead");
    expect(rows[0]?.last_error).toContain("gave up after 2 attempts: Error: handler took longer than 300 ms");
    expect(job?.failedReason).toBe(rows[0]?.last_error);
    await stack.restart("worker-intent", "SIGTERM");
  });

  it("answers updates whose ids come back after the Bot API restarted its count, and a re-offered update once", async () => {
    const { tg } = world;
    const since = tg.lastSeq();
    for (const text of ["/help", "/start"]) tg.pushText(OWNER, text);
    await waitForCalls(tg, isReplyTo(OWNER), 2, { since });
    tg.restartUpdateIds();
    const again = [tg.pushText(OWNER, "/start"), tg.pushText(OWNER, "/help")];
    expect(again.map((u) => u.update_id)).toEqual([1, 2]);
    const replies = await waitForCalls(tg, isReplyTo(OWNER), 4, { since, timeoutMs: 20_000 });
    expect(String(replies[2]!.params.text)).toContain("OwnerBot");
    expect(String(replies[3]!.params.text)).toContain("Команды:");
    // The very same update offered twice (a server that lost its confirmation) is answered once.
    const dup = tg.pushUpdate({ ...again[1]! });
    expect(dup.update_id).toBe(2);
    const before = tg.calls(since).filter(isReplyTo(OWNER)).length;
    tg.pushText(OWNER, "/help");
    await waitForCalls(tg, isReplyTo(OWNER), before + 1, { since });
    await new Promise((r) => setTimeout(r, 500));
    expect(tg.calls(since).filter(isReplyTo(OWNER))).toHaveLength(before + 1);
  });
});
