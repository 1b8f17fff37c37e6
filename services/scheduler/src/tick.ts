import type pg from "pg";
import type { Logger } from "@ownerbot/core/logger";
import type { Db } from "@ownerbot/core/db";
import type { ShopSettings } from "@ownerbot/domain/contract";
import { advanceDemo } from "@ownerbot/domain/demo";
import { runOwner, type OwnerDeps } from "./owner.ts";

// One scheduler tick: every owner in OWNER_IDS, one after another. BullMQ's job scheduler already
// runs a tick once across scheduler processes; the advisory lock, held by the tick's own
// transaction, also keeps two overlapping ticks (a slow one and the next, or a manual run) apart.
// Each feature writes in its own statement, so a later failure never takes back a sent message.

/** pg_try_advisory_xact_lock key of the notification tick ("obntf" in ASCII). */
export const TICK_LOCK_KEY = 0x6f626e7466;

export type TickDeps = {
  pool: pg.Pool;
  db: Db;
  shop: ShopSettings;
  ownerIds: readonly number[];
  log: Logger;
  onWritten?: OwnerDeps["onWritten"];
};
export type TickReport = { ran: boolean; owners: number; sent: number; errors: number };

export async function runTick(d: TickDeps, now: Date): Promise<TickReport> {
  const lock = await d.pool.connect();
  try {
    await lock.query("BEGIN");
    const { rows } = await lock.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS ok", [TICK_LOCK_KEY]);
    if (rows[0]?.ok !== true) {
      await lock.query("ROLLBACK");
      d.log.info("another tick is running; skipped");
      return { ran: false, owners: 0, sent: 0, errors: 0 };
    }
    const report: TickReport = { ran: true, owners: 0, sent: 0, errors: 0 };
    // A live demo shop moves to now first, so the owners' alerts and digests see it as it is.
    await advanceDemo(d.pool, now).then(
      (r) => {
        // Quiet minutes (nothing arrived or changed) are the usual case; they are not worth a line.
        if (r.advanced && r.orders + r.messages + r.settled + r.shipped + r.delivered + r.refunded + r.answered > 0)
          d.log.info(r, "demo shop advanced");
      },
      (err: unknown) => d.log.warn({ err }, "demo shop did not advance; the next tick catches up"),
    );
    for (const ownerId of d.ownerIds) {
      try {
        const r = await runOwner({ pool: d.pool, db: d.db, shop: d.shop, log: d.log, onWritten: d.onWritten }, ownerId, now);
        report.sent += r.sent;
        report.errors += r.errors;
      } catch (err) {
        // Loading the owner's settings failed (the database, most likely): the next tick retries.
        report.errors++;
        d.log.warn({ err, owner_id: ownerId }, "notify tick failed for an owner");
      }
      report.owners++;
    }
    await lock.query("COMMIT");
    return report;
  } catch (err) {
    await lock.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    lock.release();
  }
}
