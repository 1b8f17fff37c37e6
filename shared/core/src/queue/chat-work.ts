import { DelayedError, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Logger } from "../logger/index.ts";
import { findOpenRows, renewLeases, rowState, type RowState } from "../db/leased.queries.ts";
import type { Queryable } from "../db/sql.ts";
import { RetryLater, rowBackoffStrategy, type BackoffPolicy } from "./backoff.ts";
import { addRowJobs, createRedis, rowsWithoutJobs, type Queues } from "./connection.ts";
import { JOBS, rowJobPayload, type JobName } from "./jobs.ts";
import { createOutcomes, type RowOutcome } from "./outcomes.ts";
import { startSweeper } from "./sweeper.ts";

export type { RowOutcome } from "./outcomes.ts";

/** What a drain gets: its claimer name, leases kept alive while it works, and where it says how each row ended. */
export type DrainRun = {
  readonly claimer: string;
  /** Aborted when the process stops: finish the rows in hand, claim no more. */
  readonly signal: AbortSignal;
  /** Renews these rows' leases (every third of the lease) until `release`. */
  hold: (ids: readonly number[]) => void;
  release: (ids: readonly number[]) => void;
  record: (id: number, outcome: RowOutcome) => void;
};

/**
 * The loop of every drain: claim the chat's next rows, hold their leases while `handle` works on
 * them, and go on while the chat has claimable rows and `handle` says the chat may go on. The first
 * claim does not look first: a job just said the chat has a row.
 */
export async function claimLoop<R extends { id: number }>(
  run: DrainRun,
  o: { claimable: () => Promise<boolean>; claim: () => Promise<R[]>; handle: (rows: R[]) => Promise<boolean> },
): Promise<void> {
  for (let first = true; !run.signal.aborted; first = false) {
    if (!first && !(await o.claimable())) return;
    const rows = await o.claim();
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.id);
    run.hold(ids);
    try {
      if (!(await o.handle(rows))) return;
    } finally {
      run.release(ids);
    }
  }
}

export type ChatWorkOptions = {
  name: JobName;
  redisUrl: string;
  prefix: string;
  pool: Queryable;
  queues: Queues;
  log: Logger;
  workerId: string;
  /** Chats drained at once in this process. */
  concurrency: number;
  leaseSec: number;
  backoff: BackoffPolicy;
  sweep: { intervalMs: number; staleMs: number };
  /** Claims the chat's rows in order, handles and finishes them, repeats while the chat has claimable rows. */
  drain: (chatId: number, run: DrainRun) => Promise<void>;
  /** Told of lost leases and of jobs the sweeper rebuilt (the process's metrics, shared/core/src/ops/metrics.ts). */
  observe?: { leaseLost: (rows: number) => void; jobsReadded: (jobs: number) => void };
};

