import { Hono } from "hono";
import type { Logger } from "@ownerbot/core/logger";
import type { Queryable } from "@ownerbot/core/db";
import { type Checks, type Metrics, readiness } from "@ownerbot/core/ops";
import { JOBS, type JobName } from "@ownerbot/core/queue";
import { guardWrites, requireCredentials, type Credentials } from "./auth.ts";
import type { Board } from "./board.ts";
import { WORK_NAMES, retryRow, tableStats } from "./rows.ts";
import { tablesPage } from "./tables-page.ts";

export type OpsAppDeps = {
  credentials: Credentials;
  allowWrite: boolean;
  pool: Queryable;
  board: Board;
  metrics: Metrics;
  checks: Checks;
  log: Logger;
};

/** The ops service's routes: probes, metrics, the tables page and its retries, and bull-board. */
export function createOpsApp(d: OpsAppDeps): Hono {
  const app = new Hono();
  app.use("*", requireCredentials(d.credentials));
  app.use("*", guardWrites(d.allowWrite));
  app.onError((err, c) => {
    d.log.warn({ err, path: c.req.path }, "ops request failed");
    return c.json({ error: err.message }, 500);
  });

  app.get("/healthz", (c) => c.json({ status: "alive" }));
  app.get("/readyz", async (c) => {
    const r = await readiness(d.checks);
    return c.json({ status: r.ready ? "ready" : "not ready", ...r }, r.ready ? 200 : 503);
  });
  app.get("/metrics", async (c) => c.body(await d.metrics.registry.metrics(), 200, { "content-type": d.metrics.registry.contentType }));

  const stats = () => Promise.all(WORK_NAMES.map((n) => tableStats(d.pool, n)));
  app.get("/ops/tables", async (c) => c.html(tablesPage(await stats(), { allowWrite: d.allowWrite, message: c.req.query("message") })));
  app.get("/ops/api/tables", async (c) => c.json(await stats()));

  // A retry from the tables page (a form: back to the page with what happened) or a script (JSON).
  app.post("/ops/rows/:name/:id/retry", async (c) => {
    const name = c.req.param("name");
    const id = Number(c.req.param("id"));
    if (!(name in JOBS) || !Number.isSafeInteger(id) || id <= 0) return c.json({ error: "unknown table or row id" }, 404);
    const r = await retryRow({ pool: d.pool, queues: d.board.queues }, name as JobName, id);
    d.log.info({ queue: name, row: id, result: r }, "ops: retry");
    if ((c.req.header("content-type") ?? "").includes("application/x-www-form-urlencoded")) {
      const text = r.ok ? `${JOBS[name as JobName].table.table} row ${id}: ${r.row}, job ${r.job}` : r.error;
      return c.redirect(`/ops/tables?message=${encodeURIComponent(text)}`, 303);
    }
    return r.ok ? c.json(r) : c.json({ error: r.error }, r.status);
  });

  app.route("/", d.board.app);
  return app;
}
