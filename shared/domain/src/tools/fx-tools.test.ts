import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fxDigestLines } from "../digest/daily.ts";
import type { FxStatusData } from "./results/fx.ts";
import { presentTool, runTool } from "./index.ts";
import { all, ANCHOR, ok, seededShop, SHOP, type TestShop } from "@ownerbot/testkit/test-shop";

// sis_fx_status against demo_fx_rates read here with SQL; the change and the 0.5 % rule are
// recomputed in plain arithmetic.

let s: TestShop;
beforeAll(async () => {
  s = await seededShop();
});
afterAll(async () => {
  await s.env.close();
});

type Pair = { base: string; day: string; rate: string; prev_day: string | null; prev_rate: string | null };

async function expected(): Promise<Pair[]> {
  return all<Pair>(
    s.env,
    `SELECT l.base, l.day::text AS day, l.rate::text AS rate, p.day::text AS prev_day, p.rate::text AS prev_rate
     FROM (SELECT base, max(day) AS day FROM demo_fx_rates WHERE quote = $1 AND day <= $2::date GROUP BY base) m
     JOIN demo_fx_rates l ON l.base = m.base AND l.day = m.day AND l.quote = $1
     LEFT JOIN LATERAL (SELECT day, rate FROM demo_fx_rates x
                        WHERE x.base = m.base AND x.quote = $1 AND x.day < m.day ORDER BY day DESC LIMIT 1) p ON true
     ORDER BY l.base`,
    [SHOP.currency, ANCHOR],
  );
}

const change = (p: Pair): number => ((Number(p.rate) - Number(p.prev_rate)) / Number(p.prev_rate)) * 100;

async function setLatest(base: string, factor: number): Promise<void> {
  await s.env.pool.query(
    `UPDATE demo_fx_rates l SET rate = round((SELECT rate FROM demo_fx_rates p WHERE p.base = l.base AND p.quote = l.quote
       AND p.day = l.day - 1) * $3::numeric, 6) WHERE l.base = $1 AND l.quote = $2 AND l.day = $4::date`,
    [base, SHOP.currency, factor, ANCHOR],
  );
}

describe("sis_fx_status", () => {
  it("latest and previous rate per base currency, change and would_apply as computed here", async () => {
    const exp = await expected();
    expect(exp.map((p) => p.base)).toEqual(["CNY", "EUR", "USD"]);
    const { data, outcome } = await ok<FxStatusData>("sis_fx_status", {}, s.ctx);
    expect(data.shopCurrency).toBe("RUB");
    expect(data.today).toBe(ANCHOR);
    expect(data.rates.map((r) => [r.base, r.day, r.prevDay])).toEqual(exp.map((p) => [p.base, p.day, p.prev_day]));
    data.rates.forEach((r, i) => {
      const p = exp[i]!;
      expect(r.rate).toBeCloseTo(Number(p.rate), 6);
      expect(r.prevRate).toBeCloseTo(Number(p.prev_rate), 6);
      expect(r.changePct).toBeCloseTo(change(p), 9);
      expect(r.overThreshold).toBe(Math.abs(change(p)) >= 0.5);
    });
    expect(data.wouldApply).toBe(exp.some((p) => Math.abs(change(p)) >= 0.5));
    expect(outcome.ok && outcome.result.provenance.sources).toEqual(["demo:demo_fx_rates"]);
    expect(outcome.ok && outcome.result.warnings).toEqual([]);
  });

  it("would_apply turns on at 0.5 % and stays off just below it", async () => {
    for (const b of ["CNY", "EUR", "USD"]) await setLatest(b, 1.004);
    const calm = await ok<FxStatusData>("sis_fx_status", {}, s.ctx);
    expect(calm.data.rates.map((r) => r.overThreshold)).toEqual([false, false, false]);
    expect(calm.data.wouldApply).toBe(false);
    expect(presentTool(calm.outcome, s.ctx)[0]!.text).toContain("Переоценка цен: не нужна.");

    await setLatest("EUR", 0.993);
    const moved = await ok<FxStatusData>("sis_fx_status", {}, s.ctx);
    const eur = moved.data.rates.find((r) => r.base === "EUR")!;
    // The stored rate is rounded to 6 decimals, so compare with what is stored, not with -0.7 exactly.
    expect(eur.changePct).toBeCloseTo(-0.7, 3);
    expect(eur.overThreshold).toBe(true);
    expect(moved.data.wouldApply).toBe(true);
    const text = presentTool(moved.outcome, s.ctx)[0]!.text;
    expect(text).toContain("💱 Курсы валют к RUB");
    expect(text).toContain("Переоценка цен: нужна — изменились EUR.");
    expect(text).toContain("0,5");
    expect(text).toMatch(/EUR: [\d\s\u00a0]+,\d{4} RUB/);
  });

  it("shows every change with one rounding, in the status and the digest alike, and never above a threshold it missed", async () => {
    // CNY −0.46 %, EUR −0.05 %, USD −0.4996 %: all below the 0.5 % rule.
    await setLatest("CNY", 0.9954);
    await setLatest("EUR", 0.9995);
    await setLatest("USD", 0.995004);
    const { data, outcome } = await ok<FxStatusData>("sis_fx_status", {}, s.ctx);
    expect(data.wouldApply).toBe(false);
    expect(data.rates.map((r) => r.changeShownPct)).toEqual([-0.46, -0.05, -0.49]);
    const status = presentTool(outcome, s.ctx)[0]!.text.replace(/\u00a0/g, " ");
    expect(status).toContain("▼ -0,46 %");
    expect(status).toContain("▼ -0,05 %");
    expect(status).toContain("▼ -0,49 %");
    expect(status).toContain("на 0,5 % или больше");
    const digest = fxDigestLines(data, SHOP.locale)
      .join("\n")
      .replace(/\u00a0/g, " ");
    expect(digest).toContain("CNY: ");
    expect(digest).toMatch(/CNY: .*▼ -0,46 %/);
    expect(digest).toMatch(/EUR: .*▼ -0,05 %/);
    expect(digest).toContain("Переоценка цен: не нужна (порог 0,5 %)");
  });

  it("a currency without today's rate falls back to its last rate and is flagged stale", async () => {
    await s.env.pool.query("DELETE FROM demo_fx_rates WHERE base = 'USD' AND day = $1::date", [ANCHOR]);
    const exp = await expected();
    const usd = exp.find((p) => p.base === "USD")!;
    expect(usd.day < ANCHOR).toBe(true);
    const r = await runTool("sis_fx_status", {}, s.ctx);
    if (!r.ok) throw new Error(r.error.message);
    const d = r.result.data as FxStatusData;
    expect(d.rates.find((x) => x.base === "USD")?.day).toBe(usd.day);
    expect(r.result.warnings.map((w) => w.code)).toEqual(["FX_STALE"]);
  });
});
