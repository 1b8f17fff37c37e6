// Same inputs → byte-identical tables in two separate databases; other inputs → other data.
// Also: another currency and a time zone with DST, and repair of indexes left by an interrupted seed.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { DEMO_TABLES, seedDemo, type SeedOptions } from "./seed.ts";

const OPTS: SeedOptions = { scale: 1500, seed: 42, anchorDay: "2026-03-10", timeZone: "Europe/Moscow", currency: "RUB" };

/** md5 of every row of every demo table, in a total order; demo_meta without its wall-clock generated_at. */
async function checksums(pool: pg.Pool): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of DEMO_TABLES) {
    const rows =
      table === "demo_meta" ? "(SELECT scale, seed, anchor_day, as_of, history_from, time_zone, currency FROM demo_meta)" : table;
    const { rows: r } = await pool.query<{ sum: string | null; n: number }>(
      `SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS sum, count(*)::int AS n FROM ${rows} t`,
    );
    out[table] = `${r[0]!.n}:${r[0]!.sum}`;
  }
  return out;
}

let a: TestEnv;
let b: TestEnv;
beforeAll(async () => {
  [a, b] = await Promise.all([createTestEnv(), createTestEnv()]);
});
afterAll(async () => Promise.all([a.close(), b.close()]));

describe("determinism", () => {
  it("two databases seeded with the same options hold identical rows in every demo table", async () => {
    await seedDemo(a.pool, OPTS);
    await seedDemo(b.pool, OPTS);
    const [ca, cb] = await Promise.all([checksums(a.pool), checksums(b.pool)]);
    expect(ca).toEqual(cb);
    for (const table of DEMO_TABLES) expect(ca[table], table).not.toMatch(/^0:/);
  });

  it("reseeding the same database reproduces it, and another seed or scale changes it", async () => {
    const before = await checksums(a.pool);
    await seedDemo(a.pool, OPTS);
    expect(await checksums(a.pool)).toEqual(before);
    await seedDemo(b.pool, { ...OPTS, seed: 43 });
    const other = await checksums(b.pool);
    expect(other.demo_orders).not.toBe(before.demo_orders);
    expect(other.demo_products).not.toBe(before.demo_products);
    const r = await seedDemo(b.pool, { ...OPTS, scale: 1234 });
    expect(r.orders).toBe(1234);
    expect((await b.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM demo_orders")).rows[0]!.n).toBe(1234);
  });

  it("rebuilds an index left pending by an interrupted seed and keeps the schema's index set", async () => {
    const list = async (): Promise<string[]> =>
      (
        await a.pool.query<{ def: string }>(
          `SELECT indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename LIKE 'demo\\_%' ORDER BY 1`,
        )
      ).rows.map((r) => r.def);
    const original = await list();
    const victim = original.find((d) => d.includes("demo_orders_created"))!;
    // What a seed killed after its commit leaves behind: the index gone, its definition recorded.
    await a.pool.query("DROP INDEX demo_orders_created");
    await a.pool.query("UPDATE demo_meta SET pending_indexes = $1", [[victim]]);
    await seedDemo(a.pool, { ...OPTS, scale: 1000 });
    expect(await list()).toEqual(original);
    const meta = await a.pool.query<{ pending_indexes: string[] }>("SELECT pending_indexes FROM demo_meta");
    expect(meta.rows[0]!.pending_indexes).toEqual([]);
  });
});

describe("other shop settings", () => {
  it("prices in the shop currency and counts days in a zone with a DST switch inside the history", async () => {
    // New York moves its clocks on 2026-03-08, inside the 120 days before 2026-03-20.
    const tz = "America/New_York";
    await seedDemo(b.pool, { scale: 1000, seed: 5, anchorDay: "2026-03-20", timeZone: tz, currency: "EUR" });
    const p = await b.pool.query<{ max: number; cur: string[] }>(
      `SELECT max(price) AS max, array_agg(DISTINCT currency) AS cur FROM demo_products`,
    );
    expect(p.rows[0]!.cur).toEqual(["EUR"]);
    expect(p.rows[0]!.max).toBeLessThan(700);
    const diff = await b.pool.query(
      `WITH p AS (SELECT (paid_at AT TIME ZONE $1)::date AS day, sum(amount) AS g, count(*)::int AS n
        FROM demo_orders WHERE paid_at IS NOT NULL GROUP BY 1),
      c AS (SELECT (created_at AT TIME ZONE $1)::date AS day, count(*)::int AS n FROM demo_orders GROUP BY 1)
      SELECT k.day FROM demo_kpi_daily k LEFT JOIN p USING (day) LEFT JOIN c USING (day)
      WHERE k.revenue_gross <> coalesce(p.g, 0) OR k.orders_paid <> coalesce(p.n, 0) OR k.orders_created <> coalesce(c.n, 0)`,
      [tz],
    );
    expect(diff.rows).toEqual([]);
    const sales = await b.pool.query(
      `WITH e AS (SELECT (o.paid_at AT TIME ZONE $1)::date AS day, i.product_id, sum(i.qty)::int AS qty, sum(i.qty * i.unit_price) AS revenue
          FROM demo_order_items i JOIN demo_orders o USING (order_id) WHERE o.paid_at IS NOT NULL GROUP BY 1, 2),
        a AS (SELECT day, product_id, qty, revenue FROM demo_product_sales_daily)
      (SELECT * FROM e EXCEPT SELECT * FROM a) UNION ALL (SELECT * FROM a EXCEPT SELECT * FROM e)`,
      [tz],
    );
    expect(sales.rows).toEqual([]);
    const fx = await b.pool.query(`SELECT DISTINCT base, quote FROM demo_fx_rates ORDER BY 1`);
    expect(fx.rows).toEqual([
      { base: "CNY", quote: "EUR" },
      { base: "USD", quote: "EUR" },
    ]);
  });

  it("rejects a scale outside 1 000 … 1 000 000 before touching the tables", async () => {
    await expect(seedDemo(b.pool, { ...OPTS, scale: 999 })).rejects.toThrow(/scale/);
    await expect(seedDemo(b.pool, { ...OPTS, timeZone: "Mars/Olympus" })).rejects.toThrow();
    expect((await b.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM demo_orders")).rows[0]!.n).toBe(1000);
  });
});
