import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "@ownerbot/core/db";
import type { ToolWarning } from "../contract.ts";
import { countOf, ITEMS, type PluralForms } from "../format/plural.ts";
import { boolParam, enumParam } from "../tools/params.ts";
import { DEMO_SOURCE, idsParam, lookId, LOOKS, productId, requireForce } from "./common.ts";
import { sisLooksPublishBranch, sisProductsPublishBranch } from "./sis-catalog.ts";
import { defineAction, isMassChange, MASS_CHANGE_LIMIT, type ActionPreview, type ForceOffer } from "./types.ts";

// sis_products_publish / sis_looks_publish (reference §3 #24–25): show or hide products and looks,
// by ids or "all that are now ACTIVE/ARCHIVED". Only rows that would change are listed; a change
// of more than MASS_CHANGE_LIMIT rows (hiding the whole shop, say) needs ⚠️.

type Row = { id: string; title: string; on: boolean };

const label = (on: boolean, kind: "product" | "look"): string =>
  kind === "product" ? (on ? "в продаже" : "скрыт") : on ? "показан" : "скрыт";

function offer(n: number, total: number, forms: PluralForms): { force: ForceOffer; warnings: ToolWarning[]; forceNote?: string } {
  if (!isMassChange(n, total)) return { force: "none", warnings: [] };
  return {
    force: "required",
    warnings: [{ code: `MASS_CHANGE_OVER_${MASS_CHANGE_LIMIT}`, message: `Массовое изменение: ${countOf(n, forms)} из ${total}` }],
    forceNote: "Применить можно только кнопкой ⚠️.",
  };
}

type Loaded = { rows: Row[]; missing: string[]; total: number };

async function load(
  db: Db,
  kind: "product" | "look",
  ids: readonly string[] | undefined,
  from: boolean | undefined,
  lock: boolean,
): Promise<Loaded> {
  const q =
    kind === "product"
      ? sql<Row>`SELECT product_id AS id, title, published AS on FROM demo_products
          WHERE (${ids ?? null}::text[] IS NULL OR product_id = ANY(${ids ?? null}::text[])) AND (${from ?? null}::boolean IS NULL OR published = ${from ?? null}::boolean)
          ORDER BY product_id ${lock ? sql`FOR UPDATE` : sql``}`
      : sql<Row>`SELECT look_id AS id, title, active AS on FROM demo_looks
          WHERE (${ids ?? null}::text[] IS NULL OR look_id = ANY(${ids ?? null}::text[])) AND (${from ?? null}::boolean IS NULL OR active = ${from ?? null}::boolean)
          ORDER BY look_id ${lock ? sql`FOR UPDATE` : sql``}`;
  const rows = (await q.execute(db)).rows;
  const found = new Set(rows.map((r) => r.id));
  const total =
    kind === "product"
      ? sql<{ n: number }>`SELECT count(*)::int AS n FROM demo_products`
      : sql<{ n: number }>`SELECT count(*)::int AS n FROM demo_looks`;
  return { rows, missing: (ids ?? []).filter((id) => !found.has(id)), total: (await total.execute(db)).rows[0]?.n ?? 0 };
}

function previewOf(kind: "product" | "look", target: boolean, { rows, missing, total }: Loaded, scope: string): ActionPreview {
  const forms = kind === "product" ? ITEMS : LOOKS;
  const change = rows.filter((r) => r.on !== target);
  const o = offer(change.length, total, forms);
  const what = kind === "product" ? (target ? "Публикация товаров" : "Скрытие товаров") : target ? "Показ луков" : "Скрытие луков";
  const warnings = missing.length > 0 ? [{ code: "NOT_FOUND", message: `Не найдены: ${missing.slice(0, 10).join(", ")}` }] : [];
  return {
    title: what,
    summary: [
      scope,
      `Изменится: ${countOf(change.length, forms)}${rows.length > change.length ? ` (уже ${label(target, kind)}: ${rows.length - change.length})` : ""}`,
    ],
    rows: change.slice(0, 10).map((r) => ({ id: r.id, title: r.title, before: label(r.on, kind), after: label(target, kind) })),
    affected: change.length,
    unit: kind === "product" ? "товаров" : "луков",
    warnings: [...warnings, ...o.warnings],
    source: DEMO_SOURCE(kind === "product" ? "demo_products" : "demo_looks"),
    noop: change.length === 0,
    noopReason: rows.length === 0 ? "ничего не найдено" : `всё уже ${label(target, kind)}`,
    force: o.force,
    ...(o.forceNote ? { forceNote: o.forceNote } : {}),
    commit: {},
  };
}

