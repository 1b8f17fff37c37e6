import { isAppError, AppError } from "@ownerbot/core/errors";
import type { SisActionAnswer, SisActions } from "../sis/actions-client.ts";
import { changeData, dataOf, type ChangeData } from "../sis/action-wire.ts";
import type { ShopSettings } from "../contract.ts";
import { money } from "./common.ts";
import type { ActionContext, ActionPreview, ChangeRow, CommitResult } from "./types.ts";

// What every SIS-backed action shares: the call (preview, or apply with the action's idempotency
// key), the validated answer (affected_count, the changed rows, the anomaly block) and how it reads
// for the owner. SIS decides: its rows, its counts, its force requirement (a FORCE_REQUIRED or
// MASS_CHANGE_OVER_* warning, or an anomaly over the threshold, means only ⚠️ applies).

export type SisCtx = ActionContext & { sisActions: SisActions };
export type SisCommitCtx = SisCtx & { force: boolean; idempotencyKey: string };

export type SisView = {
  /** Russian title of the preview. */
  title: string;
  /** The SIS endpoint, e.g. "discounts/set" (shown as the source). */
  endpoint: string;
  unit: string;
  noopReason: string;
  /** How a before/after value reads: prices as money, states in words. */
  value: "money" | ((v: unknown) => string);
};

const num = (v: unknown): number | null => {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

function show(v: unknown, how: SisView["value"], shop: ShopSettings): string {
  if (how !== "money") return how(v);
  const n = num(v);
  return n === null ? "—" : money(n, shop);
}

export function rowsOf(d: ChangeData, view: SisView, shop: ShopSettings): ChangeRow[] {
  return (d.changes ?? []).slice(0, 10).flatMap((c) => {
    const id = c.product_id ?? c.look_id ?? c.key;
    return id === undefined ? [] : [{ id, title: id, before: show(c.before, view.value, shop), after: show(c.after, view.value, shop) }];
  });
}

export const needsForce = (a: SisActionAnswer, d: ChangeData): boolean =>
  (d.anomaly?.over_threshold_count ?? 0) > 0 ||
  a.warnings.some(
    (w) => w.code === "FORCE_REQUIRED" || w.code.startsWith("MASS_CHANGE_OVER") || /force required for apply/i.test(w.message),
  );

/** A SIS dry run as a preview; `commit` is what the confirm sends (pinned to SIS). */
export async function sisPreview(
  ctx: SisCtx,
  view: SisView,
  body: Record<string, unknown>,
  o: { summary: (d: ChangeData) => string[]; commit: Record<string, unknown> },
): Promise<ActionPreview> {
  const a = await ctx.sisActions.preview(view.endpoint, body, ctx.correlationId);
  return previewOf(a, dataOf(changeData, a, `${view.endpoint}/preview`, "preview"), ctx, view, o);
}

export function previewOf(
  a: SisActionAnswer,
  d: ChangeData,
  ctx: ActionContext,
  view: SisView,
  o: { summary: (d: ChangeData) => string[]; commit: Record<string, unknown> },
): ActionPreview {
  const force = needsForce(a, d);
  const noop =
    d.affected_count === 0 || d.would_apply === false || ["skipped", "noop", "no_change", "already_rolled_back"].includes(a.status);
  return {
    title: view.title,
    summary: o.summary(d),
    rows: rowsOf(d, view, ctx.shop),
    affected: d.affected_count,
    unit: view.unit,
    warnings: a.warnings,
    source: `SIS (${view.endpoint})`,
    noop,
    noopReason: d.reason !== undefined && noop ? `SIS: ${d.reason}` : view.noopReason,
    force: force ? "required" : "none",
    ...(force ? { forceNote: "SIS требует подтверждения: применить можно только кнопкой ⚠️." } : {}),
    commit: { ...o.commit, upstream: "sis" },
  };
}

/**
 * The apply, with the action's key (a retry sends the same one, SIS answers it with its first
 * result). A body we cannot read after an apply is reported as an unknown outcome, never as
 * "nothing changed": SIS may have acted.
 */
export async function sisApply(
  ctx: SisCommitCtx,
  view: SisView,
  body: Record<string, unknown>,
  line: (d: ChangeData) => string,
  o: { patch?: boolean } = {},
): Promise<CommitResult> {
  let a: SisActionAnswer;
  const call = { idempotencyKey: ctx.idempotencyKey, correlationId: ctx.correlationId };
  try {
    a = o.patch
      ? await ctx.sisActions.patchFxSettings(body, call)
      : await ctx.sisActions.apply(view.endpoint, ctx.force ? { ...body, force: true } : body, call);
  } catch (e) {
    const reason = isAppError(e) ? e.details?.reason : undefined;
    if (reason === "schema" || reason === "json")
      throw new AppError(
        "UPSTREAM_UNAVAILABLE",
        `SIS ответил на ${view.endpoint}/apply в неизвестном формате: применилось ли изменение — неизвестно. Проверьте в SIS, прежде чем запускать снова.`,
        { details: { reason, outcome: "unknown" } },
      );
    throw e;
  }
  const d = dataOf(changeData, a, `${view.endpoint}/apply`, "apply");
  return {
    lines: [line(d)],
    affected: d.affected_count,
    rows: rowsOf(d, view, ctx.shop),
    data: {
      sis_status: a.status,
      ...(a.correlationId ? { sis_correlation_id: a.correlationId } : {}),
      ...(d.job_id !== undefined ? { job_id: d.job_id } : {}),
    },
  };
}
