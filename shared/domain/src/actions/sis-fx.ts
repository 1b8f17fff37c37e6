import { AppError } from "@ownerbot/core/errors";
import { dataOf, fxStatusData, type ChangeData, type FxStatusWire } from "../sis/action-wire.ts";
import { formatNumber, formatPercent } from "../format/numbers.ts";
import { countOf, ITEMS } from "../format/plural.ts";
import type { ShopSettings } from "../contract.ts";
import { sisApply, sisPreview, type SisCommitCtx, type SisCtx, type SisView } from "./sis-change.ts";

// The FX actions against SIS: reprice at a rate snapshot (/reprice/*; "latest" is resolved to SIS's
// current rate_set_id from /fx/status and pinned, so a rate that moves before the confirm makes SIS
// refuse with 422 instead of applying another rate), the scheduled reprice (/fx/preview|apply),
// rollback of the last reprice (/reprice/rollback/*) and the settings (PATCH /fx/settings, shown
// as a diff against /fx/status).

const PRICES = (endpoint: string, title: string, noopReason: string): SisView => ({
  title,
  endpoint,
  unit: "товаров",
  noopReason,
  value: "money",
});

export async function sisFxStatus(ctx: SisCtx): Promise<FxStatusWire> {
  return dataOf(fxStatusData, await ctx.sisActions.fxStatus(ctx.correlationId), "fx/status", "preview");
}

function anomalyLines(d: ChangeData, shop: ShopSettings): string[] {
  const lines: string[] = [];
  if (d.rate !== undefined)
    lines.push(`Курс SIS: ${formatNumber(d.rate, shop.locale, 4)}${d.rate_set_id ? ` (набор ${d.rate_set_id})` : ""}`);
  lines.push(`Товаров изменится: ${d.affected_count}`);
  if (d.anomaly) {
    lines.push(`Наибольшее изменение: ${formatPercent(d.anomaly.max_delta_pct, shop.locale, { sign: false })}`);
    if (d.anomaly.over_threshold_count > 0)
      lines.push(`Аномалий (больше ${d.anomaly.threshold_pct} %): ${countOf(d.anomaly.over_threshold_count, ITEMS)}`);
  }
  return lines;
}

type RepriceInput = {
  rate_set_id: string;
  input_currency: string;
  shop_currency: string;
  markup_percent: number;
  markup_additive: number;
  rounding_mode: string;
  rounding_step?: number | undefined;
  anomaly_threshold_pct: number;
};

const LATEST = new Set(["", "latest", "последний", "@latest"]);
const REPRICE = PRICES("reprice", "Пересчёт цен по курсу", "SIS: цены уже соответствуют курсу");

const repriceBody = (i: RepriceInput, actor: number, rateSetId: string) => ({
  actor_tg_id: actor,
  rate_set_id: rateSetId,
  input_currency: i.input_currency,
  shop_currency: i.shop_currency,
  markup_percent: String(i.markup_percent),
  markup_additive: String(i.markup_additive),
  rounding_mode: i.rounding_mode,
  anomaly_threshold_pct: String(i.anomaly_threshold_pct),
  ...(i.rounding_step !== undefined ? { rounding_step: String(i.rounding_step) } : {}),
});

export const sisRepriceBranch = {
  async preview(i: RepriceInput & { product_ids?: unknown }, ctx: SisCtx) {
    const id = LATEST.has(i.rate_set_id.trim().toLowerCase()) ? (await sisFxStatus(ctx)).rate_set_id : i.rate_set_id;
    const { product_ids: _p, ...rest } = i;
    return sisPreview(ctx, REPRICE, repriceBody(i, ctx.actorId, id), {
      summary: (d) => anomalyLines(d, ctx.shop),
      commit: { ...rest, rate_set_id: id },
    });
  },
  commit: (i: RepriceInput, ctx: SisCommitCtx) =>
    sisApply(ctx, REPRICE, repriceBody(i, ctx.actorId, i.rate_set_id), (d) => `SIS пересчитал цены по курсу; товаров: ${d.affected_count}`),
};

