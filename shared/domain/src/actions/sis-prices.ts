import { money } from "./common.ts";
import { sisApply, sisPreview, type SisCommitCtx, type SisCtx, type SisView } from "./sis-change.ts";
import type { ActionContext } from "./types.ts";

// sis_prices_bump against SIS (POST /prices/bump/preview and /apply): SIS computes the new prices
// and answers the rows it would change; decimals go as strings. Force is SIS's decision: a preview
// warning FORCE_REQUIRED (or "force required for apply") means only ⚠️ applies it.

export type BumpWire = { bump_percent: number; bump_additive: number; rounding_mode: string; rounding_step?: number | undefined };

export function bumpBody(i: BumpWire, ctx: Pick<ActionContext, "actorId">): Record<string, unknown> {
  return {
    actor_tg_id: ctx.actorId,
    bump_percent: String(i.bump_percent),
    bump_additive: String(i.bump_additive),
    rounding_mode: i.rounding_mode,
    ...(i.rounding_step !== undefined ? { rounding_step: String(i.rounding_step) } : {}),
  };
}

const BUMP: SisView = {
  title: "Цены всех товаров",
  endpoint: "prices/bump",
  unit: "товаров",
  noopReason: "SIS: с таким округлением цены не меняются",
  value: "money",
};

export const sisBumpBranch = {
  preview(i: BumpWire & { product_ids?: unknown; upstream?: unknown }, ctx: SisCtx) {
    const { product_ids: _pinned, upstream: _u, ...rest } = i;
    const sign = i.bump_percent > 0 ? "+" : "";
    return sisPreview(ctx, BUMP, bumpBody(i, ctx), {
      summary: (d) => [
        `Изменение: ${sign}${i.bump_percent} %${i.bump_additive !== 0 ? `, ${money(i.bump_additive, ctx.shop)}` : ""}, округление ${i.rounding_mode}`,
        `Товаров изменится: ${d.affected_count}`,
      ],
      commit: rest,
    });
  },
  commit: (i: BumpWire, ctx: SisCommitCtx) =>
    sisApply(ctx, BUMP, bumpBody(i, ctx), (d) => `SIS изменил цены; товаров: ${d.affected_count}`),
};
