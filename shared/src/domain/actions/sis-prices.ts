import { AppError } from "../../errors.ts";
import type { SisActionAnswer } from "../../sis/actions-client.ts";
import { money } from "./common.ts";
import type { ActionContext, ActionPreview, ChangeRow, CommitResult } from "./types.ts";

// sis_prices_bump against SIS (POST /prices/bump/preview and /apply): SIS computes the new prices
// and answers the rows it would change; decimals go as strings. Force is SIS's decision: a preview
// warning FORCE_REQUIRED (or "force required for apply") means only ⚠️ applies it.

export type BumpWire = { bump_percent: number; bump_additive: number; rounding_mode: string; rounding_step?: number | undefined };

export function bumpBody(i: BumpWire, ctx: Pick<ActionContext, "actorId">, force: boolean): Record<string, unknown> {
  return {
    actor_tg_id: ctx.actorId,
    bump_percent: String(i.bump_percent),
    bump_additive: String(i.bump_additive),
    rounding_mode: i.rounding_mode,
    ...(i.rounding_step !== undefined ? { rounding_step: String(i.rounding_step) } : {}),
    ...(force ? { force: true } : {}),
  };
}

const num = (v: unknown): number | null => {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/** SIS's affected_count; an answer without one is not an answer we can show. */
function affectedOf(a: SisActionAnswer): number {
  const n = num(a.data.affected_count);
  if (n === null || n < 0 || !Number.isInteger(n))
    throw new AppError("UPSTREAM_UNAVAILABLE", "SIS ответил без числа изменённых товаров — ничего не показываю.", {
      details: { reason: "schema" },
    });
  return n;
}

function rowsOf(a: SisActionAnswer, ctx: ActionContext): ChangeRow[] {
  const raw = Array.isArray(a.data.changes) ? (a.data.changes as unknown[]) : [];
  const rows: ChangeRow[] = [];
  for (const c of raw.slice(0, 10)) {
    if (typeof c !== "object" || c === null) continue;
    const r = c as Record<string, unknown>;
    const before = num(r.before);
    const after = num(r.after);
    if (typeof r.product_id !== "string" || before === null || after === null) continue;
    rows.push({ id: r.product_id, title: r.product_id, before: money(before, ctx.shop), after: money(after, ctx.shop) });
  }
  return rows;
}

const forceRequired = (a: SisActionAnswer): boolean =>
  a.warnings.some(
    (w) => w.code === "FORCE_REQUIRED" || w.code.startsWith("MASS_CHANGE_OVER") || /force required for apply/i.test(w.message),
  );

export function sisBumpPreview(i: BumpWire & Record<string, unknown>, a: SisActionAnswer, ctx: ActionContext): ActionPreview {
  const affected = affectedOf(a);
  const force = forceRequired(a);
  const sign = i.bump_percent > 0 ? "+" : "";
  return {
    title: "Цены всех товаров",
    summary: [
      `Изменение: ${sign}${i.bump_percent} %${i.bump_additive !== 0 ? `, ${money(i.bump_additive, ctx.shop)}` : ""}, округление ${i.rounding_mode}`,
      `Товаров изменится: ${affected}`,
    ],
    rows: rowsOf(a, ctx),
    affected,
    unit: "товаров",
    warnings: a.warnings,
    source: "SIS (prices/bump)",
    noop: affected === 0 || a.data.would_apply === false,
    noopReason: "SIS: с таким округлением цены не меняются",
    force: force ? "required" : "none",
    ...(force ? { forceNote: "SIS требует подтверждения аномалии: применить можно только кнопкой ⚠️." } : {}),
    commit: { ...i, upstream: "sis" },
  };
}

export function sisBumpResult(a: SisActionAnswer, ctx: ActionContext): CommitResult {
  const affected = affectedOf(a);
  return {
    lines: [`SIS изменил цены; товаров: ${affected}`],
    affected,
    rows: rowsOf(a, ctx),
    data: { sis_status: a.status, ...(a.correlationId ? { sis_correlation_id: a.correlationId } : {}) },
  };
}
