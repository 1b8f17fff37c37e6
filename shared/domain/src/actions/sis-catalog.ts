import { countOf, ITEMS } from "../format/plural.ts";
import { lookId, LOOKS, productId } from "./common.ts";
import { sisApply, sisPreview, type SisCommitCtx, type SisCtx, type SisView } from "./sis-change.ts";

// The catalogue actions against SIS's Actions API: discounts/set, discounts/clear,
// products/publish, looks/publish. The body is the reference's (§6), decimals as strings; the
// scope is what the owner named, and SIS decides which rows it changes.

type DiscountScope = { product_ids?: string[] | undefined; only_active?: boolean | undefined; reason?: string | undefined };
type SetInput = DiscountScope & { discount_percent: number; stock_lte?: number | undefined };
type ClearInput = DiscountScope & { clear_compare_at: boolean };

// Ids as the bot names them everywhere ("12" → PRD-00012, "7" → LK-007).
const productIds = (ids: readonly string[]): string[] => ids.map(productId);

const scopeBody = (i: DiscountScope & { stock_lte?: number | undefined }) => ({
  ...(i.product_ids ? { product_ids: productIds(i.product_ids) } : {}),
  ...(i.only_active !== undefined ? { only_active: i.only_active } : {}),
  ...(i.stock_lte !== undefined ? { stock_lte: i.stock_lte } : {}),
  ...(i.reason !== undefined ? { reason: i.reason } : {}),
});

function scopeLine(i: DiscountScope & { stock_lte?: number | undefined }): string {
  if (i.product_ids) return `Товары: ${productIds(i.product_ids.slice(0, 10)).join(", ")}${i.product_ids.length > 10 ? "…" : ""}`;
  const parts = ["весь каталог"];
  if (i.stock_lte !== undefined) parts.push(`остаток ≤ ${i.stock_lte}`);
  if (i.only_active === true) parts.push("только опубликованные");
  return `Товары: ${parts.join(", ")}`;
}

const inputOf = (i: DiscountScope & Record<string, unknown>) => {
  const { upstream: _u, ...rest } = i;
  return rest;
};

const setView = (pct: number): SisView => ({
  title: `Скидка ${pct} %`,
  endpoint: "discounts/set",
  unit: "товаров",
  noopReason: "SIS: у этих товаров уже такая скидка или под условие не попал ни один",
  value: "money",
});

export const sisDiscountsSetBranch = {
  preview: (i: SetInput, ctx: SisCtx) =>
    sisPreview(
      ctx,
      setView(i.discount_percent),
      { actor_tg_id: ctx.actorId, discount_percent: String(i.discount_percent), ...scopeBody(i) },
      {
        summary: (d) => [scopeLine(i), `Товаров, где появится скидка: ${d.affected_count}`],
        commit: inputOf(i),
      },
    ),
  commit: (i: SetInput, ctx: SisCommitCtx) =>
    sisApply(
      ctx,
      setView(i.discount_percent),
      { actor_tg_id: ctx.actorId, discount_percent: String(i.discount_percent), ...scopeBody(i) },
      (d) => `SIS поставил скидку ${i.discount_percent} %; товаров: ${d.affected_count}`,
    ),
};

const CLEAR_VIEW: SisView = {
  title: "Снятие скидок",
  endpoint: "discounts/clear",
  unit: "товаров",
  noopReason: "SIS: у этих товаров нет скидок",
  value: "money",
};

export const sisDiscountsClearBranch = {
  preview: (i: ClearInput, ctx: SisCtx) =>
    sisPreview(
      ctx,
      CLEAR_VIEW,
      { actor_tg_id: ctx.actorId, clear_compare_at: i.clear_compare_at, ...scopeBody(i) },
      {
        summary: (d) => [
          scopeLine(i),
          `Товаров, где снимется скидка: ${d.affected_count}`,
          i.clear_compare_at ? "Цена вернётся к зачёркнутой" : "Цена останется, зачёркнутая уберётся",
        ],
        commit: inputOf(i),
      },
    ),
  commit: (i: ClearInput, ctx: SisCommitCtx) =>
    sisApply(
      ctx,
      CLEAR_VIEW,
      { actor_tg_id: ctx.actorId, clear_compare_at: i.clear_compare_at, ...scopeBody(i) },
      (d) => `SIS снял скидки; товаров: ${d.affected_count}`,
    ),
};

