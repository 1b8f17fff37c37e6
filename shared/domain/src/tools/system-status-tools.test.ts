import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import type { Reply, SystemInfo, ToolContext } from "../contract.ts";
import { createRegistry, readTools, systemStatusTools } from "./index.ts";
import type { ToolOutcome } from "./registry.ts";
import type { OnboardStatusData, SysHealthData, UpstreamModeData } from "./results/system-status.ts";
import { SHOP } from "@ownerbot/testkit/test-shop";
import { startFakeSis } from "@ownerbot/testkit/fake-sis";

// The system tools answer only from ctx.system; expected values are worked out by hand from the
// rules in docs/tools.md (reference §10.3 for the checklist).

// The registry a composition root that passes ctx.system builds.
const registry = createRegistry([...readTools, ...systemStatusTools]);
const runTool = (name: string, input: unknown, ctx: ToolContext): Promise<ToolOutcome> => registry.run(name, input, ctx);
const presentTool = (o: ToolOutcome, ctx: ToolContext): Reply[] => registry.present(o, ctx);
async function ok<T>(name: string, input: unknown, ctx: ToolContext): Promise<{ data: T; outcome: ToolOutcome }> {
  const outcome = await runTool(name, input, ctx);
  if (!outcome.ok) throw new Error(`${name} failed: ${outcome.error.code} ${outcome.error.message}`);
  return { data: outcome.result.data as T, outcome };
}

let env: TestEnv;
let base: ToolContext;
beforeAll(async () => {
  env = await createTestEnv();
  base = { db: env.db, shop: SHOP, now: new Date("2026-11-23T12:00:00Z"), correlationId: "test" };
});
afterAll(async () => {
  await env.close();
});

const DEMO: SystemInfo = {
  configuredMode: "DEMO",
  effectiveMode: "DEMO",
  override: null,
  dbOk: true,
  redisOk: true,
  sisConfigured: false,
  managerChats: 0,
  asr: "off",
  llm: "off",
};
const withSys = (over: Partial<SystemInfo>): ToolContext => ({ ...base, system: { ...DEMO, ...over } });

describe("without system information", () => {
  it.each(["sys_upstream_mode", "sys_health", "onboard_status"])("%s says it is unavailable", async (name) => {
    const out = await runTool(name, {}, base);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.code).toBe("CONFIG_MISSING");
    expect(presentTool(out, base)[0]!.text).toContain("Сведения о системе недоступны");
  });
});

describe("sys_upstream_mode", () => {
  it("reports configured, override and effective mode; AUTO falling back to DEMO is explained", async () => {
    const ctx = withSys({ configuredMode: "SIS_HTTP", override: "AUTO", effectiveMode: "DEMO", sisConfigured: true });
    const { data, outcome } = await ok<UpstreamModeData>("sys_upstream_mode", {}, ctx);
    expect(data).toEqual({
      configuredMode: "SIS_HTTP",
      override: "AUTO",
      selectedMode: "AUTO",
      effectiveMode: "DEMO",
      sisConfigured: true,
    });
    const text = presentTool(outcome, ctx)[0]!.text;
    expect(text).toContain("Сейчас используется: DEMO (демо-данные)");
    expect(text).toContain("Переключено в боте: AUTO");
    expect(text).toContain("SIS сейчас не отвечает");
    expect(outcome.ok && outcome.result.warnings).toEqual([]);
  });
});

describe("sys_health", () => {
  it("ok in DEMO with DB and Redis up; SIS not needed", async () => {
    const { data, outcome } = await ok<SysHealthData>("sys_health", {}, withSys({ llm: "openai" }));
    expect(data).toEqual({ status: "ok", db: "ok", redis: "ok", sis: "not_needed", effectiveMode: "DEMO", asr: "off", llm: "openai" });
    const text = presentTool(outcome, base)[0]!.text;
    expect(text).toContain("всё в порядке");
    expect(text).toContain("LLM: openai");
  });

  it("degraded when Redis is down, or when the mode needs SIS that is not configured", async () => {
    const r1 = await ok<SysHealthData>("sys_health", {}, withSys({ redisOk: false }));
    expect([r1.data.status, r1.data.redis]).toEqual(["degraded", "fail"]);
    const r2 = await ok<SysHealthData>("sys_health", {}, withSys({ configuredMode: "SIS_HTTP", effectiveMode: "SIS_HTTP" }));
    expect([r2.data.status, r2.data.sis]).toEqual(["degraded", "fail"]);
    const r3 = await ok<SysHealthData>("sys_health", {}, withSys({ dbOk: false }));
    expect([r3.data.status, r3.data.db]).toEqual(["degraded", "fail"]);
    expect(presentTool(r2.outcome, base)[0]!.text).toContain("есть проблемы");
  });
});

