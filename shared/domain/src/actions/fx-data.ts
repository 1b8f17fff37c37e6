import { sql } from "kysely";
import type { Db } from "@ownerbot/core/db";
import { AppError } from "@ownerbot/core/errors";
import { demoGeneration } from "./common.ts";
import type { ProductRow } from "./catalog-rows.ts";

// The demo shop's FX pricing data: rate sets (a day of demo_fx_rates), each product's cost in the
// input currency (demo_fx_price_base, fixed on the first reprice from its price at the history's
// first rate), the FX settings row and the reprice jobs.

export type RateSet = { id: string; day: string; base: string; quote: string; rate: number };

/** "latest" / "последний" / "" → the newest day; otherwise YYYY-MM-DD or fx-YYYYMMDD. */
export async function rateSet(db: Db, rawId: string, base: string, quote: string): Promise<RateSet> {
  if (base === quote) throw new AppError("VALIDATION_ERROR", `Параметр input_currency: совпадает с валютой магазина ${quote}`);
  const id = rawId.trim().toLowerCase();
  const latest = id === "" || id === "latest" || id === "последний" || id === "@latest";
  const m = /^(?:fx-)?(\d{4})-?(\d{2})-?(\d{2})$/.exec(id);
  if (!latest && !m)
    throw new AppError("VALIDATION_ERROR", `Параметр rate_set_id: ожидается дата набора (2026-11-23) или latest, получено «${rawId}»`);
  const day = m ? `${m[1]}-${m[2]}-${m[3]}` : null;
  const r = await sql<{ day: string; rate: number }>`
    SELECT day::text AS day, rate FROM demo_fx_rates WHERE base = ${base} AND quote = ${quote}
      AND (${day}::date IS NULL OR day = ${day}::date) ORDER BY day DESC LIMIT 1`.execute(db);
  const row = r.rows[0];
  if (!row) {
    throw new AppError(
      "VALIDATION_ERROR",
      day ? `Набора курсов ${base}→${quote} за ${day} нет` : `Курсов ${base}→${quote} нет в демо-магазине`,
    );
  }
  return { id: `fx-${row.day.replaceAll("-", "")}`, day: row.day, base, quote, rate: row.rate };
}

export async function firstRate(db: Db, base: string, quote: string): Promise<number> {
  const r = await sql<{
    rate: number;
  }>`SELECT rate FROM demo_fx_rates WHERE base = ${base} AND quote = ${quote} ORDER BY day LIMIT 1`.execute(db);
  const rate = r.rows[0]?.rate;
  if (rate === undefined || rate <= 0) throw new AppError("VALIDATION_ERROR", `Курсов ${base}→${quote} нет в демо-магазине`);
  return rate;
}

export type CostedProduct = ProductRow & { base: number; stored: boolean };

/** Every priced product with its cost in `currency`: stored for this generation, or derived from its price. */
export async function costedProducts(db: Db, currency: string, quote: string, lock: boolean): Promise<CostedProduct[]> {
  const gen = await demoGeneration(db);
  const first = await firstRate(db, currency, quote);
  const q = sql<ProductRow & { base_price: number | null }>`
    SELECT p.product_id, p.title, p.price, p.compare_at_price, p.published, p.stock_qty, b.base_price
    FROM demo_products p
    LEFT JOIN demo_fx_price_base b ON b.product_id = p.product_id AND b.currency = ${currency} AND b.generation = ${gen}
    WHERE p.price > 0 ORDER BY p.product_id ${lock ? sql`FOR UPDATE OF p` : sql``}`;
  return (await q.execute(db)).rows.map(({ base_price, ...r }) => ({
    ...r,
    base: base_price ?? r.price / first,
    stored: base_price !== null,
  }));
}

export async function storeBases(trx: Db, rows: readonly CostedProduct[], currency: string): Promise<void> {
  const fresh = rows.filter((r) => !r.stored).map((r) => ({ id: r.product_id, base: r.base }));
  if (fresh.length === 0) return;
  const gen = await demoGeneration(trx);
  await sql`INSERT INTO demo_fx_price_base (product_id, currency, base_price, generation)
    SELECT v.id, ${currency}, v.base, ${gen} FROM jsonb_to_recordset(${JSON.stringify(fresh)}::jsonb) AS v(id text, base numeric)
    ON CONFLICT (product_id, currency) DO UPDATE SET base_price = excluded.base_price, generation = excluded.generation`.execute(trx);
}

export type FxSettings = {
  reprice_schedule_mode: string;
  reprice_schedule_interval_hours: number;
  reprice_schedule_notify_on_success: boolean;
  reprice_schedule_notify_on_failure: boolean;
  min_rate_delta_abs: number | null;
  min_rate_delta_percent: number;
  min_apply_cooldown_hours: number;
  provider: string;
  input_currency: string;
};

/** The column defaults of 0025 when the row was never written. */
export const FX_DEFAULTS: FxSettings = {
  reprice_schedule_mode: "manual",
  reprice_schedule_interval_hours: 12,
  reprice_schedule_notify_on_success: true,
  reprice_schedule_notify_on_failure: true,
  min_rate_delta_abs: null,
  min_rate_delta_percent: 0.5,
  min_apply_cooldown_hours: 0,
  provider: "demo",
  input_currency: "USD",
};

export async function fxSettings(db: Db): Promise<FxSettings> {
  const r = await sql<FxSettings>`SELECT reprice_schedule_mode, reprice_schedule_interval_hours, reprice_schedule_notify_on_success,
      reprice_schedule_notify_on_failure, min_rate_delta_abs, min_rate_delta_percent, min_apply_cooldown_hours, provider, input_currency
    FROM demo_fx_settings WHERE id = 1`.execute(db);
  return r.rows[0] ?? FX_DEFAULTS;
}

export type FxJob = { id: number; input_currency: string; rate: number; rate_day: string; created_at: Date };

/** The latest reprice of this shop generation that was not rolled back. */
export async function lastFxJob(db: Db, lock = false): Promise<FxJob | undefined> {
  const gen = await demoGeneration(db);
  const r = await sql<FxJob>`SELECT id, input_currency, rate, rate_day::text AS rate_day, created_at FROM demo_fx_jobs
    WHERE generation = ${gen} AND rolled_back_at IS NULL ORDER BY id DESC LIMIT 1 ${lock ? sql`FOR UPDATE` : sql``}`.execute(db);
  return r.rows[0];
}

export async function recordFxJob(
  trx: Db,
  key: string,
  set: RateSet,
  items: readonly { id: string; old: number; next: number }[],
): Promise<number> {
  const gen = await demoGeneration(trx);
  const job = await sql<{ id: number }>`INSERT INTO demo_fx_jobs (idempotency_key, input_currency, rate, rate_day, generation)
    VALUES (${key}, ${set.base}, ${set.rate}, ${set.day}::date, ${gen}) RETURNING id`.execute(trx);
  const id = job.rows[0]!.id;
  await sql`INSERT INTO demo_fx_job_items (job_id, product_id, old_price, new_price)
    SELECT ${id}, v.id, v.old, v.next FROM jsonb_to_recordset(${JSON.stringify(items)}::jsonb) AS v(id text, old numeric, next numeric)`.execute(
    trx,
  );
  return id;
}
