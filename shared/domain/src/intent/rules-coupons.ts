import { formatDayShort } from "../format/dates.ts";
import { toolBtn, tpl } from "../ui/keyboard.ts";
import { tool } from "./builders.ts";
import { ALL, findCouponCode, findHours, findPercent, findProductIds, findStockLte } from "./extract.ts";
import { clamp, LIMITS } from "./limits.ts";
import type { Message } from "./message.ts";
import { choose } from "./replies.ts";
import { keys, type Rule } from "./rule.ts";
import { rx, toInt } from "./text.ts";
import type { Intent } from "./types.ts";

// Coupons and discounts from the phrase pack: "сделай купон -10% на сутки" creates a coupon
// (the end is computed from now), "выключи купон CODE" disables it, "поставь скидку 10% на товары
// 12,13" and "убери скидки с товаров 12,13" keep their product ids (reference gaps #2 and #3).

const COUPON = rx("\\bкупон\\p{L}*|\\bпромокод\\p{L}*|\\bcoupons?\\b|\\bpromo ?codes?\\b");
const DISCOUNT = rx("\\bскидк\\p{L}*|\\bdiscounts?\\b");
const DISABLE = rx("\\b(?:выключи|отключи|деактивируй|останови|заблокируй|disable|deactivate|turn off|stop)\\p{L}*");
const CREATE = rx("\\b(?:создай|сделай|заведи|выпусти|сгенерируй|добавь|нужен|нужна|запусти|create|make|add|generate|new)\\p{L}*");
const SET_VERB = rx("\\b(?:поставь|установи|включи|назначь|повесь|примени|set|apply|put)\\p{L}*");
const CLEAR_VERB = rx("\\b(?:убери|убрать|сними|снять|очисти|удали|отмени|выключи|отключи|clear|remove)\\p{L}*");
const MAX_USES = rx(
  "\\b({NUM})\\s*(?:использовани\\p{L}*|раз\\b|uses?\\b|активаци\\p{L}*)|\\bна\\s*({NUM})\\s*(?:человек|покупател|клиент)",
);
const STOCK_WORD = rx("\\bостат\\p{L}*|\\bstock\\b|\\bв наличии");
const ONLY_ACTIVE = rx("\\bактивн\\p{L}*|\\bопубликованн\\p{L}*|\\bactive\\b");

function couponCreate(m: Message): Intent {
  const notes: string[] = [];
  const pct = findPercent(m.norm);
  const hours = findHours(m.norm);
  const code = findCouponCode(m.norm, m.clean);
  const usesM = MAX_USES.exec(m.norm);
  const uses = usesM ? toInt(usesM[1] ?? usesM[2] ?? "") : undefined;
  // What the owner did not say (the percent, the lifetime) is left out: the parameter wizard asks
  // for it (shared/domain/src/actions/wizard.ts) and names the code from the percent it gets.
  const input: Record<string, unknown> = {};
  if (pct) {
    const percent = clamp(Math.round(Math.abs(pct.value)), LIMITS.couponPercent, "Скидка по купону, %", notes);
    input.code = code ?? `SALE${percent}-${formatDayShort(m.today).replace(".", "")}`;
    input.percent_off = percent;
  } else if (code) input.code = code;
  if (hours !== undefined) {
    const h = clamp(hours, LIMITS.couponHours, "Срок купона, ч", notes);
    input.ends_at = new Date(m.ctx.now.getTime() + h * 3_600_000).toISOString();
  }
  if (uses !== undefined && uses >= 1) input.max_uses = uses;
  return tool("create_coupon", input, notes);
}

function coupons(m: Message): Intent | undefined {
  const coupon = m.has(COUPON);
  const discount = m.has(DISCOUNT);
  if (!coupon && !discount) return undefined;
  if (coupon && m.has(DISABLE)) {
    const code = findCouponCode(m.norm, m.clean);
    if (code) return tool("create_coupon", { code, active: false });
    return choose("🎟 Какой купон выключить? Напишите «выключи купон КОД».", [toolBtn("📋 Активные купоны", "coupons_status", {})], 1);
  }
  const ids = findProductIds(m.norm);
  const stockScope = m.has(STOCK_WORD) ? findStockLte(m.norm) : undefined;
  if (discount && m.has(CLEAR_VERB)) {
    if (ids.length > 0) return tool("sis_discounts_clear", { product_ids: ids });
    if (m.has(ALL)) return tool("sis_discounts_clear", {});
    return choose(
      "🧹 С каких товаров убрать скидки?",
      [toolBtn("Со всех товаров", "sis_discounts_clear", {}), tpl("✍️ Выбрать товары", "DSC_CLEAR_IDS")],
      2,
    );
  }
  const createVerb = m.has(CREATE);
  if (discount && !coupon && (ids.length > 0 || stockScope || m.has(SET_VERB))) return discountSet(m, ids, stockScope);
  if (coupon && (createVerb || findPercent(m.norm))) return couponCreate(m);
  if (discount && createVerb) return couponCreate(m);
  // «скидка 15% на 48 часов»: a percent for a while, on no products, is a coupon (phrase pack 30).
  if (discount && !coupon && ids.length === 0 && findPercent(m.norm) && findHours(m.norm) !== undefined) return couponCreate(m);
  return undefined;
}

function discountSet(m: Message, ids: string[], stock: { value: number; exclusive: boolean } | undefined): Intent {
  const notes: string[] = [];
  const scope: Record<string, unknown> = {};
  if (ids.length > 0) scope.product_ids = ids;
  else if (stock) scope.stock_lte = clamp(stock.exclusive ? stock.value - 1 : stock.value, LIMITS.stockLte, "Порог остатка", notes);
  else if (m.has(ALL)) scope.only_active = true;
  else {
    return choose("🏷 На какие товары поставить скидку?", [tpl("✍️ По списку id", "DSC_SET_IDS"), tpl("📦 По остатку", "DSC_SET_STOCK")], 2);
  }
  if (ids.length === 0 && m.has(ONLY_ACTIVE)) scope.only_active = true;
  const pct = findPercent(m.norm);
  // No percent: the parameter wizard asks for it.
  if (!pct) return tool("sis_discounts_set", scope);
  const percent = clamp(Math.round(Math.abs(pct.value)), LIMITS.discountPercent, "Скидка, %", notes);
  return tool("sis_discounts_set", { ...scope, discount_percent: percent }, notes);
}

export const COUPON_RULE: Rule = { id: "coupons", keys: keys("купо пром coup prom скид disc"), run: coupons };
