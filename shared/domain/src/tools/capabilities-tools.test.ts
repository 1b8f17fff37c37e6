import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { startFakeSis, type FakeSis } from "@ownerbot/testkit/fake-sis";
import { CAPABILITY_PROBES, SIS_ACTIONS_PREFIX } from "../sis/capabilities.ts";
import type { SystemInfo, ToolContext } from "../contract.ts";
import type { CapabilitiesData } from "./results/capabilities.ts";
import { createRegistry, readTools, systemStatusTools } from "./index.ts";
import { SHOP } from "@ownerbot/testkit/test-shop";

// sis_actions_capabilities against the fake SIS over real HTTP: what each status means (reference
// §6 probe table), the 6-hour cache, and that the key never shows up in the answer.

const registry = createRegistry([...readTools, ...systemStatusTools]);
const SYS: SystemInfo = {
  configuredMode: "DEMO",
  effectiveMode: "DEMO",
  override: null,
  dbOk: true,
  redisOk: true,
  sisConfigured: true,
  managerChats: 0,
  asr: "off",
  llm: "off",
};

let env: TestEnv;
let sis: FakeSis;
let clock = Date.parse("2026-11-23T12:00:00Z");
const ctx = (over: Partial<ToolContext> = {}): ToolContext => ({
  db: env.db,
  shop: SHOP,
  now: new Date(clock),
  correlationId: "cap-test",
  system: SYS,
  sis: { baseUrl: sis.url, apiKey: sis.apiKey, timeoutMs: 2000 },
  ...over,
});
async function probe(input: unknown, c: ToolContext = ctx()): Promise<{ data: CapabilitiesData; text: string }> {
  const out = await registry.run("sis_actions_capabilities", input, c);
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
  const text = registry
    .present(out, c)
    .map((r) => r.text)
    .join("\n");
  return { data: out.result.data as CapabilitiesData, text };
}
const route = (key: string): string => {
  const p = CAPABILITY_PROBES.find((x) => x.key === key);
  if (!p) throw new Error(key);
  return `${p.method} ${SIS_ACTIONS_PREFIX}${p.endpoint}`;
};

beforeAll(async () => {
  env = await createTestEnv();
});
beforeEach(async () => {
  await sis?.close();
  sis = await startFakeSis();
  clock += 7 * 3600 * 1000; // past any cached report of the previous test
});
afterAll(async () => {
  await sis.close();
  await env.close();
});

describe("sis_actions_capabilities", () => {
  it("probes every capability once with the key and the correlation id, and reports all supported", async () => {
    const { data, text } = await probe({});
    expect(data.probes.map((p) => [p.key, p.status, p.statusCode])).toEqual([
      ["fx", "supported", 200],
      ["prices_bump", "supported", 422],
      ["prices_rollback", "supported", 422],
      ["discounts", "supported", 422],
      ["products_publish", "supported", 422],
      ["looks_publish", "supported", 422],
    ]);
    expect(sis.calls).toHaveLength(6);
    for (const c of sis.calls) {
      expect(c.headers["x-ownerbot-key"]).toBe(sis.apiKey);
      expect(c.headers["x-correlation-id"]).toBe("cap-test");
      if (c.method === "POST") expect(c.body).toBe("{}");
    }
    expect(text).toContain("Доступно 6 из 6");
    expect(text).not.toContain(sis.apiKey);
  });

  it("maps 404 to unsupported, 401/403 to misconfigured, 500 to unknown", async () => {
    sis.fault(route("looks_publish"), { status: 404 });
    sis.fault(route("discounts"), { status: 403 });
    sis.fault(route("prices_bump"), { status: 500 });
    const { data, text } = await probe({});
    const by = Object.fromEntries(data.probes.map((p) => [p.key, [p.status, p.supported]]));
    expect(by.looks_publish).toEqual(["unsupported", false]);
    expect(by.discounts).toEqual(["misconfigured", null]);
    expect(by.prices_bump).toEqual(["unknown", null]);
    expect(by.fx).toEqual(["supported", true]);
    expect(data.summary).toEqual({ supported: 3, unsupported: 1, misconfigured: 1, offline: 0, unknown: 1 });
    expect(text).toContain("SIS_OWNERBOT_API_KEY");
  });

  it("a wrong key makes every probe misconfigured", async () => {
    const { data } = await probe({}, ctx({ sis: { baseUrl: sis.url, apiKey: "wrong", timeoutMs: 2000 } }));
    expect(data.probes.every((p) => p.status === "misconfigured")).toBe(true);
  });

  it("a stalled or dropped endpoint is offline within the deadline, not a hang", async () => {
    sis.fault(route("fx"), { stallMs: 5000 });
    sis.fault(route("looks_publish"), { drop: true });
    const started = Date.now();
    const { data } = await probe({}, ctx({ sis: { baseUrl: sis.url, apiKey: sis.apiKey, timeoutMs: 300 } }));
    expect(Date.now() - started).toBeLessThan(2000);
    const by = Object.fromEntries(data.probes.map((p) => [p.key, p.status]));
    expect(by.fx).toBe("offline");
    expect(by.looks_publish).toBe("offline");
    expect(by.discounts).toBe("supported");
  });

  it("caches a full answer for 6 hours; force_refresh probes again; an offline answer is kept one minute only", async () => {
    await probe({});
    const second = await probe({});
    expect(second.data.cached).toBe(true);
    expect(sis.calls).toHaveLength(6);
    const forced = await probe({ force_refresh: "true" });
    expect(forced.data.cached).toBe(false);
    expect(sis.calls).toHaveLength(12);
    clock += 6 * 3600 * 1000 + 1;
    expect((await probe({})).data.cached).toBe(false);

    clock += 7 * 3600 * 1000;
    sis.fault(route("fx"), { drop: true });
    const calls = sis.calls.length;
    expect((await probe({})).data.summary.offline).toBe(1);
    // Within a minute the same question gets the same answer without waiting on SIS again…
    clock += 30_000;
    expect((await probe({})).data.cached).toBe(true);
    expect(sis.calls.length).toBe(calls + 6);
    // …after it, SIS is asked again; an offline answer never fills the 6-hour cache.
    clock += 31_000;
    expect((await probe({})).data.cached).toBe(false);
    expect(sis.calls.length).toBe(calls + 12);
  });

  it("without SIS configured says so and probes nothing", async () => {
    const c = ctx();
    delete c.sis;
    const { data, text } = await probe({}, c);
    expect(data.baseUrl).toBeNull();
    expect(data.probes).toEqual([]);
    expect(sis.calls).toHaveLength(0);
    expect(text).toContain("SIS не подключён");
    // No promise of actions this version does not carry out.
    expect(text).not.toContain("выполняются над демо-данными");
    expect(text).toContain("ещё не подключены");
  });

  it("without system information it is unavailable, like the other system tools", async () => {
    const c = ctx();
    delete c.system;
    const out = await registry.run("sis_actions_capabilities", {}, c);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.code).toBe("CONFIG_MISSING");
  });
});
