import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultProxy, type FaultProxy } from "@ownerbot/testkit/fault-proxy";
import { OWNER, startWorld, type World } from "@ownerbot/testkit/world";
import { isReplyTo, waitForCalls } from "@ownerbot/testkit/wait";
import type { ServiceName } from "@ownerbot/testkit/services";
import { httpGet, opsPorts, sample, untilAnswer } from "@ownerbot/testkit/ops";

// Every service's own /metrics, /healthz and /readyz (METRICS_PORT) and the ops service's, on the
// real processes. Redis sits behind a fault proxy so a test can cut it off.

const TOKEN = { token: "test-bearer-token-0123456789" };
const ALL: readonly ServiceName[] = ["ingress", "worker-intent", "sender", "worker-report", "scheduler", "ops"];
let world: World;
let redis: FaultProxy;
let url: (name: ServiceName, path: string) => string;

beforeAll(async () => {
  const ports = await opsPorts();
  const over: Record<string, string> = { OPS_ADMIN_TOKEN: TOKEN.token, SENDER_AUTH_PROBE_SEC: "1", NOTIFY_TICK_SEC: "1" };
  world = await startWorld(
    over,
    async (t) => {
      const target = new URL(t.redisUrl);
      redis = await startFaultProxy({ host: target.hostname, port: Number(target.port || 6379) });
      over.REDIS_URL = redis.url(t.redisUrl);
    },
    { ops: true, report: true, scheduler: true, envFor: ports.envFor },
  );
  url = (name, path) => `http://127.0.0.1:${name === "ops" ? ports.ops : ports.metrics[name]}${path}`;
});
afterAll(async () => {
  await world?.close();
  await redis?.close();
});

const ready = (name: ServiceName) => untilAnswer(url(name, "/readyz"), (r) => r.status === 200, { auth: TOKEN });
const metrics = async (name: ServiceName): Promise<string> => {
  const r = await httpGet(url(name, "/metrics"), { auth: TOKEN });
  expect(r.status, name).toBe(200);
  return r.text;
};

describe("health and metrics endpoints", () => {
  it("every service answers /healthz and becomes ready on /readyz", async () => {
    for (const name of ALL) {
      const alive = await untilAnswer(url(name, "/healthz"), (r) => r.status === 200);
      expect(JSON.parse(alive.text)).toEqual({ status: "alive" });
      const r = JSON.parse((await ready(name)).text) as { status: string; checks: Record<string, string> };
      expect(r.status, name).toBe("ready");
      expect(Object.keys(r.checks), name).toEqual(expect.arrayContaining(["postgres", "redis"]));
      expect(
        Object.values(r.checks).every((v) => v === "ok"),
        name,
      ).toBe(true);
    }
  });

  it("counts a pushed update in the ingress, the workers, the sender and the cluster gauges", async () => {
    const { tg } = world;
    for (const name of ALL) await ready(name);
    const since = tg.lastSeq();
    tg.pushText(OWNER, "/start");
    await waitForCalls(tg, isReplyTo(OWNER), 1, { since });
    // Counters are read at scrape time; the sender marks the row sent a moment after Telegram answered.
    await untilAnswer(url("ops", "/metrics"), (r) => sample(r.text, "ownerbot_table_rows", { table: "outbox", status: "sent" }) >= 1, {
      auth: TOKEN,
    });
    expect(sample(await metrics("ingress"), "ownerbot_updates_ingested_total")).toBe(1);
    const intent = await metrics("worker-intent");
    expect(sample(intent, "ownerbot_jobs_processed_total", { queue: "intent", result: "completed" })).toBe(1);
    expect(sample(intent, "ownerbot_job_duration_seconds_count", { queue: "intent" })).toBe(1);
    const sender = await metrics("sender");
    expect(sample(sender, "ownerbot_telegram_requests_total", { method: "sendMessage", result: "ok" })).toBeGreaterThanOrEqual(1);
    expect(sample(sender, "ownerbot_telegram_rate_limited_total")).toBeNaN();
    expect(sample(sender, "ownerbot_process_resident_memory_bytes")).toBeGreaterThan(10e6);
    expect(sample(sender, "ownerbot_nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
    const ops = await metrics("ops");
    expect(sample(ops, "ownerbot_table_rows", { table: "inbox", status: "done" })).toBe(1);
    expect(sample(ops, "ownerbot_queue_jobs", { queue: "intent", state: "completed" })).toBe(1);
    expect(sample(ops, "ownerbot_queue_jobs", { queue: "intent", state: "waiting" })).toBe(0);
    expect(sample(ops, "ownerbot_outbox_lag_seconds")).toBe(0);
    expect(sample(ops, "ownerbot_table_expired_leases", { table: "inbox" })).toBe(0);
  });

  it("takes the sender out of readiness while Telegram refuses the bot token, and back when it works", async () => {
    const { tg } = world;
    const since = tg.lastSeq();
    tg.setFault({ method: "sendMessage", kind: "401" });
    tg.setFault({ method: "getMe", kind: "401" });
    tg.pushText(OWNER, "/help");
    const paused = await untilAnswer(url("sender", "/readyz"), (r) => r.status === 503);
    expect(JSON.parse(paused.text)).toMatchObject({ ready: false, checks: { telegram: "Telegram refuses the bot token", postgres: "ok" } });
    expect(
      sample(await metrics("sender"), "ownerbot_telegram_requests_total", { method: "sendMessage", result: "401" }),
    ).toBeGreaterThanOrEqual(1);
    tg.clearFaults();
    await ready("sender");
    await waitForCalls(tg, isReplyTo(OWNER), 1, { since, timeoutMs: 15_000 });
  });

  it("fails /readyz in every service while Redis is cut off, and recovers when it is back", async () => {
    for (const name of ALL) await ready(name);
    redis.cut();
    for (const name of ALL) {
      const down = await untilAnswer(url(name, "/readyz"), (r) => r.status === 503, { auth: TOKEN, timeoutMs: 15_000 });
      const body = JSON.parse(down.text) as { checks: Record<string, string> };
      expect(body.checks.redis, name).not.toBe("ok");
      expect(body.checks.postgres, name).toBe("ok");
      // Alive all the same: a restart would not bring Redis back.
      expect((await httpGet(url(name, "/healthz"))).status, name).toBe(200);
    }
    redis.restore();
    for (const name of ALL) await ready(name);
    const since = world.tg.lastSeq();
    world.tg.pushText(OWNER, "/help");
    await waitForCalls(world.tg, isReplyTo(OWNER), 1, { since, timeoutMs: 20_000 });
  });
});
