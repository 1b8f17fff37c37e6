import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoProvider } from "../tools/demo-provider.ts";
import type { ShopProvider } from "../tools/provider.ts";
import { runTool } from "../tools/index.ts";
import { seededShop, SHOP, type TestShop } from "@ownerbot/testkit/test-shop";
import { startSisSim, type SisSim } from "@ownerbot/testkit/sis-sim";
import { createSisHttp } from "./http.ts";
import { createSisReadProvider, type SisReadProvider } from "./read-provider.ts";

// Contract tests: every read-gateway method of the SIS_HTTP provider against the simulator, which
// answers from the same generated shop as DEMO, so both providers must give the same answers.

let shop: TestShop;
let sim: SisSim;
let demo: ShopProvider;
let sis: SisReadProvider;

beforeAll(async () => {
  shop = await seededShop(2000);
  demo = createDemoProvider(shop.env.db);
  sim = await startSisSim({ shop: demo, timeZone: SHOP.timeZone });
  const http = createSisHttp({ baseUrl: sim.url, apiKey: sim.apiKey, timeoutMs: 2000, maxRetries: 0, backoffBaseMs: 10, bulkhead: 4 });
  sis = createSisReadProvider(http, { apiKey: sim.apiKey, timeZone: SHOP.timeZone, local: demo });
}, 120_000);
afterAll(async () => {
  await sim?.close();
  await shop?.env.close();
});

describe("SIS_HTTP provider against the simulator", () => {
  it("clock: SIS's as_of is the shop's now", async () => {
    const [a, b] = await Promise.all([demo.clock(shop.ctx.now, SHOP.timeZone), sis.clock(shop.ctx.now, SHOP.timeZone)]);
    expect(b.now.toISOString()).toBe(a.now.toISOString());
    expect(b.today).toBe(a.today);
  });

  it("kpiDays, kpiBetween, latestKpiDay equal DEMO's", async () => {
    const { today, now } = await demo.clock(shop.ctx.now, SHOP.timeZone);
    const from = "2026-11-01";
    expect(await sis.kpiDays(from, today)).toEqual(await demo.kpiDays(from, today));
    const start = new Date(now.getTime() - 30 * 3600_000);
    expect(await sis.kpiBetween(start, now)).toEqual(await demo.kpiBetween(start, now));
    expect(await sis.latestKpiDay(today)).toBe(await demo.latestKpiDay(today));
    const trend = await sis.revenueTrend(from, today);
    expect(trend.length).toBe((await demo.kpiDays(from, today)).length);
  });

  it("searchOrders by text and orderDetail equal DEMO's; an unknown order is null", async () => {
    const { now } = await demo.clock(shop.ctx.now, SHOP.timeZone);
    const f = { now, sinceHours: 2, limit: 5, offset: 0 };
    const page = await demo.searchOrders(f, 1000);
    expect(await sis.searchOrders(f, 1000)).toEqual(page);
    const first = page.items[0]!;
    expect(await sis.searchOrders({ ...f, q: first.customerPhone }, 1000)).toEqual(
      await demo.searchOrders({ ...f, q: first.customerPhone }, 1000),
    );
    expect(await sis.orderDetail(first.orderNo)).toEqual(await demo.orderDetail(first.orderNo));
    expect(await sis.orderDetail(99_999_999)).toBeNull();
  });

  it("searchOrders by status goes as q (the reference's contract) and equals DEMO's", async () => {
    const { now } = await demo.clock(shop.ctx.now, SHOP.timeZone);
    for (const status of ["pending", "shipped", "refunded"]) {
      const f = { now, sinceHours: 2, limit: 5, offset: 0, status };
      const page = await demo.searchOrders(f, 1000);
      expect(page.total, status).toBeGreaterThan(0);
      expect(await sis.searchOrders(f, 1000)).toEqual(page);
    }
    expect(sim.requests.at(-1)?.path).toBe("/ownerbot/v1/orders/search");
  });

  it("what orders/search cannot express is refused plainly, naming it", async () => {
    const base = { now: new Date(), sinceHours: 2, limit: 5, offset: 0 };
    for (const [f, what] of [
      [{ preset: "stuck" as const }, /подборки/],
      [{ flagged: true }, /флагом/],
      [{ createdFrom: new Date(Date.now() - 86_400_000), createdBefore: new Date() }, /дни создания/],
      [{ status: "paid", q: "Иван" }, /статус вместе с текстом/],
    ] as const) {
      const sent = sim.requests.length;
      await expect(sis.searchOrders({ ...base, ...f }, 10)).rejects.toMatchObject({
        code: "UPSTREAM_NOT_IMPLEMENTED",
        message: expect.stringMatching(what) as unknown,
      });
      expect(sim.requests.length).toBe(sent);
    }
  });

  it("fxRates: the rate from the Actions API's fx/status; sis_fx_status shows it", async () => {
    const [r] = await sis.fxRates("2026-11-23");
    expect(r).toMatchObject({ base: "USD", quote: "RUB", rate: 92.5, prevRate: null });
    await sim.setFxRate(93.4);
    const out = await runTool("sis_fx_status", {}, { ...shop.ctx, provider: sis });
    expect(out.ok).toBe(true);
    if (out.ok) expect(out.result.data).toMatchObject({ rates: [{ base: "USD", rate: 93.4, prevRate: 92.5 }] });
  });

  it("a report the gateway does not serve says so plainly", async () => {
    await expect(sis.inventoryCounts(3)).rejects.toMatchObject({ code: "UPSTREAM_NOT_IMPLEMENTED", message: /SIS пока не отдаёт/ });
    await expect(sis.searchOrders({ now: new Date(), sinceHours: 2, limit: 5, offset: 0, preset: "stuck" }, 10)).rejects.toMatchObject({
      code: "UPSTREAM_NOT_IMPLEMENTED",
    });
  });

  it("the read tools give the same data from DEMO and from SIS", async () => {
    const day = await demo.latestKpiDay((await demo.clock(shop.ctx.now, SHOP.timeZone)).today);
    for (const [tool, input] of [
      ["kpi_snapshot", {}],
      ["kpi_snapshot", { day: "2026-11-20" }],
      ["revenue_trend", { days: 14 }],
      ["orders_search", { limit: 5 }],
      ["kpi_compare", { preset: "wow" }],
    ] as const) {
      const a = await runTool(tool, input, { ...shop.ctx, provider: demo });
      const b = await runTool(tool, input, { ...shop.ctx, provider: sis });
      expect(a.ok && b.ok, `${tool} ${JSON.stringify(input)}`).toBe(true);
      if (a.ok && b.ok) {
        expect(b.result.data, tool).toEqual(a.result.data);
        expect(b.result.provenance.sources[0]).toMatch(/^sis:/);
      }
    }
    expect(day).not.toBeNull();
  });
});
