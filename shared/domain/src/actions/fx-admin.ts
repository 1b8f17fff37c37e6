import { sql } from "kysely";
import { z } from "zod";
import { AppError } from "@ownerbot/core/errors";
import { formatDayShort } from "../format/dates.ts";
import { countOf, ITEMS } from "../format/plural.ts";
import { DEMO_SOURCE, money, pctChange } from "./common.ts";
import { FX_DEFAULTS, fxSettings, lastFxJob, type FxSettings } from "./fx-data.ts";
import { enumParam } from "../tools/params.ts";
import { sisRollbackBranch, sisSettingsBranch } from "./sis-fx.ts";
import { defineAction, type ActionPreview, type ChangeRow } from "./types.ts";

// sis_fx_rollback (reference §3 #20): undo the latest FX reprice, product by product, where the
// price is still the one the reprice set. sis_fx_settings_update (#23): the reprice settings as a
// before → after diff; the reference's FX panel saved them with no confirm at all (§2.2).

type Item = { product_id: string; title: string; old_price: number; new_price: number; price: number };

async function jobItems(db: Parameters<typeof lastFxJob>[0], jobId: number, lock: boolean): Promise<Item[]> {
  const r = await sql<Item>`SELECT i.product_id, p.title, i.old_price, i.new_price, p.price
    FROM demo_fx_job_items i JOIN demo_products p ON p.product_id = i.product_id
    WHERE i.job_id = ${jobId} ORDER BY i.product_id ${lock ? sql`FOR UPDATE OF p` : sql``}`.execute(db);
  return r.rows;
}

export const sisFxRollback = defineAction({
  name: "sis_fx_rollback",
  title: "Откат пересчёта цен",
  description: "Undo the latest FX reprice: restore each product's price from before it, where the reprice's price is still in place.",
  input: z.object({ job_id: z.coerce.number().int().positive().optional(), upstream: enumParam(["demo", "sis"] as const).optional() }),
  async preview(i, ctx): Promise<ActionPreview> {
    const job = await lastFxJob(ctx.db);
    const base = {
      title: "Откат пересчёта цен",
      summary: [],
      rows: [],
      affected: 0,
      unit: "товаров",
      warnings: [],
      source: DEMO_SOURCE("demo_fx_jobs"),
      force: "none" as const,
      commit: {},
    };
    if (!job) return { ...base, noop: true, noopReason: "нет пересчёта по курсу, который можно откатить" };
    const items = await jobItems(ctx.db, job.id, false);
    const back = items.filter((it) => Math.abs(it.price - it.new_price) < 0.005);
    const moved = items.length - back.length;
    const rows: ChangeRow[] = back.slice(0, 10).map((it) => ({
      id: it.product_id,
      title: it.title,
      before: money(it.price, ctx.shop),
      after: `${money(it.old_price, ctx.shop)}${pctChange(it.price, it.old_price, ctx.shop)}`,
    }));
    return {
      ...base,
      summary: [
        `Пересчёт от ${formatDayShort(job.rate_day)} по курсу ${job.input_currency} ${job.rate}`,
        `Товаров, где вернётся прежняя цена: ${back.length}`,
      ],
      rows,
      affected: back.length,
      warnings:
        moved > 0 ? [{ code: "PRICE_CHANGED_SINCE", message: `${countOf(moved, ITEMS)}: цена менялась после пересчёта — не трогаю` }] : [],
      noop: back.length === 0,
      noopReason: "все цены того пересчёта уже изменены после него",
      commit: { job_id: job.id },
    };
  },
  async commit(i, ctx) {
    const job = await lastFxJob(ctx.trx, true);
    if (!job || (i.job_id !== undefined && job.id !== i.job_id))
      throw new AppError("ACTION_CONFLICT", "Этот пересчёт уже откатили или после него был новый — запустите откат снова.");
    const items = (await jobItems(ctx.trx, job.id, true)).filter((it) => Math.abs(it.price - it.new_price) < 0.005);
    if (items.length > 0) {
      await sql`UPDATE demo_products p SET price = v.old, updated_at = now()
        FROM jsonb_to_recordset(${JSON.stringify(items.map((it) => ({ id: it.product_id, old: it.old_price })))}::jsonb) AS v(id text, old numeric)
        WHERE p.product_id = v.id`.execute(ctx.trx);
    }
    await sql`UPDATE demo_fx_jobs SET rolled_back_at = now() WHERE id = ${job.id}`.execute(ctx.trx);
    return { lines: [`Прежняя цена возвращена; товаров: ${items.length}`], affected: items.length, data: { job_id: job.id } };
  },
  sis: sisRollbackBranch,
});

