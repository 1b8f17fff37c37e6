import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAPABILITY_PROBES, PROBE_TIMEOUT_MS, SIS_ACTIONS_PREFIX } from "@ownerbot/domain/sis";
import { startFakeSis, type FakeSis } from "@ownerbot/testkit/fake-sis";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { ownerChat, startDemoWorld, type OwnerChat } from "@ownerbot/testkit/owner-chat";
import { isReplyTo, waitForCalls } from "@ownerbot/testkit/wait";

// RELIABILITY.md D1 for the one path that calls SIS today (the capability probe): SIS accepts the
// connections and never answers. The owner who asked waits at most the probe's deadline, /start
// right behind it still answers fast, and asking again during the outage does not wait again.

let world: World;
let sis: FakeSis;
let chat: OwnerChat;
// The start-up preflight pings the read gateway once; the probes are the Actions API's calls.
const probeCalls = (): number => sis.calls.filter((c) => c.path.startsWith(SIS_ACTIONS_PREFIX)).length;
beforeAll(async () => {
  sis = await startFakeSis();
  for (const p of CAPABILITY_PROBES) sis.fault(`${p.method} ${SIS_ACTIONS_PREFIX}${p.endpoint}`, { stallMs: 60_000 });
  world = await startDemoWorld({ env: { SIS_BASE_URL: sis.url, SIS_OWNERBOT_API_KEY: sis.apiKey } });
  chat = ownerChat(world.tg);
});
afterAll(async () => {
  await world?.close();
  await sis?.close();
});

describe("SIS stalls", () => {
  it("the probe gives up at its deadline, /start behind it answers at once, a repeat does not wait again", async () => {
    const { tg } = world;
    await chat.ask("/help"); // a warm worker: the first message of a fresh process pays its start-up
    const since = tg.lastSeq();
    const t0 = Date.now();
    tg.pushText(OWNER, "возможности SIS");
    tg.pushText(OWNER, "/start");
    const [probe, start] = await waitForCalls(tg, isReplyTo(OWNER), 2, { since, timeoutMs: 20_000 });
    const probeText = String(probe!.params.text);
    expect(probeText).toContain("🔌 Возможности SIS");
    expect(probeText).toContain("нет ответа");
    expect(String(start!.params.text)).toContain("OwnerBot");
    // One chat is answered in order, so /start waited for the probe: at most its deadline plus a little.
    expect(Date.now() - t0).toBeLessThan(PROBE_TIMEOUT_MS + 1500);
    expect(probeCalls()).toBe(CAPABILITY_PROBES.length);

    const t1 = Date.now();
    const again = await chat.ask("возможности SIS");
    expect(again.text).toContain("SIS не ответил недавно");
    expect(Date.now() - t1).toBeLessThan(1000);
    expect(probeCalls()).toBe(CAPABILITY_PROBES.length);
  });
});
