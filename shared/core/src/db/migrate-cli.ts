// `make migrate`: creates the database when missing, then applies db/migrations.
// --recreate-if-changed (the demo's own database): a changed, already-applied migration drops and
// recreates the database instead of stopping.
import { loadConfigOrExit } from "../ops/lifecycle.ts";
import { createPool } from "./pool.ts";
import { dropDatabase, ensureDatabase, migrate, MigrationChanged } from "./migrate.ts";

const cfg = loadConfigOrExit();
const recreate = process.argv.includes("--recreate-if-changed");

async function run(): Promise<string[]> {
  await ensureDatabase(cfg.DATABASE_URL);
  const pool = createPool(cfg.DATABASE_URL, 2);
  try {
    return await migrate(pool);
  } finally {
    await pool.end();
  }
}

try {
  const applied = await run().catch(async (err: unknown) => {
    if (!(err instanceof MigrationChanged) || !recreate) throw err;
    process.stdout.write(`${err.message}\nrecreating this disposable database\n`);
    await dropDatabase(cfg.DATABASE_URL);
    return run();
  });
  process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "schema is up to date\n");
} catch (err) {
  process.stderr.write(`migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