describe("onboard_status", () => {
  const levels = (d: OnboardStatusData): Record<string, string> => Object.fromEntries(d.items.map((i) => [i.key, i.level]));

  it("DEMO without SIS or managers: warn overall, nothing fails", async () => {
    const { data, outcome } = await ok<OnboardStatusData>("onboard_status", {}, withSys({}));
    expect(levels(data)).toEqual({
      sis_connectivity: "warn",
      upstream_mode: "ok",
      capabilities: "warn",
      notifications: "warn",
      team_routing: "warn",
    });
    expect(data.overall).toBe("warn");
    const text = presentTool(outcome, base)[0]!.text;
    expect(text).toContain("Готовность бота: ⚠️");
    expect(text).toContain("MANAGER_CHAT_IDS");
  });

  it("SIS_HTTP override without SIS settings fails; with SIS and managers only the not-yet-built checks warn", async () => {
    const bad = await ok<OnboardStatusData>("onboard_status", {}, withSys({ override: "SIS_HTTP" }));
    expect(levels(bad.data)).toMatchObject({ sis_connectivity: "fail", upstream_mode: "fail" });
    expect(bad.data.overall).toBe("fail");

    const good = await ok<OnboardStatusData>(
      "onboard_status",
      {},
      withSys({ configuredMode: "AUTO", effectiveMode: "SIS_HTTP", sisConfigured: true, managerChats: 2 }),
    );
    expect(levels(good.data)).toEqual({
      sis_connectivity: "ok",
      upstream_mode: "ok",
      capabilities: "warn",
      notifications: "warn",
      team_routing: "ok",
    });
    expect(good.data.overall).toBe("warn");
    expect(presentTool(good.outcome, base)[0]!.text).toContain("Чаты менеджеров: 2");
  });

  it("notifications: ok once the asking owner has one switched on", async () => {
    const owner = 4242;
    const before = await ok<OnboardStatusData>("onboard_status", {}, { ...withSys({}), actorId: owner });
    expect(before.data.items.find((i) => i.key === "notifications")).toMatchObject({ level: "warn", reason: "none_on" });
    // /notify messages the team; the hint points at the notification settings instead.
    const hint = presentTool(before.outcome, base)[0]!.text;
    expect(hint).not.toContain("/notify");
    expect(hint).toContain("«🔔 Уведомления»");
    await env.pool.query("INSERT INTO owner_notify_settings (owner_id, weekly_enabled) VALUES ($1, true)", [owner]);
    const after = await ok<OnboardStatusData>("onboard_status", {}, { ...withSys({}), actorId: owner });
    expect(after.data.items.find((i) => i.key === "notifications")).toMatchObject({ level: "ok", reason: "some_on" });
  });

  it("capabilities: read from the last probe of the configured SIS, never probed here", async () => {
    const sis = await startFakeSis();
    try {
      const c: ToolContext = { ...withSys({ sisConfigured: true }), sis: { baseUrl: sis.url, apiKey: sis.apiKey, timeoutMs: 2000 } };
      const cap = (d: OnboardStatusData) => d.items.find((i) => i.key === "capabilities");
      expect(cap((await ok<OnboardStatusData>("onboard_status", {}, c)).data)).toMatchObject({ level: "warn", reason: "not_probed" });
      expect(sis.calls).toHaveLength(0);
      await ok("sis_actions_capabilities", {}, c);
      expect(cap((await ok<OnboardStatusData>("onboard_status", {}, c)).data)).toMatchObject({ level: "ok", reason: "probed" });
    } finally {
      await sis.close();
    }
  });
});