type ProductsInput = { product_ids?: string[] | undefined; status_from?: boolean | undefined; target_status: boolean; reason: string };
const STATUS = (on: boolean): string => (on ? "ACTIVE" : "ARCHIVED");
const productState = (v: unknown): string => (v === "ACTIVE" ? "в продаже" : v === "ARCHIVED" ? "скрыт" : String(v));

const productsView = (on: boolean): SisView => ({
  title: on ? "Публикация товаров" : "Скрытие товаров",
  endpoint: "products/publish",
  unit: "товаров",
  noopReason: on ? "SIS: всё уже в продаже" : "SIS: всё уже скрыто",
  value: productState,
});

const productsBody = (i: ProductsInput, actor: number) => ({
  actor_tg_id: actor,
  target_status: STATUS(i.target_status),
  ...(i.product_ids ? { product_ids: productIds(i.product_ids) } : {}),
  ...(i.status_from !== undefined ? { status_from: STATUS(i.status_from) } : {}),
  reason: i.reason,
});

export const sisProductsPublishBranch = {
  preview: (i: ProductsInput, ctx: SisCtx) =>
    sisPreview(ctx, productsView(i.target_status), productsBody(i, ctx.actorId), {
      summary: (d) => [
        i.product_ids
          ? `Товары: ${productIds(i.product_ids.slice(0, 10)).join(", ")}`
          : `Все товары, которые сейчас ${i.status_from ? "в продаже" : "скрыты"}`,
        `Изменится: ${countOf(d.affected_count, ITEMS)}`,
      ],
      // Re-parsed on commit by the same schema: statuses go back in their wire spelling.
      commit: {
        ...(i.product_ids ? { product_ids: i.product_ids } : {}),
        ...(i.status_from !== undefined ? { status_from: STATUS(i.status_from) } : {}),
        target_status: STATUS(i.target_status),
        reason: i.reason,
      },
    }),
  commit: (i: ProductsInput, ctx: SisCommitCtx) =>
    sisApply(
      ctx,
      productsView(i.target_status),
      productsBody(i, ctx.actorId),
      (d) => `SIS: ${i.target_status ? "опубликовано" : "скрыто"} ${countOf(d.affected_count, ITEMS)}`,
    ),
};

type LooksInput = { look_ids?: string[] | undefined; is_active_from?: boolean | undefined; target_active: boolean; reason: string };
const lookState = (v: unknown): string =>
  v === "active" || v === true ? "показан" : v === "inactive" || v === false ? "скрыт" : String(v);

const looksView = (on: boolean): SisView => ({
  title: on ? "Показ луков" : "Скрытие луков",
  endpoint: "looks/publish",
  unit: "луков",
  noopReason: on ? "SIS: все уже показаны" : "SIS: все уже скрыты",
  value: lookState,
});

const looksBody = (i: LooksInput, actor: number) => ({
  actor_tg_id: actor,
  target_active: i.target_active,
  ...(i.look_ids ? { look_ids: i.look_ids.map(lookId) } : {}),
  ...(i.is_active_from !== undefined ? { is_active_from: i.is_active_from } : {}),
  reason: i.reason,
});

export const sisLooksPublishBranch = {
  preview: (i: LooksInput, ctx: SisCtx) =>
    sisPreview(ctx, looksView(i.target_active), looksBody(i, ctx.actorId), {
      summary: (d) => [
        i.look_ids
          ? `Луки: ${i.look_ids.slice(0, 10).map(lookId).join(", ")}`
          : `Все луки, которые сейчас ${i.is_active_from ? "показаны" : "скрыты"}`,
        `Изменится: ${countOf(d.affected_count, LOOKS)}`,
      ],
      commit: {
        ...(i.look_ids ? { look_ids: i.look_ids } : {}),
        ...(i.is_active_from !== undefined ? { is_active_from: i.is_active_from } : {}),
        target_active: i.target_active,
        reason: i.reason,
      },
    }),
  commit: (i: LooksInput, ctx: SisCommitCtx) =>
    sisApply(
      ctx,
      looksView(i.target_active),
      looksBody(i, ctx.actorId),
      (d) => `SIS: ${i.target_active ? "показано" : "скрыто"} ${countOf(d.affected_count, LOOKS)}`,
    ),
};
