import { tool } from "./builders.ts";
import { ALL, findLookIds, findOrderId, findPercent, findProductIds, textAfter, type Percent } from "./extract.ts";
import { clamp, LIMITS, MAX_NOTIFY_CHARS, MAX_REASON_CHARS } from "./limits.ts";
import type { Message } from "./message.ts";
import { needsInput } from "./replies.ts";
import { keys, type Rule } from "./rule.ts";
import { COUPON_RULE } from "./rules-coupons.ts";
import { rx, trimLead } from "./text.ts";
import type { Intent } from "./types.ts";

// The action phrase pack (reference §9), with the reference's coercion bugs fixed: every action
// keeps its parsed parameters, "снизь" is negative, "выключи купон" disables. The action pipeline
// adds dry_run and the confirm step; the router only says which action and with what.

const FLAG_VERB = rx("\\bфлагн|\\bзафлаг|\\bпомет\\p{L}*|\\bотметь|\\bflag\\b|\\bmark\\b|\\b(?:поставь|повесь) флаг|\\bфлаг на");
const REASON = rx("\\b(?:причина|reason|потому что|because|так как)\\b\\s*:?");
const STUCK = rx("\\bзавис|\\bзастрял|\\bstuck\\b");
const LATE = rx("\\bопаздыва|\\bпросроч|\\blate\\b");
const PAYMENT = rx("\\bоплат|\\bpayment|\\bunpaid\\b");
const ORDER_WORD = rx("\\bзаказ|\\border");

function capped(s: string, max: number, notes: string[], what: string): string {
  if (s.length <= max) return s;
  notes.push(`${what} длиннее ${max} символов — обрезал.`);
  return s.slice(0, max);
}

function flag(m: Message): Intent | undefined {
  if (!m.has(FLAG_VERB)) return undefined;
  const id = findOrderId(m.norm);
  const notes: string[] = [];
  const reasonAfter = textAfter(REASON, m.norm, m.clean);
  if (id) {
    const reason = capped(reasonAfter ?? trimLead(m.clean.slice(id.end)), MAX_REASON_CHARS, notes, "Причина");
    return tool("flag_order", reason ? { order_id: id.value, reason } : { order_id: id.value }, notes);
  }
  if (m.has(ALL)) {
    const preset = m.has(STUCK) ? "stuck" : m.has(LATE) ? "late_ship" : m.has(PAYMENT) ? "payment_issues" : undefined;
    if (preset) {
      const reason = reasonAfter ? capped(reasonAfter, MAX_REASON_CHARS, notes, "Причина") : "needs_attention";
      return tool("bulk_flag_order", { preset, reason, limit: 20 }, notes);
    }
  }
  if (!m.has(ORDER_WORD)) return undefined;
  return needsInput("🚩 Какой заказ пометить? Например: «пометь заказ 1234 причина не дозвонились».", "ORD_FLAG", "✍️ Указать заказ");
}

const NOTIFY = rx(
  "\\b(?:уведоми|уведомь|оповести|сообщи|напиши|передай|скажи|напомни|пни|пингани|пингни|попроси)\\p{L}*\\s+(?:всей\\s+|всем\\s+)?(?:команд\\p{L}*|менеджер\\p{L}*|сотрудник\\p{L}*|ребят\\p{L}*|поддержк\\p{L}*)|\\bпинг\\p{L}*\\s+(?:менеджер\\p{L}*|команд\\p{L}*)|\\bнапомни\\s+по\\s+заказу|\\b(?:notify|ping|tell|message)\\s+(?:the\\s+)?(?:team|managers?)\\b",
);

export function notifyIntent(message: string, m: Message | undefined): Intent {
  const notes: string[] = [];
  if (m?.cut) notes.push("Сообщение очень длинное — взял только начало.");
  let text = message.trim();
  const onlyOrder = m ? findOrderId(m.norm) : undefined;
  if (onlyOrder && /^(?:по\s+)?(?:заказу?\s*)?(?:ob[-\s]?)?#?№?\d+\s*$/iu.test(text)) {
    text = `Проверьте, пожалуйста, заказ ${onlyOrder.value}.`;
  }
  // No text: the parameter wizard asks for the message.
  if (!text) return tool("notify_team", {});
  return tool("notify_team", { message: capped(text, MAX_NOTIFY_CHARS, notes, "Сообщение") }, notes);
}

function notify(m: Message): Intent | undefined {
  const rest = textAfter(NOTIFY, m.norm, m.clean);
  if (rest === undefined) return undefined;
  const match = NOTIFY.exec(m.norm);
  // "напомни по заказу 1234" keeps the order reference in the message.
  const keepOrder = match && /заказу$/u.test(match[0]) ? `по заказу ${rest}` : rest;
  return notifyIntent(keepOrder, m);
}

