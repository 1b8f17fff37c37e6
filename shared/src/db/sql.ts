import type pg from "pg";

/** Anything that runs SQL: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, "query">;

/** Claimer ids are inlined into multi-statement claims, so they are held to a safe alphabet. */
export function safeClaimer(id: string): string {
  if (!/^[A-Za-z0-9_.:@-]{1,120}$/.test(id)) throw new Error(`claimer id "${id}" has characters outside [A-Za-z0-9_.:@-]`);
  return id;
}

export function intLiteral(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`expected an integer, got ${n}`);
  return String(n);
}

/** Runs fn inside BEGIN/COMMIT on one client; ROLLBACK on any error. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Rows of the n-th statement of a multi-statement simple query. */
export function rowsOf<T>(results: unknown, n: number): T[] {
  const list = results as pg.QueryResult[];
  return (list[n]?.rows ?? []) as T[];
}
