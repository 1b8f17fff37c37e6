// `make migrate`: creates the database when missing, then applies db/migrations.
import { loadConfigOrExit } from "../config/index.ts";
import { createPool } from "./pool.ts";
import { ensureDatabase, migrate } from "./migrate.ts";

const cfg = loadConfigOrExit();
await ensureDatabase(cfg.DATABASE_URL);
const pool = createPool(cfg.DATABASE_URL, 2);
const applied = await migrate(pool);
process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "schema is up to date\n");
await pool.end();
