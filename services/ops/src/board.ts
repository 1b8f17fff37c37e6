import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { Hono } from "hono";
import { serveStatic } from "@hono/node-server/serve-static";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { HonoAdapter } from "@bull-board/hono";
import type { Logger } from "@ownerbot/core/logger";
import type { Queryable } from "@ownerbot/core/db";
import { type JobName, JOBS, type Queues, rowIdOf, SCHEDULES } from "@ownerbot/core/queue";
import { clearBackoff, failedRowIds, reopenDead, retryRow, workNameOfQueue } from "./rows.ts";

/**
 * Every queue OwnerBot declares: the per-row queues (shared/core/src/queue/jobs.ts) and the job
 * schedulers' (schedules.ts). A queue declared later appears here, and on the board, by itself.
 */
export function declaredQueues(): { name: string; rows: JobName | undefined; description: string }[] {
  const perRow = Object.entries(JOBS).map(([name, j]) => ({
    name: j.queue,
    rows: name as JobName,
    description: `a job ${j.idPrefix}-<id> per ${j.table.table} row; its state is the row's`,
  }));
  const scheduled = Object.values(SCHEDULES).map((s) => ({
    name: s.queue,
    rows: undefined,
    description: `job scheduler ${s.schedulerId}`,
  }));
  const seen = new Set<string>();
  return [...perRow, ...scheduled].filter((q) => !seen.has(q.name) && seen.add(q.name));
}

export type Board = { app: Hono; queues: Queues; all: Map<string, Queue>; close: () => Promise<void> };

/**
 * bull-board over every declared queue, read-only unless writes are allowed. Its retry and promote
 * buttons act on the rows first — a dead row's job would only fail again, a delayed job's chat
 * would only wait again — and adding or editing jobs is refused: every job stands for a row.
 */
export function createBoard(o: { connection: Redis; prefix: string; pool: Queryable; allowWrite: boolean; log: Logger }): Board {
  const all = new Map(declaredQueues().map((q) => [q.name, new Queue(q.name, { connection: o.connection, prefix: o.prefix })]));
  const queues = Object.assign(
    { connection: o.connection },
    Object.fromEntries(Object.entries(JOBS).map(([name, j]) => [name, all.get(j.queue)!])),
  ) as unknown as Queues;

  const server = new HonoAdapter(serveStatic);
  createBullBoard({
    queues: declaredQueues().map(
      (q) => new BullMQAdapter(all.get(q.name)!, { readOnlyMode: !o.allowWrite, allowRetries: o.allowWrite, description: q.description }),
    ),
    serverAdapter: server,
    options: {
      uiConfig: {
        boardTitle: "OwnerBot",
        miscLinks: [{ text: "Tables (inbox, outbox, reports)", url: "/ops/tables" }],
        environment: o.allowWrite ? { label: "writes allowed", color: "#b91c1c" } : { label: "read-only", color: "#334155" },
      },
    },
  });
  server.setBasePath("/");

  const app = new Hono();
  const rowsOf = (queueName: string): JobName | undefined => workNameOfQueue(queueName);

  app.on(["POST", "PATCH"], ["/api/queues/:queueName/add", "/api/queues/:queueName/:jobId/update-data"], (c) =>
    c.json({ error: "jobs are made from rows: add or change the row, not the job" }, 403),
  );
  app.put("/api/queues/:queueName/:jobId/retry", async (c, next) => {
    const name = rowsOf(c.req.param("queueName"));
    const id = name ? rowIdOf(name, c.req.param("jobId")) : null;
    if (!name || id === null) return next();
    const r = await retryRow({ pool: o.pool, queues }, name, id);
    o.log.info({ queue: name, row: id, result: r }, "ops: retry");
    return r.ok ? c.body(null, 204) : c.json({ error: r.error }, r.status);
  });
  app.put("/api/queues/:queueName/retry/failed", async (c, next) => {
    const name = rowsOf(c.req.param("queueName"));
    if (name) {
      const reopened = await reopenDead(o.pool, name, await failedRowIds(all.get(JOBS[name].queue)!, name));
      o.log.info({ queue: name, rows: reopened.length }, "ops: retry of every failed job; their dead rows reopened");
    }
    return next();
  });
  app.put("/api/queues/:queueName/:jobId/promote", async (c, next) => {
    const name = rowsOf(c.req.param("queueName"));
    const id = name ? rowIdOf(name, c.req.param("jobId")) : null;
    if (name && id !== null) o.log.info({ queue: name, row: id, cleared: await clearBackoff(o.pool, name, id) }, "ops: promote");
    return next();
  });
  app.put("/api/queues/:queueName/promote", async (c, next) => {
    const name = rowsOf(c.req.param("queueName"));
    if (name) o.log.info({ queue: name, cleared: await clearBackoff(o.pool, name, "all") }, "ops: promote all");
    return next();
  });
  // bull-board's page asks Google for its fonts; an ops board on a private host must not call out
  // (and has no internet in many deployments): the system fonts do.
  app.get("*", async (c, next) => {
    await next();
    if (!(c.res.headers.get("content-type") ?? "").startsWith("text/html")) return;
    const html = (await c.res.text()).replace(/<link[^>]+fonts\.googleapis\.com[^>]*>/g, "");
    const headers = new Headers(c.res.headers);
    headers.delete("content-length");
    c.res = new Response(html, { status: c.res.status, headers });
  });
  app.route("/", server.registerPlugin());

  return {
    app,
    queues,
    all,
    close: async () => void (await Promise.all([...all.values()].map((q) => q.close()))),
  };
}