const KEYS = [
  "reprice_schedule_mode",
  "reprice_schedule_interval_hours",
  "reprice_schedule_notify_on_success",
  "reprice_schedule_notify_on_failure",
  "min_rate_delta_abs",
  "min_rate_delta_percent",
  "min_apply_cooldown_hours",
  "provider",
] as const;

const bool = z.preprocess((v) => (v === "true" || v === "да" ? true : v === "false" || v === "нет" ? false : v), z.boolean());
const updatesSchema = z
  .object({
    reprice_schedule_mode: z.preprocess((v) => (typeof v === "string" ? v.toLowerCase() : v), z.enum(["manual", "daily", "interval"])),
    reprice_schedule_interval_hours: z.coerce.number().int().min(1).max(168),
    reprice_schedule_notify_on_success: bool,
    reprice_schedule_notify_on_failure: bool,
    min_rate_delta_abs: z.union([z.coerce.number().min(0), z.null()]),
    min_rate_delta_percent: z.coerce.number().min(0).max(100),
    min_apply_cooldown_hours: z.coerce.number().int().min(0).max(168),
    provider: z.string().trim().min(1).max(40),
  })
  .partial()
  .strict()
  .refine((u) => Object.keys(u).length > 0, { message: "нужен хотя бы один параметр" });

const LABELS: Record<(typeof KEYS)[number], string> = {
  reprice_schedule_mode: "Режим пересчёта",
  reprice_schedule_interval_hours: "Интервал, ч",
  reprice_schedule_notify_on_success: "Уведомлять об успехе",
  reprice_schedule_notify_on_failure: "Уведомлять об ошибке",
  min_rate_delta_abs: "Мин. изменение курса",
  min_rate_delta_percent: "Мин. изменение курса, %",
  min_apply_cooldown_hours: "Пауза между пересчётами, ч",
  provider: "Источник курсов",
};

function show(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "boolean") return v ? "да" : "нет";
  if (typeof v === "string" || typeof v === "number") return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

function diff(current: FxSettings, updates: Partial<FxSettings>): ChangeRow[] {
  return KEYS.filter((k) => k in updates && show(updates[k]) !== show(current[k])).map((k) => ({
    id: k,
    title: LABELS[k],
    before: show(current[k]),
    after: show(updates[k]),
  }));
}

export const sisFxSettingsUpdate = defineAction({
  name: "sis_fx_settings_update",
  title: "Настройки пересчёта по курсу",
  description: `Change the FX reprice settings (${KEYS.join(", ")}), shown as a before → after diff.`,
  input: z.object({ updates: updatesSchema, upstream: enumParam(["demo", "sis"] as const).optional() }),
  async preview(i, ctx): Promise<ActionPreview> {
    const current = await fxSettings(ctx.db);
    const rows = diff(current, i.updates);
    return {
      title: "Настройки пересчёта по курсу",
      summary: [`Меняется параметров: ${rows.length}`],
      rows,
      affected: rows.length,
      unit: "параметров",
      warnings: [],
      source: DEMO_SOURCE("demo_fx_settings"),
      noop: rows.length === 0,
      noopReason: "настройки уже такие",
      force: "none",
      commit: { updates: i.updates },
    };
  },
  async commit(i, ctx) {
    const before = await fxSettings(ctx.trx);
    const rows = diff(before, i.updates);
    const next = { ...FX_DEFAULTS, ...before, ...i.updates };
    await sql`INSERT INTO demo_fx_settings (id, reprice_schedule_mode, reprice_schedule_interval_hours, reprice_schedule_notify_on_success,
        reprice_schedule_notify_on_failure, min_rate_delta_abs, min_rate_delta_percent, min_apply_cooldown_hours, provider, input_currency, updated_at)
      VALUES (1, ${next.reprice_schedule_mode}, ${next.reprice_schedule_interval_hours}, ${next.reprice_schedule_notify_on_success},
        ${next.reprice_schedule_notify_on_failure}, ${next.min_rate_delta_abs}, ${next.min_rate_delta_percent}, ${next.min_apply_cooldown_hours},
        ${next.provider}, ${next.input_currency}, now())
      ON CONFLICT (id) DO UPDATE SET reprice_schedule_mode = excluded.reprice_schedule_mode,
        reprice_schedule_interval_hours = excluded.reprice_schedule_interval_hours,
        reprice_schedule_notify_on_success = excluded.reprice_schedule_notify_on_success,
        reprice_schedule_notify_on_failure = excluded.reprice_schedule_notify_on_failure,
        min_rate_delta_abs = excluded.min_rate_delta_abs, min_rate_delta_percent = excluded.min_rate_delta_percent,
        min_apply_cooldown_hours = excluded.min_apply_cooldown_hours, provider = excluded.provider, updated_at = now()`.execute(ctx.trx);
    return { lines: ["Настройки пересчёта сохранены"], affected: rows.length, rows };
  },
  sis: sisSettingsBranch,
});
