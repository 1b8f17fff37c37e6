import { sql } from "kysely";
import type { Db } from "@ownerbot/core/db";

// The read tools' own rollups over the demo shop (0005's running sales totals, 0007's refund
// shares): built after a seed, checked against demo_meta before use, rebuilt when stale.

const ROLLUP = "demo_product_sales_cum";
// A live shop's runner changes its rows after the seed: the totals are built for the latest change.
const staleCheck = sql<{ generated_at: Date; mark: Date | null }>`
  SELECT greatest(m.generated_at, m.changed_at) AS generated_at, r.source_generated_at AS mark
  FROM demo_meta m LEFT JOIN demo_rollup_marks r ON r.name = ${ROLLUP}`;
const isCurrent = (r: { generated_at: Date; mark: Date | null }): boolean =>
  r.mark !== null && r.mark.getTime() === r.generated_at.getTime();

/**
 * Rebuilds the running totals if the demo shop was re-seeded since they were built. `wait` blocks
 * on a concurrent rebuild (bench, tests, a seed script); without it a busy lock means "someone else
 * is on it". Returns whether the totals are current afterwards.
 */
export async function refreshReadRollups(db: Db, opts: { wait: boolean }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const lock = opts.wait
      ? sql<{ ok: boolean }>`SELECT true AS ok FROM (SELECT pg_advisory_xact_lock(hashtext(${ROLLUP}))) l`
      : sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext(${ROLLUP})) AS ok`;
    if (!(await lock.execute(trx)).rows[0]?.ok) return false;
    const row = (await staleCheck.execute(trx)).rows[0];
    if (!row) return false;
    if (isCurrent(row)) return true;
    // ~2M rows at 1M orders: longer than the pool's per-statement guard.
    await sql`SET LOCAL statement_timeout = 0`.execute(trx);
    await sql`REFRESH MATERIALIZED VIEW demo_product_sales_cum`.execute(trx);
    await sql`REFRESH MATERIALIZED VIEW demo_refund_product_shares`.execute(trx);
    await sql`INSERT INTO demo_rollup_marks (name, source_generated_at) VALUES (${ROLLUP}, ${row.generated_at})
              ON CONFLICT (name) DO UPDATE SET source_generated_at = EXCLUDED.source_generated_at, refreshed_at = now()`.execute(trx);
    return true;
  });
}

const rebuilding = new WeakMap<Db, Promise<unknown>>();

/**
 * Whether the running totals can answer now. When they are stale the caller reads the daily rollup
 * and a rebuild starts in the background (one per process, one per database via the lock), so the
 * first question after a seed is not held for the rebuild. False without a generated shop.
 */
export async function cumulativeReady(db: Db): Promise<boolean> {
  const row = (await staleCheck.execute(db)).rows[0];
  if (!row) return false;
  if (isCurrent(row)) return true;
  if (!rebuilding.has(db)) {
    const p = refreshReadRollups(db, { wait: false })
      .catch(() => false)
      .finally(() => rebuilding.delete(db));
    rebuilding.set(db, p);
  }
  return false;
}