const ROLLBACK = rx(
  "\\bоткат\\p{L}*\\s+(?:цен|последн|обновлен|репрайс)|\\bоткати\\p{L}*|\\brollback|\\broll back|\\bверни\\p{L}*\\s+(?:старые\\s+|прежние\\s+)?цен|\\bотмени\\p{L}*\\s+(?:последн\\p{L}*\\s+)?(?:обновлени\\p{L}*\\s+цен|репрайс|пересчет)",
);
const REPRICE = rx(
  "\\bрепрайс|\\breprice|\\bпересчита\\p{L}*\\s+цен|\\bпересчет\\p{L}*\\s+цен|\\bобнови\\p{L}*\\s+цен|\\bfx\\s+(?:apply|пересчет|update)|\\bпересчет\\s+по\\s+курсу|\\bцены\\s+по\\s+курсу|\\b(?:форс\\p{L}*|принуд\\p{L}*)\\s+(?:пересчет|репрайс)|\\bпересчет\\p{L}*\\s+(?:форс|принуд)",
);
const FORCE = rx("\\bфорс|\\bпринуд|\\bforce");
const FX_STATUS = rx("\\bкурс\\p{L}*|\\bexchange rates?\\b|\\bfx\\b");

function fx(m: Message): Intent | undefined {
  if (m.has(ROLLBACK)) return tool("sis_fx_rollback", {});
  if (m.has(REPRICE) && findProductIds(m.norm).length === 0) {
    return tool("sis_fx_reprice_auto", { force: m.has(FORCE), refresh_snapshot: true });
  }
  return undefined;
}

const UP = rx("\\b(?:подними|поднять|подыми|повысь|повысить|увеличь|увеличить|raise|increase|bump)\\p{L}*");
const DOWN = rx("\\b(?:снизь|снизить|понизь|понизить|уменьши|уменьшить|опусти|скинь|сбрось|убавь|lower|reduce|decrease|cut|drop)\\p{L}*");
const PRICES = rx("\\bцен\\p{L}*|\\bprices?\\b");
// «снизь на 3 %», «сделай +10%», «сделай минус 7%»: the whole message is a bump of every price (phrase pack 20).
const BARE_BUMP = rx(
  "^(?:подними|повысь|увеличь|снизь|понизь|уменьши|сделай)\\s+(?:на\\s+)?(?:[+-]\\s*|минус\\s+|плюс\\s+)?\\d{1,3}(?:[.,]\\d{1,2})?\\s*(?:%|процент\\p{L}*)?$",
);
const SIGNED_PRICE = rx("\\bцен\\p{L}*\\s*(?:на\\s*)?[+-]\\s*\\d|\\bсделай\\s*[+-]\\s*\\d");
const SET_PRICE = rx("\\b(?:поставь|установи|сделай|измени|поменяй|назначь|set|change)\\p{L}*\\s+(?:цену|price)|\\bцен[аy]\\s*(?:=|:)");
const PRICE_VALUE = rx(
  "\\b(?:цен\\p{L}*|price)\\s*(?:на|в|to|=|:)?\\s*(\\d{1,9}(?:[.,]\\d{1,2})?)(?!\\s*%)(?![\\d.,])|\\b(?:на|до|to)\\s+(\\d{1,9}(?:[.,]\\d{1,2})?)(?!\\s*%)(?![\\d.,])",
);

/** Signed percent: the verb decides the direction, an explicit minus always means down. */
function signedPercent(p: Percent, m: Message): number {
  const down = p.signed === -1 || m.has(DOWN);
  return down ? -Math.abs(p.value) : Math.abs(p.value);
}

function bareBump(m: Message): Intent | undefined {
  // BARE_BUMP matched the whole message, so its one number is the percent (with or without «%»).
  const n = /(-)?\s*(\d{1,3}(?:[.,]\d{1,2})?)/u.exec(m.norm);
  if (!n?.[2]) return undefined;
  const notes: string[] = [];
  const minus = n[1] === "-" || /(?:^|\s)минус\s/u.test(m.norm) || m.has(DOWN);
  const magnitude = clamp(Number(n[2].replace(",", ".")), LIMITS.bumpPercent, "Изменение цен, %", notes);
  if (magnitude === 0) return undefined;
  return tool("sis_prices_bump", { bump_percent: fmt(minus ? -magnitude : magnitude) }, notes);
}

const fmt = (n: number): string => String(Math.round(n * 100) / 100);

