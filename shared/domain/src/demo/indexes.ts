// Index handling around a bulk load of the demo tables. Maintaining twenty indexes row by row costs
// far more than building each once from sorted data, so the load drops them all first.
//
// Keys of tables that something other than the generator inserts into (coupons via create_coupon,
// meta, team, …) come back inside the load's transaction, since ON CONFLICT depends on them. The
// rest — plain indexes, and the keys of the order-history tables only the generator writes — are
// rebuilt after the commit, two at a time on separate connections, while readers already see the
// complete new shop (for a few seconds without those indexes). Their statements are kept in
// demo_meta.pending_indexes until they have all run, so a seed interrupted in between is repaired
// by the next one.

import type pg from "pg";

/** Tables whose rows only the generator inserts: their keys can wait until after the commit. */
const GENERATED_ONLY = new Set([
  "demo_orders",
  "demo_order_items",
  "demo_payments",
  "demo_refunds",
  "demo_customers",
  "demo_product_sales_daily",
]);

export type TakenDown = {
  /** Statements to run inside the load's transaction, after the rows are in. */
  inTransaction: string[];
  /** Statements for after the commit (also recorded in demo_meta.pending_indexes). */
  deferred: string[];
};

const INDEX_DDL = /^CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?(\S+) ON (?:\S+\.)?(\w+) USING (\w+)/;
const KEY_DDL = /^ALTER TABLE (?:\S+\.)?(\w+) ADD CONSTRAINT "((?:[^"]|"")+)" /;

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The object a rebuild statement creates: its name, table and whether it is a GIN index. */
function target(sql: string): { name: string; table: string; gin: boolean } | undefined {
  const i = INDEX_DDL.exec(sql);
  if (i) return { name: i[1]!, table: i[2]!, gin: i[3] === "gin" };
  const k = KEY_DDL.exec(sql);
  if (k) return { name: k[2]!.replace(/""/g, '"'), table: k[1]!, gin: false };
  return undefined;
}

/** Runs inside the load's transaction, before TRUNCATE empties demo_meta. */
export async function takeDownIndexes(client: pg.PoolClient, tables: readonly string[]): Promise<TakenDown> {
  // Statements left by an interrupted seed: those objects do not exist now and must come back.
  const meta = await client.query<{ pending: string[] }>(`SELECT pending_indexes AS pending FROM demo_meta`);
  const leftover = meta.rows[0]?.pending ?? [];
  const cons = await client.query<{ tbl: string; name: string; def: string }>(
    `SELECT t.relname AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
     WHERE c.contype IN ('p', 'u') AND t.relname = ANY($1) AND t.relnamespace = current_schema()::regnamespace
     ORDER BY 1, 2`,
    [tables],
  );
  const idx = await client.query<{ name: string; tbl: string; def: string; unique: boolean }>(
    `SELECT i.indexrelid::regclass::text AS name, t.relname AS tbl, pg_get_indexdef(i.indexrelid) AS def, i.indisunique AS unique
     FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relname = ANY($1) AND t.relnamespace = current_schema()::regnamespace
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY 1`,
    [tables],
  );
  for (const c of cons.rows) await client.query(`ALTER TABLE ${c.tbl} DROP CONSTRAINT ${quoteIdent(c.name)}`);
  for (const i of idx.rows) await client.query(`DROP INDEX ${i.name}`);

  const keys = cons.rows.map((c) => ({ tbl: c.tbl, sql: `ALTER TABLE ${c.tbl} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.def}` }));
  const later = (tbl: string): boolean => GENERATED_ONLY.has(tbl);
  const dropped = new Set([...cons.rows.map((c) => c.name), ...idx.rows.map((i) => i.name)]);
  return {
    inTransaction: [
      ...keys.filter((k) => !later(k.tbl)).map((k) => k.sql),
      ...idx.rows.filter((i) => i.unique && !later(i.tbl)).map((i) => i.def),
    ],
    deferred: [
      ...keys.filter((k) => later(k.tbl)).map((k) => k.sql),
      ...idx.rows.filter((i) => !i.unique || later(i.tbl)).map((i) => i.def),
      ...leftover.filter((sql) => !dropped.has(target(sql)?.name ?? "")),
    ],
  };
}

/**
 * Runs the deferred statements on `parallel` connections, biggest first (a GIN trigram index
 * costs several btrees), then ANALYZE on every table, and clears the record. Each statement is
 * skipped when its object already exists, so a repeated rebuild is harmless.
 */
export async function rebuildDeferred(pool: pg.Pool, deferred: string[], tables: readonly string[], parallel = 2): Promise<void> {
  const sizes = await pool.query<{ name: string; bytes: number }>(
    `SELECT relname AS name, pg_relation_size(oid) AS bytes FROM pg_class
     WHERE relname = ANY($1) AND relnamespace = current_schema()::regnamespace`,
    [tables],
  );
  const bytes = new Map(sizes.rows.map((r) => [r.name, r.bytes]));
  const cost = (sql: string): number => {
    const t = target(sql);
    return t === undefined ? 0 : (bytes.get(t.table) ?? 0) * (t.gin ? 4 : 1);
  };
  // ANALYZE goes last, after the expression indexes it gathers statistics for have been started.
  const queue = [
    ...[...deferred].sort((a, b) => cost(b) - cost(a) || a.localeCompare(b)),
    ...[...tables].sort((a, b) => (bytes.get(b) ?? 0) - (bytes.get(a) ?? 0)).map((t) => `ANALYZE ${t}`),
  ];
  const worker = async (): Promise<void> => {
    const client = await pool.connect();
    try {
      await client.query("SET statement_timeout = 0");
      await client.query("SET maintenance_work_mem = '512MB'");
      for (let sql = queue.shift(); sql !== undefined; sql = queue.shift()) {
        const t = target(sql);
        if (t !== undefined) {
          const exists = await client.query(`SELECT 1 FROM pg_class WHERE relname = $1 AND relnamespace = current_schema()::regnamespace`, [
            t.name,
          ]);
          if (exists.rowCount !== 0) continue;
        }
        await client.query(sql);
      }
    } finally {
      await client.query("RESET statement_timeout; RESET maintenance_work_mem").catch(() => undefined);
      client.release();
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  await pool.query(`UPDATE demo_meta SET pending_indexes = '{}'`);
}