export type ChatWork = {
  readonly worker: Worker;
  /** Stops taking jobs, lets running drains finish their rows, closes the worker. */
  stop: () => Promise<void>;
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** At most `n` holders at once; `take` resolves with the function that frees the slot. */
function createSlots(n: number): { take: () => Promise<() => void> } {
  let busy = 0;
  const queue: (() => void)[] = [];
  const free = (): void => {
    busy--;
    queue.shift()?.();
  };
  return {
    take: async () => {
      while (busy >= n) await new Promise<void>((r) => queue.push(r));
      busy++;
      return free;
    },
  };
}

/**
 * Leased per-chat work on a table, delivered by BullMQ: the one module behind the inbox, outbox and
 * report_jobs workers (and the ones to come).
 *
 * A job stands for one row (`upd-<id>`). Rows are claimed per chat, in order, in batches: the job
 * that comes first drains its chat, and a job whose row another drain took waits for that drain
 * here (or, across processes, for the row) and then ends as its row ended — completed when the row
 * is done, failed with the row's last error when it is dead, delayed while it backs off. So a
 * job's state in bull-board is its row's, and Postgres keeps every reply exactly-once.
 *
 * Leases are short and renewed while a drain works; BullMQ's lock is as short, so a job whose
 * worker died is stalled and taken by another worker within seconds, whose claim then finds the
 * dead claimer's lease expired.
 */
export function startChatWork(o: ChatWorkOptions): ChatWork {
  const def = JOBS[o.name];
  const log = o.log.child({ queue: def.queue });
  const outcomes = createOutcomes();
  const drains = new Map<number, Promise<void>>();
  const slots = createSlots(o.concurrency);
  const stopping = new AbortController();
  let runs = 0;

  function newRun(chatId: number): DrainRun & { end: () => void } {
    const held = new Set<number>();
    const claimer = `${o.workerId}:${def.idPrefix}:${chatId}:${++runs}`;
    const timer = setInterval(
      () => {
        if (held.size === 0) return;
        const ids = [...held];
        renewLeases(o.pool, def.table, ids, claimer, o.leaseSec)
          .then((stolen) => {
            if (stolen === 0) return;
            o.observe?.leaseLost(stolen);
            log.warn({ claimer, held: ids.length, taken: stolen }, "a lease ran out while working; another worker has those rows");
          })
          .catch((err: unknown) => log.warn({ err, claimer }, "renewing leases failed; retrying at the next beat"));
      },
      Math.max(200, (o.leaseSec * 1000) / 3),
    );
    return {
      claimer,
      signal: stopping.signal,
      hold: (ids) => ids.forEach((id) => held.add(id)),
      release: (ids) => ids.forEach((id) => held.delete(id)),
      record: (id, outcome) => outcomes.set(id, outcome),
      end: () => clearInterval(timer),
    };
  }

  /** Runs one drain of the chat in this process, or joins the one already running. */
  async function drainChat(chatId: number): Promise<void> {
    const running = drains.get(chatId);
    if (running) return running;
    // Registered before it waits for a slot, so the chat's other jobs join this drain.
    const p = (async () => {
      const free = await slots.take();
      const run = newRun(chatId);
      try {
        await o.drain(chatId, run);
      } catch (err) {
        log.warn({ err, chat_id: chatId }, "drain failed; its rows went back and their jobs retry");
      } finally {
        run.end();
        free();
        drains.delete(chatId);
      }
    })();
    drains.set(chatId, p);
    return p;
  }

  type Seen = RowOutcome | { kind: "held"; leaseUntilMs: number } | { kind: "open" } | { kind: "missing" };
  function fromRow(s: RowState): Seen {
    if (s.kind === "backoff") return { kind: "wait", untilMs: s.untilMs };
    return s;
  }

  async function processJob(job: Job, token: string | undefined): Promise<{ row: string }> {
    const { chatId, id } = rowJobPayload.parse(job.data);
    for (let round = 0; ; round++) {
      if (stopping.signal.aborted && token) {
        // Back into the queue for another worker; the row is untouched.
        await job.moveToDelayed(Date.now() + 100, token);
        throw new DelayedError();
      }
      // A row another drain here already ended needs no drain (and no claim) of its own.
      let outcome: Seen | undefined = outcomes.take(id);
      if (!outcome) {
        await drainChat(chatId);
        outcome = outcomes.take(id) ?? fromRow(await rowState(o.pool, def.table, id));
      }
      switch (outcome.kind) {
        case "done":
          return { row: "done" };
        case "missing":
          // Pruned, or from another deployment's database: nothing to do.
          log.warn({ job_id: job.id }, "job for a row that does not exist");
          return { row: "missing" };
        case "dead":
          throw new UnrecoverableError(outcome.error);
        case "retry":
          throw new RetryLater(outcome.error, outcome.untilMs - Date.now());
        case "wait":
          if (!token) throw new RetryLater("waiting behind an earlier row", outcome.untilMs - Date.now());
          await job.moveToDelayed(Math.max(outcome.untilMs, Date.now() + 1), token);
          throw new DelayedError();
        case "held":
          // Another process drains this chat; its lease says how long it may take at most.
          await sleep(Math.min(200, outcome.leaseUntilMs - Date.now() + 10));
          break;
        case "open":
          if (round > 2) await sleep(Math.min(20 * round, 500));
          break;
      }
    }
  }

  const worker = new Worker(def.queue, processJob, {
    connection: createRedis(o.redisUrl),
    prefix: o.prefix,
    // A job mostly waits for its chat's drain (a promise), so many can be taken at once: with only
    // `concurrency` of them, the jobs of one busy chat (its 50 replies, added together) would fill
    // every slot and other chats would wait behind it. Drains are bounded by `slots` instead.
    concurrency: Math.min(o.concurrency * 32, 2048),
    // A dead worker's job is stalled and handed on within about lease + 1 s.
    lockDuration: o.leaseSec * 1000,
    stalledInterval: 1000,
    // Stalls are crashes, not failures of the row: the row's attempts are the budget.
    maxStalledCount: 1000,
    settings: { backoffStrategy: rowBackoffStrategy(o.backoff) },
  });
  worker.on("failed", (job, err) => {
    if (err instanceof UnrecoverableError) log.warn({ job_id: job?.id, err: err.message }, "job failed: its row is dead");
  });
  worker.on("error", (err) => log.error({ err }, "worker error"));

  const sweeper = startSweeper({
    redis: o.queues.connection,
    keyPrefix: o.prefix,
    intervalMs: o.sweep.intervalMs,
    log,
    tasks: [
      {
        name: o.name,
        run: async () => {
          const open = await findOpenRows(o.pool, def.table, o.sweep.staleMs, 1000);
          const lost = await rowsWithoutJobs(o.queues, o.name, open);
          const now = Date.now();
          await addRowJobs(
            o.queues,
            o.name,
            lost.map((r) => ({ chatId: r.chatId, id: r.id, delayMs: r.notBefore ? r.notBefore.getTime() - now : 0 })),
          );
          if (lost.length > 0) o.observe?.jobsReadded(lost.length);
          return lost.length;
        },
      },
    ],
  });
  log.info({ concurrency: o.concurrency, lease_sec: o.leaseSec, worker_id: o.workerId }, `${def.queue} worker started`);

  return {
    worker,
    stop: async () => {
      stopping.abort();
      await sweeper.stop();
      await worker.close();
      await Promise.all(drains.values());
    },
  };
}
