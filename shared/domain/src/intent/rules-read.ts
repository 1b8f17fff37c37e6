import {
  chats,
  compare,
  horizon,
  inventory,
  kpiOrTrend,
  ordersSearch,
  tool,
  topProducts,
  windowed,
  type InventorySection,
} from "./builders.ts";
import { findLimit, findOrderId, findStockLte } from "./extract.ts";
import { clamp, DEFAULTS, LIMITS } from "./limits.ts";
import type { Message } from "./message.ts";
import { keys, type Rule } from "./rule.ts";
import { rx } from "./text.ts";
import type { Intent, Presentation } from "./types.ts";

// Read intents, most specific first: a phrase that names a report wins over one that only names
// a metric ("топ товаров за месяц" is a top, not revenue; "возвращённые заказы" is an order list).

const COMPARE = rx(
  "\\bсравн|\\bcompare|\\bvs\\b|\\bversus\\b|\\bwow\\b|\\bmom\\b|\\b(?:недел\\p{L}*|week)\\s+(?:к|to|over|vs)\\s+(?:недел|week)|\\b(?:месяц\\p{L}*|month)\\s+(?:к|to|over|vs)\\s+(?:месяц|month)|\\bпротив\\s+прошл",
);

const ORDER_WORD = rx("\\bзаказ(?:а|е|ом|у)?\\b|\\border\\b|\\bob\\s?-?\\s?\\d|(?:№|#)\\s?\\d");

function orderDetail(m: Message): Intent | undefined {
  if (!m.has(ORDER_WORD)) return undefined;
  const id = findOrderId(m.norm);
  if (!id) return undefined;
  // "заказ 5 дней назад" is not order OB-5.
  if (/^\s*(?:дн|день|д\b|недел|мес|час|ч\b|шт|%|сут)/u.test(m.norm.slice(id.end))) return undefined;
  return tool("order_detail", { order_id: id.value });
}

const RISK = rx("\\bриск\\p{L}*|\\bмошен\\p{L}*|\\bфрод\\p{L}*|\\bfraud|\\bподозрит\\p{L}*|\\btrust\\s*stack|\\btruststack|\\brisks?\\b");
const RETURN_FLAGS = rx("\\bтовар\\p{L}*\\s+с\\s+возврат|\\bфлаг\\p{L}*\\s+возврат|\\breturn\\s*-?\\s*flags?\\b|\\bчасто\\s+возвращают");
const REFUNDS = rx("\\bвозврат\\p{L}*|\\brefunds?\\b|\\bаномал\\p{L}*");
const TEAM = rx(
  "\\bочеред\\p{L}*\\s+(?:команд|менеджер|поддержк)|\\bнагрузк\\p{L}*\\s+(?:на\\s+)?(?:команд|менеджер)|\\bteam\\b|\\bкоманд\\p{L}*\\s+(?:очеред|нагрузк)|\\bкак\\s+(?:дела\\s+)?(?:там\\s+)?(?:у\\s+)?команд\\p{L}*",
);
const CHATS = rx(
  "\\bчат\\p{L}*|\\bбез\\s+ответа|\\bне\\s*отвеч|\\bне\\s+ответил|\\bunanswered|\\bchats?\\b|\\bждут\\s+ответа|\\bсообщени\\p{L}*\\s+(?:от\\s+)?(?:клиент|покупател)|\\bпереписк",
);
const FUNNEL = rx("\\bворонк\\p{L}*|\\bконверси\\p{L}*|\\bfunnel|\\bconversion");
const COUPONS = rx("\\bкупон\\p{L}*|\\bпромокод\\p{L}*|\\bcoupons?\\b");
const COUPONS_TOP = rx("\\bтоп\\b|\\btop\\b|\\bпопулярн|\\bчаще|\\bбольше\\s+всего|\\bmost\\s+used|\\bлучш");
export function coupons(m: Message): Intent {
  if (!m.has(COUPONS_TOP)) return tool("coupons_status", {});
  const notes: string[] = [];
  const asked = findLimit(m.norm);
  const limit = asked === undefined ? DEFAULTS.couponsTopLimit : clamp(asked, LIMITS.couponsTopLimit, "Строк в топе", notes);
  return tool("coupons_top_used", { limit }, notes);
}

