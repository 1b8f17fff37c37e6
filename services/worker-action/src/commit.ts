import type { ClaimedAction } from "@ownerbot/core/db";
import { type ActionContext, type ActionError, commitAction, type CommitResult, getAction } from "@ownerbot/domain/actions";

// Runs a claimed action's commit through the provider with its idempotency key: one action tool,
// or a plan's steps in order (each step with its own key, <key>:<step id>, so a retry after a
// crash replays the steps that were done and runs only the rest).

export type Executed =
  { ok: true; title: string; result: CommitResult; replayed: boolean } | { ok: false; title: string; error: ActionError };

type StoredStep = {
  step_id: string;
  kind: "TOOL" | "NOTIFY_TEAM";
  tool: string;
  input: Record<string, unknown>;
  condition: string;
  label: string;
};

function titleOf(a: ClaimedAction): string {
  const t = a.preview.title;
  return typeof t === "string" ? t : (getAction(a.tool)?.title ?? a.tool);
}

export async function execute(a: ClaimedAction, ctx: ActionContext): Promise<Executed> {
  const title = titleOf(a);
  if (a.tool !== "plan") {
    const o = await commitAction(a.tool, a.payload.input, ctx, a.idempotencyKey, a.force);
    return o.ok ? { ok: true, title, result: o.result, replayed: o.replayed } : { ok: false, title, error: o.error };
  }
  return executePlan(a, ctx, title);
}

async function executePlan(a: ClaimedAction, ctx: ActionContext, title: string): Promise<Executed> {
  const steps = (a.payload.steps ?? []) as StoredStep[];
  const lines: string[] = [];
  const deliveries: NonNullable<CommitResult["deliveries"]> = [];
  let mainAffected: number | undefined;
  let replayed = false;
  for (const [i, s] of steps.entries()) {
    const n = `${i + 1}. ${s.label}`;
    if (s.kind === "NOTIFY_TEAM") {
      if (a.execMode === "main") {
        lines.push(`${n}: пропущено — выбран только основной шаг`);
        continue;
      }
      // The follow-up tells the team about a change: no change, no message.
      if (s.condition === "commit_succeeded" && !(mainAffected !== undefined && mainAffected > 0)) {
        lines.push(`${n}: не отправлено — основной шаг ничего не изменил`);
        continue;
      }
    }
    const o = await commitAction(s.tool, s.input, ctx, `${a.idempotencyKey}:${s.step_id}`, s.kind === "TOOL" && a.force);
    if (!o.ok) {
      // A retryable failure retries the whole plan later; done steps then replay from the ledger.
      if (o.error.retryable || s.kind === "TOOL") return { ok: false, title, error: o.error };
      lines.push(`${n}: не выполнено — ${o.error.message}`);
      continue;
    }
    replayed ||= o.replayed;
    if (s.kind === "TOOL") mainAffected = o.result.affected;
    lines.push(`${n}: ✅ ${o.result.lines[0] ?? "готово"}`, ...o.result.lines.slice(1).map((l) => `   ${l}`));
    deliveries.push(...(o.result.deliveries ?? []));
  }
  return { ok: true, title, result: { lines, affected: mainAffected ?? 0, ...(deliveries.length > 0 ? { deliveries } : {}) }, replayed };
}