function price(m: Message): Intent | undefined {
  const up = m.has(UP);
  const down = m.has(DOWN);
  if (m.has(BARE_BUMP)) return bareBump(m);
  if (!m.has(PRICES) || !(up || down || m.has(SIGNED_PRICE) || m.has(SET_PRICE))) return undefined;
  const ids = findProductIds(m.norm);
  const pct = findPercent(m.norm, true);
  if (ids.length > 0) {
    if (pct && (up || down || pct.signed !== 0)) {
      return tool("adjust_price", { product_ids: ids, mode: "delta_percent", value: signedPercent(pct, m), rounding: "none" });
    }
    const v = PRICE_VALUE.exec(m.norm);
    const raw = v?.[1] ?? v?.[2];
    if (raw !== undefined) {
      const value = Number(raw.replace(",", "."));
      if (up || down) return tool("adjust_price", { product_ids: ids, mode: "delta_abs", value: down ? -value : value, rounding: "none" });
      return tool("adjust_price", { product_ids: ids, mode: "set", value, rounding: "none" });
    }
    return needsInput("🏷 Какую цену поставить? Например: «поставь цену 1990 на товар 12».", "PRD_UPDATE_PRICE", "✍️ Задать цену");
  }
  // No percent: the parameter wizard asks for it, in the direction of the verb.
  if (!pct) return { ...tool("sis_prices_bump", {}), wizard: { sign: down ? -1 : 1 } };
  const notes: string[] = [];
  const signed = signedPercent(pct, m);
  if (signed === 0) return undefined;
  const magnitude = clamp(Math.abs(signed), LIMITS.bumpPercent, "Изменение цен, %", notes);
  return tool("sis_prices_bump", { bump_percent: fmt(Math.sign(signed) * magnitude) }, notes);
}

const PUBLISH = rx(
  "\\b(?:опубликуй|опубликовать|публикуй|выложи|активируй|publish|unhide|activate)\\p{L}*|\\bверни\\p{L}*\\s+в\\s+продажу|\\bвключи\\p{L}*",
);
const HIDE = rx(
  "\\b(?:скрой|скрыть|спрячь|архивируй|заархивируй|деактивируй|выключи|hide|archive|unpublish|deactivate)\\p{L}*|\\b(?:сними|убери)\\p{L}*(?:\\s+[^\\s]+){0,4}?\\s+(?:с|из)\\s+(?:публикации|продаж\\p{L}*|каталог\\p{L}*|витрин\\p{L}*)|\\bубери\\p{L}*\\s+(?:товар|лук)",
);
const LOOK = rx("\\bлук\\p{L}*|\\blooks?\\b|\\bобраз\\p{L}*");
const PRODUCT = rx("\\bтовар\\p{L}*|\\bпродукт\\p{L}*|\\bproducts?\\b|\\bпозици\\p{L}*|\\bsku\\b");

function publish(m: Message): Intent | undefined {
  const hide = m.has(HIDE);
  if (!hide && !m.has(PUBLISH)) return undefined;
  if (m.has(LOOK)) {
    const ids = findLookIds(m.norm);
    if (ids.length > 0) return tool("sis_looks_publish", { look_ids: ids, target_active: !hide });
    if (m.has(ALL)) return tool("sis_looks_publish", { is_active_from: hide, target_active: !hide });
    return needsInput("👗 Какие луки? Например: «скрой луки 7, 8».", hide ? "LOOK_ARCHIVE_IDS" : "LOOK_PUBLISH_IDS", "✍️ Указать id");
  }
  if (!m.has(PRODUCT)) return undefined;
  const target = hide ? "ARCHIVED" : "ACTIVE";
  const ids = findProductIds(m.norm);
  if (ids.length > 0) return tool("sis_products_publish", { product_ids: ids, target_status: target });
  if (m.has(ALL)) return tool("sis_products_publish", { status_from: hide ? "ACTIVE" : "ARCHIVED", target_status: target });
  return needsInput("🛍 Какие товары? Например: «скрой товары 44, 45».", hide ? "PRD_ARCHIVE_IDS" : "PRD_PUBLISH_IDS", "✍️ Указать id");
}

export const ACTION_RULES: Rule[] = [
  { id: "flag", keys: keys("флаг зафл поме отме flag mark пост пове"), run: flag },
  {
    id: "notify",
    keys: keys("увед опов сооб напи пере скаж напо пни пинг попр noti ping tell mess"),
    run: notify,
  },
  { id: "fx", keys: keys("отка roll вер отме репр repr пере обно fx цен"), run: fx },
  { id: "price", keys: keys("цен pric сдел сниз пони умен подн повы увел"), run: price },
  COUPON_RULE,
  {
    id: "publish",
    keys: keys("опуб публ выло акти publ unhi acti верн вклю скро скры спря архи заар деак выкл hide arch unpu сним убер"),
    run: publish,
  },
];

export const FX_STATUS_RULE: Rule = {
  id: "fx_status",
  keys: keys("курс exch fx"),
  run: (m) => (m.has(FX_STATUS) ? tool("sis_fx_status", {}) : undefined),
};