const FORECAST = rx("\\bпрогноз\\p{L}*|\\bforecast|\\bспрос\\p{L}*|\\bdemand");
const REORDER = rx(
  "\\bдокуп\\p{L}*|\\bзакуп\\p{L}*|\\bдозаказ\\p{L}*|\\breorder|\\brestock|\\bпополн\\p{L}*\\s+(?:склад|запас)|\\bчто\\s+(?:нужно\\s+|надо\\s+)?заказать",
);

const SECTIONS: [RegExp, InventorySection][] = [
  [
    rx(
      "\\bскоро\\s+законч|\\bзаканчива|\\bмало\\b|\\bна\\s+исходе|\\blow\\s+stock|\\brunning\\s+low|\\bнизк\\p{L}*\\s+остат|\\bмаленьк\\p{L}*\\s+остат",
    ),
    "low_stock",
  ],
  [
    rx(
      "\\bзакончил|\\bкончил|\\bнет\\s+в\\s+наличии|\\bнет\\s+на\\s+складе|\\bout\\s+of\\s+stock|\\bsold\\s+out|\\bраспродан|\\bнулев\\p{L}*\\s+остат|\\bостат\\p{L}*\\s+(?:0|ноль)\\b",
    ),
    "out_of_stock",
  ],
  [rx("\\bбез\\s+фот|\\bнет\\s+фот|\\bno\\s+photos?|\\bmissing\\s+photos?|\\bwithout\\s+photos?"), "missing_photo"],
  [rx("\\bбез\\s+цен|\\bнет\\s+цен|\\bno\\s+price|\\bmissing\\s+price|\\bwithout\\s+price"), "missing_price"],
  [rx("\\bбез\\s+видео|\\bнет\\s+видео|\\bno\\s+video|\\bmissing\\s+video|\\bwithout\\s+video"), "missing_video"],
  [
    rx("\\bнеопубликован|\\bне\\s+опубликован|\\bскрыт\\p{L}*\\s+товар|\\bunpublished|\\bhidden\\s+products?|\\bв\\s+архиве|\\bархивн"),
    "unpublished",
  ],
  [
    rx(
      "\\b[оа]стат\\p{L}*|\\bскла[дт]\\p{L}*|\\bstock\\b|\\binventory|\\bв\\s+наличии|\\bсколько\\s+осталось|\\bостал\\p{L}*|\\bзапас\\p{L}*|\\bhow\\s+much\\s+is\\s+left",
    ),
    "all",
  ],
];

export function stock(m: Message): Intent | undefined {
  for (const [re, section] of SECTIONS) {
    if (!m.has(re)) continue;
    // "остатки до 3 штук" is the low-stock list with the owner's threshold.
    return inventory(m, section === "all" && findStockLte(m.norm) ? "low_stock" : section);
  }
  return undefined;
}

const TOP = rx(
  "\\bтоп\\b|\\bтоп-|\\btop\\b|\\bлучш\\p{L}*|\\bхудш\\p{L}*|\\bхуже\\b|\\bworst|\\bbest\\b|\\bbottom\\b|\\bаутсайдер|\\bбестселлер|\\bлидер\\p{L}*\\s+продаж|\\bсамы\\p{L}*\\s+(?:продаваем|популярн|ходов)|\\bхорошо\\s+прода|\\bплохо\\s+прода|\\bне\\s+продают|\\bчто\\s+(?:лучше\\s+всего\\s+)?продается|\\bантитоп|\\bantitop|\\bрейтинг\\s+товар|\\bпо\\s+(?:категори|товарам)|\\bby\\s+(?:categor|product)",
);

