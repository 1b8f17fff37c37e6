import type pg from "pg";
import type { Logger } from "@ownerbot/core/logger";
import { type ClaimedLlm, claimLlmJob, finishLlmJob, LlmError, type LlmFinish, outcomeOf, type Planner } from "@ownerbot/domain/llm";
import { chatClaimable, LLM, releaseRows } from "@ownerbot/core/db";
import { backoffMs, type BackoffPolicy, claimLoop, type DrainRun, type Queues, wakeIntent } from "@ownerbot/core/queue";

export type LlmDrainDeps = {
  pool: pg.Pool;
  queues: Queues;
  log: Logger;
  planner: Planner;
  leaseSec: number;
  maxAttempts: number;
  backoff: BackoffPolicy;
  observe?: { called: (result: string, ms: number, tokensIn?: number, tokensOut?: number) => void };
};

/**
 * The llm worker: plans a chat's texts one at a time, oldest first. Each call has the planner's
 * deadline; a model that times out, errs or answers unreadably is retried with backoff on the row
 * up to LLM_MAX_ATTEMPTS, then the text is given up (the owner gets «не понял» with a hint). An
 * answer that names no allowed tool is not a failure of the call: it is recorded as what it is.
 */
export function createLlmDrainer(d: LlmDrainDeps) {
  async function processJob(job: ClaimedLlm, run: DrainRun): Promise<boolean> {
    const log = d.log.child({ job_id: `llm-${job.id}`, chat_id: job.chatId });
    const started = performance.now();
    let fin: LlmFinish;
    try {
      const p = await d.planner.plan(job.text, run.signal);
      const outcome = outcomeOf(p.intent);
      d.observe?.called(outcome, p.latencyMs, p.tokensIn, p.tokensOut);
      log.info(
        { provider: p.provider, outcome, latency_ms: p.latencyMs, tokens_in: p.tokensIn, tokens_out: p.tokensOut, tool: toolOf(p.intent) },
        "text planned",
      );
      fin = {
        status: "done",
        intent: p.intent,
        outcome,
        provider: p.provider,
        latencyMs: p.latencyMs,
        tokensIn: p.tokensIn,
        tokensOut: p.tokensOut,
      };
    } catch (err) {
      const ms = Math.round(performance.now() - started);
      const failure = err instanceof LlmError ? err.failure : "error";
      const error = err instanceof Error ? err.message : String(err);
      d.observe?.called(failure, ms);
      const retryable = !(err instanceof LlmError) || err.retryable;
      if (run.signal.aborted) {
        await releaseRows(d.pool, LLM, [job.id], run.claimer, { error: "the worker stopped", notBeforeMs: Date.now(), untried: true });
        run.record(job.id, { kind: "wait", untilMs: Date.now() });
        return false;
      }
      if (retryable && job.attempts < d.maxAttempts) {
        const untilMs = Date.now() + backoffMs(d.backoff, job.attempts);
        log.warn(
          { provider: d.planner.provider, failure, latency_ms: ms, attempts: job.attempts, err: error },
          "planner call failed; it retries",
        );
        await releaseRows(d.pool, LLM, [job.id], run.claimer, { error, notBeforeMs: untilMs });
        run.record(job.id, { kind: "retry", error, untilMs });
        return false;
      }
      log.warn({ provider: d.planner.provider, failure, attempts: job.attempts, err: error }, "planner gave up on a text");
      fin = {
        status: "dead",
        intent: { kind: "unknown", reason: "unavailable" },
        outcome: failure,
        provider: d.planner.provider,
        latencyMs: ms,
        error,
      };
    }
    const f = await finishLlmJob(d.pool, job.id, run.claimer, fin);
    if (!f.fenced) {
      log.warn("lease lost before finishing; another worker owns this text now");
      return false;
    }
    run.record(job.id, fin.status === "dead" ? { kind: "dead", error: fin.error ?? "gave up" } : { kind: "done" });
    if (f.woke) await wakeIntent(d.queues, f.woke, log);
    return true;
  }

  return async function drainChat(chatId: number, run: DrainRun): Promise<void> {
    await claimLoop(run, {
      claimable: () => chatClaimable(d.pool, LLM, chatId),
      claim: async () => {
        const job = await claimLlmJob(d.pool, chatId, run.claimer, d.leaseSec);
        return job ? [job] : [];
      },
      handle: ([job]) => processJob(job!, run),
    });
  };
}

const toolOf = (i: { kind: string; tool?: string }): string | undefined => i.tool;
