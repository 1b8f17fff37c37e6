// `make seed SCALE=N` (and `make demo`): creates and migrates the database when needed, then
// regenerates the demo shop. Flags: --scale N (default 5000), --seed N (default 42),
// --anchor-day YYYY-MM-DD, --as-of ISO-instant, --if-empty. Without --anchor-day and --as-of the shop
// is seeded for now and is live: the scheduler's tick keeps it receiving orders (live.ts).
//
// After seeding it refreshes the read tools' running sales totals (refreshReadRollups), so the first
// question does not find them stale.
//
// --if-empty keeps an existing demo shop when it was generated for today at the same scale and
// seed; a shop from an earlier day is regenerated, because its "last 2 hours" and "unanswered
// for 1–30 h" anomalies are relative to the day it was made.

import { parseArgs } from "node:util";
import { loadConfigOrExit } from "@ownerbot/core/ops";
import { createDb, createPool, ensureDatabase, migrate } from "@ownerbot/core/db";
import { refreshReadRollups } from "../tools/demo-rollups.ts";
import { localDay, seedDemo } from "./seed.ts";

function fail(message: string): never {
  process.stderr.write(`seed: ${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "5000" },
    seed: { type: "string", default: "42" },
    "anchor-day": { type: "string" },
    "as-of": { type: "string" },
    "if-empty": { type: "boolean", default: false },
  },
});
const scale = Number(values.scale);
const seed = Number(values.seed);
if (!Number.isInteger(scale)) fail(`--scale expects a whole number of orders, got "${values.scale}"`);
if (!Number.isInteger(seed)) fail(`--seed expects a whole number, got "${values.seed}"`);
const asOf = values["as-of"] === undefined ? undefined : new Date(values["as-of"]);
if (asOf !== undefined && Number.isNaN(asOf.getTime())) fail(`--as-of expects an ISO timestamp, got "${values["as-of"]}"`);

const cfg = loadConfigOrExit();
await ensureDatabase(cfg.DATABASE_URL);
// Two connections build the deferred indexes side by side after the load.
const pool = createPool(cfg.DATABASE_URL, 3);
try {
  await migrate(pool);
  if (values["if-empty"]) {
    const { rows } = await pool.query<{ scale: number; seed: number; anchor_day: string }>(
      "SELECT scale, seed, to_char(anchor_day, 'YYYY-MM-DD') AS anchor_day FROM demo_meta WHERE pending_indexes = '{}'",
    );
    const today = values["anchor-day"] ?? localDay(asOf ?? new Date(), cfg.OWNER_TZ);
    const m = rows[0];
    if (m !== undefined && m.scale === scale && m.seed === seed && m.anchor_day === today) {
      process.stdout.write(`demo shop already seeded for ${today} (${scale} orders, seed ${seed}); keeping it\n`);
      process.exit(0);
    }
  }
  const r = await seedDemo(pool, {
    scale,
    seed,
    ...(values["anchor-day"] === undefined ? {} : { anchorDay: values["anchor-day"] }),
    ...(asOf === undefined ? {} : { asOf }),
    timeZone: cfg.OWNER_TZ,
    currency: cfg.SHOP_CURRENCY,
    // A shop seeded "now" goes live (the scheduler moves it on); one for a fixed moment stays put.
    live: values["anchor-day"] === undefined && asOf === undefined,
  });
  process.stdout.write(
    `demo shop seeded in ${(r.ms / 1000).toFixed(1)} s: anchor day ${r.anchorDay}, as of ${r.asOf} (${cfg.OWNER_TZ}, ${cfg.SHOP_CURRENCY})\n` +
      `  orders ${r.orders}, items ${r.items}, payments ${r.payments}, refunds ${r.refunds}, customers ${r.customers}\n` +
      `  products ${r.products}, coupons ${r.coupons}, chats ${r.chats}, looks ${r.looks}, fx rates ${r.fxRates}\n` +
      `  kpi days ${r.kpiDays}, product-day sales rows ${r.productSalesRows}\n` +
      `  steps: ${r.steps.map((s) => `${s.step} ${(s.ms / 1000).toFixed(1)} s`).join(", ")}\n`,
  );
  // The read tools' running sales totals would otherwise be rebuilt in the background on the
  // first question; a seed script has the time to do it now.
  const t0 = performance.now();
  await refreshReadRollups(createDb(pool), { wait: true });
  process.stdout.write(`read-tool rollups refreshed in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
} finally {
  await pool.end();
}