const STUCK = rx("\\bзавис\\p{L}*|\\bзастрял\\p{L}*|\\bstuck\\b|\\bвисят|\\bподвис\\p{L}*|\\bзастрев");
const PAYMENT_ISSUES = rx(
  "\\bнеоплач|\\bне\\s+оплач|\\bпроблем\\p{L}*\\s+(?:с\\s+)?оплат|\\bоплат\\p{L}*\\s+не\\s+прош|\\bошибк\\p{L}*\\s+оплат|\\bpayment\\s+(?:issues?|problems?|failed|failures?)|\\bunpaid\\b|\\bfailed\\s+payments?|\\bне\\s+прошл\\p{L}*\\s+оплат",
);
const LATE_SHIP = rx(
  "\\bопаздыва|\\bзадерж\\p{L}*\\s+(?:доставк|отправк)|\\bпросроч\\p{L}*\\s+(?:доставк|отправк)|\\bне\\s+отправ|\\blate\\s+(?:ship|deliver)|\\bдоставк\\p{L}*\\s+(?:опазд|задерж|просроч)|\\bshipping\\s+(?:late|delay)|\\bdelayed\\b|\\bчто\\s+с\\s+(?:доставк|отправк)",
);
const ORDERS = rx("\\bзака[зс]\\p{L}*|\\borders?\\b|\\bордер\\p{L}*");
const HOW_MANY_ORDERS = rx("\\bсколько\\s+(?:было\\s+)?заказ|\\bhow\\s+many\\s+orders|\\bчисло\\s+заказ|\\bколичеств\\p{L}*\\s+заказ");

export function orders(m: Message): Intent | undefined {
  if (m.has(STUCK)) return ordersSearch(m, "stuck");
  if (m.has(PAYMENT_ISSUES)) return ordersSearch(m, "payment_issues");
  if (m.has(LATE_SHIP)) return ordersSearch(m, "late_ship");
  if (!m.has(ORDERS)) return undefined;
  // «сколько заказов вчера» is a KPI question; «заказы вчера» is the list of that day's orders.
  const p = m.period;
  if (m.has(HOW_MANY_ORDERS)) return kpiOrTrend(m, { trend: false, kpi: true });
  if (p?.kind === "invalid") return kpiOrTrend(m, { trend: false, kpi: true });
  return ordersSearch(m, undefined, p);
}

const KPI = rx(
  "\\bkpi\\b|\\bкпи\\b|\\bпоказател\\p{L}*|\\bметрик\\p{L}*|\\bсредн\\p{L}*\\s+чек|\\baov\\b|\\bитог\\p{L}*|\\bсводк\\p{L}*|\\bкак\\s+(?:у\\s+нас\\s+)?(?:дела|идут\\s+дела|торговля)|\\bhow\\s+are\\s+we\\s+doing|\\bhow\\s+is\\s+business|\\bстатистик\\p{L}*|\\bсколько\\s+(?:мы\\s+)?(?:заработ|продал|денег)|\\bsummary\\b|\\bsnapshot\\b",
);
const REVENUE = rx(
  "\\b(?:вы|ви|ву)ру[чщ]\\p{L}*|\\bпр[оа]даж\\p{L}*|\\bпр[оа]дал\\p{L}*|\\bзаработ\\p{L}*|\\bдоход\\p{L}*|\\bоборот\\p{L}*|\\bкасс\\p{L}*|\\brevenue|\\bsales\\b|\\bturnover|\\bincome|\\bearn\\p{L}*|\\bденьг\\p{L}*|\\bденег",
);
const TREND = rx(
  "\\bтренд\\p{L}*|\\bдинамик\\p{L}*|\\bграфик\\p{L}*|\\bchart|\\btrend|\\bпо\\s+дням|\\bdaily\\b|\\bдиаграм\\p{L}*|\\bplot",
);
const CHART = rx("\\bграфик\\p{L}*|\\bchart|\\bдиаграм\\p{L}*|\\bpng\\b|\\bкартинк\\p{L}*|\\bplot|\\bнарисуй");
const PDF = rx(
  "\\bpdf\\b|\\bпдф\\b|\\b(?:еже)?недельн\\p{L}*\\s+(?:отчет|сводк|репорт)|\\bweekly\\s+(?:report|pdf)|\\bотчет\\p{L}*\\s+в\\s+pdf",
);

