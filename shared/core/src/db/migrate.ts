import { readdir, readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import pg from "pg";

export const MIGRATIONS_DIR = resolve(import.meta.dirname, "../../../../db/migrations");

const NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

export type Migration = { version: number; name: string; sql: string };

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  const out: Migration[] = [];
  for (const f of files) {
    const m = NAME.exec(f);
    if (!m) throw new Error(`migration file name "${f}" must look like 0001_what_it_does.sql`);
    const version = Number(m[1]);
    if (out.some((x) => x.version === version)) throw new Error(`two migrations share version ${version}`);
    out.push({ version, name: f, sql: await readFile(join(dir, f), "utf8") });
  }
  return out;
}

const checksum = (sql: string): string => createHash("sha256").update(sql).digest("hex");

/** An applied migration's file changed: the database no longer matches what the code expects. */
export class MigrationChanged extends Error {
  readonly file: string;
  constructor(file: string) {
    super(`${file} changed after it was applied to this database; add a new migration instead (or recreate a disposable database)`);
    this.name = "MigrationChanged";
    this.file = file;
  }
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so two
 * processes starting together do not race. Forward-only: there is no down.
 */
export async function migrate(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock(727001)");
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    await client.query("ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text");
    const { rows } = await client.query<{ version: number; checksum: string | null }>("SELECT version, checksum FROM schema_migrations");
    const done = new Map(rows.map((r) => [r.version, r.checksum]));
    for (const m of migrations) {
      const sum = checksum(m.sql);
      if (done.has(m.version)) {
        const recorded = done.get(m.version);
        // Forward-only: an applied file that changed would leave this database behind the code.
        if (recorded !== null && recorded !== undefined && recorded !== sum) throw new MigrationChanged(m.name);
        if (recorded === null) await client.query("UPDATE schema_migrations SET checksum = $2 WHERE version = $1", [m.version, sum]);
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", [m.version, m.name, sum]);
        await client.query("COMMIT");
        applied.push(m.name);
      } catch (err) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock(727001)").catch(() => undefined);
    client.release();
  }
  return applied;
}

/** Creates the database named in the URL when it does not exist (a fresh machine has none). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** Drops the database named in the URL (only for disposable ones, such as the demo shop's). */
export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
