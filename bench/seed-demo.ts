// Demo data load: seedDemo at 1M orders into a scratch database, once into the freshly migrated
// schema and once more over the loaded shop (what `make seed` does on a used database). Baseline in
// the same run: the naive way, a client generating rows and sending multi-row INSERTs of 1 000
// orders into a copy of demo_orders with the same indexes, for 50 000 orders, extrapolated to 1M.
// The baseline covers the orders table only; the generator's time covers all fifteen tables.
import { cpus, loadavg } from "node:os";
import { seedDemo, type SeedResult } from "@ownerbot/domain/demo";
import { scratchDb } from "./lib.ts";

const SCALE = Number(process.env.SCALE ?? 1_000_000);
const BASELINE_ORDERS = Number(process.env.BASELINE_ORDERS ?? 50_000);
const BATCH = 1_000;
const OPTS = { scale: SCALE, seed: 42, anchorDay: "2026-03-10", timeZone: "Europe/Moscow", currency: "RUB" };

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");

function report(label: string, r: SeedResult): void {
  process.stdout.write(`${label}: ${s(r.ms)}  (load average ${load()})\n`);
  process.stdout.write(`  steps: ${r.steps.map((x) => `${x.step} ${s(x.ms)}`).join(", ")}\n`);
}

const db = await scratchDb("seed");
try {
  const { rows: v } = await db.pool.query<{ v: string }>("SELECT split_part(version(), ' on ', 1) AS v");
  process.stdout.write(`${SCALE} orders; ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}); ${v[0]!.v}; load average ${load()}\n`);

  const first = await seedDemo(db.pool, OPTS);
  report("seedDemo into an empty schema", first);
  const again = await seedDemo(db.pool, OPTS);
  report("seedDemo over the loaded shop", again);
  process.stdout.write(
    `  rows: orders ${again.orders}, items ${again.items}, payments ${again.payments}, refunds ${again.refunds}, ` +
      `customers ${again.customers}, products ${again.products}, product-day sales ${again.productSalesRows}, ` +
      `kpi days ${again.kpiDays}, fx ${again.fxRates}, chats ${again.chats}, coupons ${again.coupons}, looks ${again.looks}\n`,
  );

  // Baseline rows: the generator's own orders, so both sides write the same bytes.
  await db.pool.query("CREATE TABLE bench_naive_orders (LIKE demo_orders INCLUDING ALL)");
  const cols = [
    "order_id",
    "order_no",
    "status",
    "amount",
    "currency",
    "created_at",
    "customer_id",
    "customer_phone",
    "coupon_code",
    "payment_status",
    "paid_at",
    "shipping_status",
    "ship_due_at",
    "shipped_at",
    "updated_at",
    "flagged",
    "flag_reason",
    "flagged_at",
  ];
  const { rows } = await db.pool.query<Record<string, unknown>>(
    `SELECT ${cols.join(", ")} FROM demo_orders ORDER BY order_no LIMIT ${BASELINE_ORDERS}`,
  );
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const values = batch.map((_, r) => `(${cols.map((_, c) => `$${r * cols.length + c + 1}`).join(", ")})`);
    await db.pool.query(
      `INSERT INTO bench_naive_orders (${cols.join(", ")}) VALUES ${values.join(", ")}`,
      batch.flatMap((row) => cols.map((c) => row[c])),
    );
  }
  const naive = performance.now() - t0;
  const perMillion = (naive / rows.length) * 1_000_000;
  process.stdout.write(
    `baseline, multi-row INSERT of ${BATCH} orders per statement: ${rows.length} orders in ${s(naive)} ` +
      `→ ${s(perMillion)} per 1M orders (orders table only)  (load average ${load()})\n`,
  );
} finally {
  await db.drop();
}
