// Index handling around a bulk load of the demo tables. Maintaining fifteen indexes row by row
// costs far more than building each once from sorted data, so the load drops them first.
// Primary keys, unique constraints and unique indexes come back inside the load's transaction
// (ON CONFLICT and correctness depend on them); the other indexes are rebuilt after the commit,
// two at a time on separate connections, while readers already see the complete new shop.
// Their definitions are kept in demo_meta.pending_indexes until they exist again, so a seed
// interrupted in between is repaired by the next one.

import type pg from "pg";

export type TakenDown = {
  /** Statements to run inside the load's transaction, after the rows are in. */
  inTransaction: string[];
  /** CREATE INDEX statements for after the commit (also recorded in demo_meta.pending_indexes). */
  deferred: string[];
};

const INDEX_NAME = /^CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?(\S+) ON /;

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Runs inside the load's transaction, before TRUNCATE empties demo_meta. */
export async function takeDownIndexes(client: pg.PoolClient, tables: readonly string[]): Promise<TakenDown> {
  // Definitions left by an interrupted seed: those indexes do not exist now and must come back.
  const meta = await client.query<{ pending: string[] }>(`SELECT pending_indexes AS pending FROM demo_meta`);
  const leftover = meta.rows[0]?.pending ?? [];
  const cons = await client.query<{ tbl: string; name: string; def: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
     WHERE c.contype IN ('p', 'u') AND t.relname = ANY($1) AND t.relnamespace = current_schema()::regnamespace
     ORDER BY 1, 2`,
    [tables],
  );
  const idx = await client.query<{ name: string; def: string; unique: boolean }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def, i.indisunique AS unique
     FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relname = ANY($1) AND t.relnamespace = current_schema()::regnamespace
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY 1`,
    [tables],
  );
  for (const c of cons.rows) await client.query(`ALTER TABLE ${c.tbl} DROP CONSTRAINT ${quoteIdent(c.name)}`);
  for (const i of idx.rows) await client.query(`DROP INDEX ${i.name}`);
  const present = new Set(idx.rows.map((i) => i.name));
  const deferred = [
    ...idx.rows.filter((i) => !i.unique).map((i) => i.def),
    ...leftover.filter((def) => !present.has(INDEX_NAME.exec(def)?.[1] ?? "")),
  ];
  return {
    inTransaction: [
      ...cons.rows.map((c) => `ALTER TABLE ${c.tbl} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.def}`),
      ...idx.rows.filter((i) => i.unique).map((i) => i.def),
    ],
    deferred,
  };
}

/** Builds the deferred indexes on `parallel` connections, then ANALYZEs the tables and clears the record. */
export async function rebuildDeferred(pool: pg.Pool, deferred: string[], analyze: readonly string[], parallel = 2): Promise<void> {
  const run = async (queue: string[]): Promise<void> => {
    const worker = async (): Promise<void> => {
      const client = await pool.connect();
      try {
        await client.query("SET statement_timeout = 0");
        await client.query("SET maintenance_work_mem = '512MB'");
        for (let sql = queue.shift(); sql !== undefined; sql = queue.shift()) await client.query(sql);
      } finally {
        await client.query("RESET statement_timeout; RESET maintenance_work_mem").catch(() => undefined);
        client.release();
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
  };
  // Biggest builds first (GIN trigram indexes cost several btrees), so the builders finish together.
  const sizes = await pool.query<{ name: string; bytes: number }>(
    `SELECT relname AS name, pg_relation_size(oid) AS bytes FROM pg_class
     WHERE relname = ANY($1) AND relnamespace = current_schema()::regnamespace`,
    [analyze],
  );
  const bytes = new Map(sizes.rows.map((r) => [r.name, r.bytes]));
  const cost = (def: string): number => {
    const m = / ON (?:\S+\.)?(\w+) USING (\w+)/.exec(def);
    return (bytes.get(m?.[1] ?? "") ?? 0) * (m?.[2] === "gin" ? 4 : 1);
  };
  const ordered = [...deferred].sort((a, b) => cost(b) - cost(a) || a.localeCompare(b));
  await run(ordered.map((def) => def.replace(/^CREATE INDEX (?!IF NOT EXISTS )/, "CREATE INDEX IF NOT EXISTS ")));
  await run(analyze.map((t) => `ANALYZE ${t}`));
  await pool.query(`UPDATE demo_meta SET pending_indexes = '{}'`);
}