/** The weekly PDF (`/weekly_pdf`, «еженедельный отчёт», RPT_WEEKLY_PDF): the last seven days' dashboard. */
export const WEEKLY_PDF = { format: "pdf", week_mode: "last7" } as const;

function presentation(m: Message): Presentation | undefined {
  return m.has(PDF) ? "pdf" : m.has(CHART) ? "chart" : undefined;
}

function metrics(m: Message): Intent | undefined {
  const kpi = m.has(KPI);
  const trend = m.has(TREND);
  const pres = presentation(m);
  if (!kpi && !trend && !pres && !m.has(REVENUE)) return undefined;
  // A weekly report with no period of its own is the weekly dashboard over the last seven days.
  if (pres === "pdf" && m.period === undefined) return tool("biz_dashboard_weekly", { ...WEEKLY_PDF });
  return kpiOrTrend(m, { trend, kpi, presentation: pres });
}

const DASHBOARD = rx("\\bдашборд\\p{L}*|\\bdashboard");
const OPS_REPORT = rx("\\bоперационн\\p{L}*\\s+отчет|\\bops\\s+(?:отчет|report)|\\bотчет\\p{L}*\\s+по\\s+проблемам");
const ERRORS = rx("\\bошибк\\p{L}*|\\berrors?\\b|\\bсбо[йи]\\p{L}*");
const AUDIT = rx("\\bаудит\\p{L}*|\\bжурнал\\p{L}*|\\baudit|\\blogs?\\b|\\bистори\\p{L}*\\s+действ");
const HEALTH = rx("\\bздоровье|\\bhealth|\\bстатус\\s+систем|\\bкак\\s+(?:там\\s+)?(?:бот|система)\\b|\\bвсе\\s+ли\\s+работает|\\bping\\b");
const MODE = rx("\\bрежим\\p{L}*|\\bupstream|\\bисточник\\p{L}*\\s+данных|\\bdata\\s+source");
const RETRO = rx("\\bретро\\p{L}*|\\bretro");
const RETRO_EXPORT = rx("\\b(?:выгруз|экспорт|export)\\p{L}*\\s+(?:ретро|итог|retro)");
const RETRO_LAST = rx("\\bпоследн\\p{L}*\\s+(?:разбор|запрос)\\p{L}*|\\bразбор\\p{L}*\\s+запрос|\\bretrospective");
const GAPS = rx("\\bпробел\\p{L}*|\\bgaps?\\b|\\bчего\\s+не\\s+хватает");
const CAPABILITIES = rx("\\bвозможност\\p{L}*\\s+sis|\\bcapabilit");
const ONBOARD = rx("\\bонбординг\\p{L}*|\\bonboard");
const WEEKISH = rx("\\bнедел|\\bweek|\\b7\\b");
const MONTHISH = rx("\\bмесяц|\\bmonth|\\b30\\b");

function system(m: Message): Intent | undefined {
  if (m.has(DASHBOARD)) {
    if (m.has(WEEKISH)) return tool("biz_dashboard_weekly", { ...WEEKLY_PDF });
    return tool("biz_dashboard_daily", { format: m.has(PDF) ? "pdf" : "png" });
  }
  if (m.has(OPS_REPORT)) return tool("biz_dashboard_ops", { format: "pdf", tz: m.ctx.shop.timeZone });
  if (m.has(RETRO_EXPORT)) return tool("retro_export", { period_days: m.has(MONTHISH) ? 30 : 7 });
  if (m.has(RETRO_LAST)) return tool("retrospective_last", {});
  if (m.has(GAPS)) return tool("retro_gaps", { period_days: m.has(WEEKISH) ? 7 : 30 });
  if (m.has(RETRO)) return tool("retro_summary", { period_days: m.has(MONTHISH) ? 30 : 7 });
  const notes: string[] = [];
  const asked = findLimit(m.norm);
  const limit = asked === undefined ? DEFAULTS.auditLimit : clamp(asked, LIMITS.auditLimit, "Строк в журнале", notes);
  if (m.has(ERRORS)) return tool("sys_last_errors", { limit }, notes);
  if (m.has(AUDIT)) return tool("sys_audit_recent", { limit }, notes);
  if (m.has(CAPABILITIES)) return tool("sis_actions_capabilities", {});
  if (m.has(ONBOARD)) return tool("onboard_status", {});
  if (m.has(HEALTH)) return tool("sys_health", {});
  if (m.has(MODE)) return tool("sys_upstream_mode", {});
  return undefined;
}