async function apply(trx: Db, kind: "product" | "look", target: boolean, { rows, total }: Loaded, force: boolean): Promise<number> {
  const ids = rows.filter((r) => r.on !== target).map((r) => r.id);
  requireForce(offer(ids.length, total, ITEMS).force, force);
  if (ids.length === 0) return 0;
  if (kind === "product")
    await sql`UPDATE demo_products SET published = ${target}, updated_at = now() WHERE product_id = ANY(${ids}::text[])`.execute(trx);
  else await sql`UPDATE demo_looks SET active = ${target}, updated_at = now() WHERE look_id = ANY(${ids}::text[])`.execute(trx);
  return ids.length;
}

const status = enumParam(["active", "archived"] as const).transform((s) => s === "active");

const productsInput = z
  .object({
    product_ids: idsParam(100_000).optional(),
    status_from: status.optional(),
    target_status: status,
    reason: z.string().trim().max(300).default("ownerbot_template"),
    /** Pinned by a SIS preview. */
    upstream: enumParam(["demo", "sis"] as const).optional(),
  })
  .refine((v) => v.product_ids !== undefined || v.status_from !== undefined, {
    message: "нужны product_ids или status_from",
    path: ["product_ids"],
  });

export const sisProductsPublish = defineAction({
  name: "sis_products_publish",
  title: "Публикация товаров",
  description: "Publish (ACTIVE) or hide (ARCHIVED) products by ids or by their current status; over 20 at once needs force.",
  input: productsInput,
  async preview(i, ctx) {
    const ids = i.product_ids?.map(productId);
    const loaded = await load(ctx.db, "product", ids, i.status_from, false);
    const rows = loaded.rows;
    const scope = ids ? `Товары: ${ids.slice(0, 10).join(", ")}` : `Все товары, которые сейчас ${i.status_from ? "в продаже" : "скрыты"}`;
    const p = previewOf("product", i.target_status, loaded, scope);
    const target = i.target_status ? "ACTIVE" : "ARCHIVED";
    return {
      ...p,
      commit: { product_ids: rows.filter((r) => r.on !== i.target_status).map((r) => r.id), target_status: target, reason: i.reason },
    };
  },
  async commit(i, ctx) {
    const loaded = await load(ctx.trx, "product", i.product_ids?.map(productId), i.status_from, true);
    const n = await apply(ctx.trx, "product", i.target_status, loaded, ctx.force);
    return { lines: [`${i.target_status ? "Опубликовано" : "Скрыто"}: ${countOf(n, ITEMS)}`], affected: n };
  },
  sis: sisProductsPublishBranch,
});

const looksInput = z
  .object({
    look_ids: idsParam(100_000).optional(),
    is_active_from: boolParam().optional(),
    target_active: boolParam(),
    reason: z.string().trim().max(300).default("ownerbot_template"),
    /** Pinned by a SIS preview. */
    upstream: enumParam(["demo", "sis"] as const).optional(),
  })
  .refine((v) => v.look_ids !== undefined || v.is_active_from !== undefined, {
    message: "нужны look_ids или is_active_from",
    path: ["look_ids"],
  });

export const sisLooksPublish = defineAction({
  name: "sis_looks_publish",
  title: "Публикация луков",
  description: "Show or hide looks by ids or by their current state; over 20 at once needs force.",
  input: looksInput,
  async preview(i, ctx) {
    const ids = i.look_ids?.map(lookId);
    const loaded = await load(ctx.db, "look", ids, i.is_active_from, false);
    const rows = loaded.rows;
    const scope = ids ? `Луки: ${ids.slice(0, 10).join(", ")}` : `Все луки, которые сейчас ${i.is_active_from ? "показаны" : "скрыты"}`;
    const p = previewOf("look", i.target_active, loaded, scope);
    return {
      ...p,
      commit: { look_ids: rows.filter((r) => r.on !== i.target_active).map((r) => r.id), target_active: i.target_active, reason: i.reason },
    };
  },
  async commit(i, ctx) {
    const loaded = await load(ctx.trx, "look", i.look_ids?.map(lookId), i.is_active_from, true);
    const n = await apply(ctx.trx, "look", i.target_active, loaded, ctx.force);
    return { lines: [`${i.target_active ? "Показано" : "Скрыто"}: ${countOf(n, LOOKS)}`], affected: n };
  },
  sis: sisLooksPublishBranch,
});
