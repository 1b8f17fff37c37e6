import pg from "pg";
import { CompiledQuery, Kysely, PostgresDialect } from "kysely";
import type { DB } from "./schema.ts";
import type { Queryable } from "./sql.ts";

export type Db = Kysely<DB>;

// int8 and numeric come back as strings by default; ids and counts here fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export type PoolOptions = {
  /**
   * false: commits return before the WAL reaches disk (synchronous_commit=off). Only for writes
   * whose loss in a Postgres crash is harmless or covered by a later synchronous commit — any
   * synchronous commit flushes every earlier commit too, because the WAL is one sequence.
   */
  synchronousCommit?: boolean;
};

export function createPool(url: string, max = 10, opts: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    ...(opts.synchronousCommit === false ? { options: "-c synchronous_commit=off" } : {}),
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A statement stuck behind a lock must not hold a worker forever.
    statement_timeout: 30_000,
  });
  // An idle client losing its connection must not crash the process; the next checkout reconnects.
  pool.on("error", () => undefined);
  return pool;
}

export function createDb(pool: pg.Pool): Db {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * A Kysely handle as the pg-style Queryable the `*.queries.ts` modules take, for code that holds
 * only the Kysely handle. Text and values go through unchanged, as parameters.
 */
export function queryableOf(db: Db): Queryable {
  const query = async (text: string, values?: unknown[]) => db.executeQuery(CompiledQuery.raw(text, values ?? []));
  return { query } as unknown as Queryable;
}