/** Nothing but a period ("вчера", "за неделю"): the owner wants the numbers for it. */
function periodOnly(m: Message): Intent | undefined {
  if (m.period === undefined || m.norm.length > 40) return undefined;
  return kpiOrTrend(m, { trend: false, kpi: true });
}

export const READ_RULES: Rule[] = [
  {
    id: "compare",
    keys: keys("срав comp vs vers wow mom неде week меся mont прот"),
    run: (m) => (m.has(COMPARE) ? compare(m, true) : undefined),
  },
  { id: "order_detail", keys: keys("зака orde ob 0"), run: orderDetail },
  {
    id: "return_flags",
    keys: keys("това флаг retu част"),
    run: (m) => (m.has(RETURN_FLAGS) ? inventory(m, "return_flags") : undefined),
  },
  {
    id: "risk",
    keys: keys("риск моше фрод frau подо trus risk"),
    run: (m) => (m.has(RISK) ? windowed(m, "truststack_signals") : undefined),
  },
  { id: "refunds", keys: keys("возв refu аном"), run: (m) => (m.has(REFUNDS) ? windowed(m, "refunds_anomalies") : undefined) },
  { id: "team", keys: keys("очер нагр team кома как"), run: (m) => (m.has(TEAM) ? tool("team_queue_summary", {}) : undefined) },
  {
    id: "chats",
    keys: keys("чат без не неот unan chat ждут сооб пере"),
    run: (m) => (m.has(CHATS) ? chats(m) : undefined),
  },
  { id: "funnel", keys: keys("воро конв funn conv"), run: (m) => (m.has(FUNNEL) ? windowed(m, "funnel_snapshot") : undefined) },
  { id: "coupons", keys: keys("купо пром coup"), run: (m) => (m.has(COUPONS) ? coupons(m) : undefined) },
  {
    id: "reorder",
    keys: keys("доку заку доза reor rest попо что"),
    run: (m) => (m.has(REORDER) ? horizon(m, "reorder_plan") : undefined),
  },
  { id: "forecast", keys: keys("прог fore спро dema"), run: (m) => (m.has(FORECAST) ? horizon(m, "demand_forecast") : undefined) },
  {
    id: "stock",
    keys: keys(
      "скор зака мало на low runn низк мале зако конч нет out sold расп нуле оста аста без no miss with неоп не скры unpu hidd в архи скла stoc inve скол запа how",
    ),
    run: stock,
  },
  {
    id: "top",
    keys: keys("топ top лучш худш хуже wors best bott аутс бест лиде самы хоро плох не что анти anti рейт по by"),
    run: (m) => (m.has(TOP) ? topProducts(m) : undefined),
  },
  {
    id: "orders",
    keys: keys(
      "зави заст stuc вися подв неоп не проб опла ошиб paym unpa fail опаз заде прос late дост ship dela зака orde орде скол how чис колич",
    ),
    run: orders,
  },
  {
    id: "system",
    keys: keys(
      "дашб dash опер ops отче ошиб erro сбо ауди журн audi log исто здор heal стат как все ping режи upst исто data ретр retr проб gap чег возм capa онбо onbo выгр эксп expo посл разб",
    ),
    run: system,
  },
  {
    id: "metrics",
    keys: keys(
      "kpi кпи пока метр сред aov итог свод как how стат скол summ snap выр вир вур про пра зара дохо обор касс reve sale turn inco earn день ден трен дина граф char tren по dail диаг plot png карт нари pdf пдф ежен week отче",
    ),
    run: metrics,
  },
];

export const PERIOD_ONLY_RULE: Rule = { id: "period_only", keys: [], run: periodOnly };
