// The SIS simulator as a process (make demo-sis starts it): the reference contract over its own
// generated shop in SIS_SIM_DATABASE_URL. SIS_SIM_PORT (default 8091), SIS_SIM_KEY, SIS_SIM_ACTORS.
import { createDb, createPool } from "@ownerbot/core/db";
import { createDemoProvider } from "@ownerbot/domain/tools";
import { demoCatalog, startSisSim } from "@ownerbot/testkit/sis-sim";

const databaseUrl = process.env.SIS_SIM_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/ownerbot_sis_sim";
const port = Number(process.env.SIS_SIM_PORT ?? 8091);
const key = process.env.SIS_SIM_KEY ?? "sis-sim-key";
const actors = (process.env.SIS_SIM_ACTORS ?? "1001").split(",").map(Number);
if (!Number.isInteger(port) || port < 0 || port > 65_535)
  throw new Error(`SIS_SIM_PORT: expected a port, got "${process.env.SIS_SIM_PORT}"`);

const pool = createPool(databaseUrl, 4);
const db = createDb(pool);
const sim = await startSisSim({
  shop: createDemoProvider(db),
  keys: { [key]: "shop_001" },
  actors,
  port,
  timeZone: process.env.OWNER_TZ ?? "Europe/Moscow",
  ...demoCatalog(pool),
});
process.stdout.write(`SIS simulator on ${sim.url} (shop in ${new URL(databaseUrl).pathname.slice(1)})\n`);
const stop = async (): Promise<void> => {
  await sim.close();
  await pool.end();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