type AutoInput = { force: boolean; refresh_snapshot: boolean };
const AUTO = PRICES("fx", "Пересчёт цен по курсу", "SIS: пересчёт сейчас не нужен");
const autoBody = (i: AutoInput, actor: number) => ({ actor_tg_id: actor, force_apply: i.force, refresh_snapshot: i.refresh_snapshot });

export const sisRepriceAutoBranch = {
  preview: (i: AutoInput & { rate_set_id?: unknown }, ctx: SisCtx) =>
    sisPreview(ctx, AUTO, autoBody(i, ctx.actorId), {
      summary: (d) => [
        ...(d.delta_percent !== undefined
          ? [`Курс изменился на ${formatPercent(d.delta_percent, ctx.shop.locale, { sign: false, digits: 2 })} с последнего пересчёта`]
          : []),
        ...(i.force ? ["Пересчитываю принудительно"] : []),
        ...anomalyLines(d, ctx.shop),
      ],
      commit: { force: i.force, refresh_snapshot: i.refresh_snapshot },
    }),
  commit: (i: AutoInput, ctx: SisCommitCtx) =>
    sisApply(ctx, AUTO, autoBody(i, ctx.actorId), (d) =>
      d.affected_count > 0 ? `SIS пересчитал цены по курсу; товаров: ${d.affected_count}` : "SIS: пересчёт не понадобился",
    ),
};

const ROLLBACK = PRICES("reprice/rollback", "Откат пересчёта цен", "SIS: последний пересчёт уже откачен");

export const sisRollbackBranch = {
  preview: (_i: unknown, ctx: SisCtx) =>
    sisPreview(
      ctx,
      ROLLBACK,
      { actor_tg_id: ctx.actorId },
      {
        summary: (d) => [
          `Пересчёт SIS${d.job_id !== undefined ? ` № ${d.job_id}` : ""}`,
          `Товаров, где вернётся прежняя цена: ${d.affected_count}`,
        ],
        commit: {},
      },
    ),
  commit: (_i: unknown, ctx: SisCommitCtx) =>
    sisApply(ctx, ROLLBACK, { actor_tg_id: ctx.actorId }, (d) => `SIS вернул прежние цены; товаров: ${d.affected_count}`),
};

type SettingsInput = { updates: Record<string, unknown> };
function settingValue(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "boolean") return v ? "да" : "нет";
  if (typeof v === "string" || typeof v === "number") return String(v);
  return JSON.stringify(v);
}
const SETTINGS: SisView = {
  title: "Настройки пересчёта по курсу",
  endpoint: "fx/settings",
  unit: "параметров",
  noopReason: "настройки уже такие",
  value: settingValue,
};

/** Decimals go as strings; integers, booleans and names as they are. */
const DECIMAL_KEYS = new Set(["min_rate_delta_abs", "min_rate_delta_percent"]);
const wireUpdates = (u: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(u).map(([k, v]) => [k, DECIMAL_KEYS.has(k) && typeof v === "number" ? String(v) : v]));

const same = (a: unknown, b: unknown): boolean => settingValue(a) === settingValue(b);

export const sisSettingsBranch = {
  async preview(i: SettingsInput, ctx: SisCtx) {
    const status = await sisFxStatus(ctx);
    if (!status.settings)
      throw new AppError("UPSTREAM_UNAVAILABLE", "SIS не показал текущие настройки пересчёта (fx/status без settings).");
    const current = status.settings;
    const rows = Object.entries(wireUpdates(i.updates))
      .filter(([k, v]) => !same(current[k], v))
      .map(([k, v]) => ({ id: k, title: k, before: settingValue(current[k]), after: settingValue(v) }));
    return {
      title: SETTINGS.title,
      summary: [`Меняется параметров: ${rows.length}`],
      rows,
      affected: rows.length,
      unit: SETTINGS.unit,
      warnings: [],
      source: "SIS (fx/status, fx/settings)",
      noop: rows.length === 0,
      noopReason: SETTINGS.noopReason,
      force: "none" as const,
      commit: { updates: i.updates, upstream: "sis" },
    };
  },
  commit: (i: SettingsInput, ctx: SisCommitCtx) =>
    sisApply(ctx, SETTINGS, { actor_tg_id: ctx.actorId, updates: wireUpdates(i.updates) }, () => "SIS сохранил настройки пересчёта", {
      patch: true,
    }),
};
