// The advisor's topics (reference §10.1): keywords that pick a topic, and a static playbook per
// topic. Playbooks hold no numbers about the shop: facts come only from read tools (brief.ts).

export const ADVICE_TOPICS = [
  "SEASON_TRENDS",
  "PROMO_STRATEGY",
  "PRICING_STRATEGY",
  "ASSORTMENT_STRATEGY",
  "OPS_PRIORITY",
  "GROWTH_PLAN",
] as const;
export type AdviceTopic = (typeof ADVICE_TOPICS)[number];

/** A tool call with its complete input. */
export type ToolCall = { tool: string; input: Record<string, unknown> };

export type Playbook = {
  topic: AdviceTopic;
  title: string;
  hypotheses: readonly string[];
  risks: readonly string[];
  experiments: readonly string[];
  /** Read tools whose facts make the brief, in order (at most four run). */
  brief: readonly ToolCall[];
  /** More read tools for «проверить данными». */
  validate: readonly ToolCall[];
  /** The one action the advisor proposes; always a preview first. */
  action: ToolCall & { label: string; /** A coupon's lifetime: its code and end are set when proposed. */ validHours?: number };
};

/** First keyword hit wins, in this order (reference §10.1). Words are matched as prefixes of the normalised text's words. */
const KEYWORDS: readonly [AdviceTopic, readonly string[]][] = [
  ["SEASON_TRENDS", ["сезон", "весн", "лет", "осен", "зим", "тренд", "категори"]],
  ["PROMO_STRATEGY", ["акци", "купон", "скидк", "промо"]],
  ["PRICING_STRATEGY", ["цен", "прайсинг", "дорог", "дешев"]],
  ["ASSORTMENT_STRATEGY", ["ассортимент", "каталог", "убрать товар", "чистить каталог"]],
  ["OPS_PRIORITY", ["что горит", "операционк", "команд", "приоритет"]],
  ["GROWTH_PLAN", ["рост", "масштаб", "growth", "план роста", "расти", "развива"]],
];

export function topicOf(text: string): AdviceTopic | null {
  const t = ` ${text
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[^a-zа-я0-9 ]+/g, " ")}`;
  for (const [topic, words] of KEYWORDS) if (words.some((w) => t.includes(` ${w}`))) return topic;
  return null;
}

/** Phrases that ask for the data brief (reference §10.1). */
export const BRIEF_PHRASES = /на основе (наших |моих )?данных|по нашим данным|по статистике|по данным магазина/u;

/**
 * A request for the decision memo: «записка», «служебная записка», «сделай записку по ценам»,
 * «memo», «мемо pdf». The whole message must be the request, so a team message that mentions a
 * note («передай команде записку: …») stays what it is.
 */
const MEMO_REQUEST =
  /^(?:(?:сделай|подготовь|составь|создай|сформируй|дай|пришли|покажи|нужна|хочу)\s+)?(?:служебн\p{L}*\s+)?(?:записк\p{L}*|memo|мемо)(?:\s+(?:в\s+)?pdf)?(?:\s+(?:по|о|об|про|на\s+тему)\s+[^:]{1,80})?$/u;

export function isMemoRequest(text: string): boolean {
  return MEMO_REQUEST.test(
    text
      .toLowerCase()
      .replace(/ё/g, "е")
      .replace(/[.!?…]+$/u, "")
      .trim()
      .replace(/\s+/g, " "),
  );
}

/** A question the advisor may answer: asks how/why/what to do, or asks for advice or hypotheses. */
export const ADVICE_QUESTION =
  /(^|\s)(что делать|как|почему|совет|посоветуй|стоит ли|где|когда|гипотез|идеи|идею|что можно|что предложишь)|\?/u;

const kpi7: ToolCall = { tool: "kpi_compare", input: { preset: "wow" } };
const trend30: ToolCall = { tool: "revenue_trend", input: { days: 30 } };
const top7: ToolCall = { tool: "top_products", input: { days: 7, limit: 5 } };
const stock: ToolCall = { tool: "inventory_status", input: {} };

export const PLAYBOOKS: Readonly<Record<AdviceTopic, Playbook>> = {
  SEASON_TRENDS: {
    topic: "SEASON_TRENDS",
    title: "Сезонность и тренды",
    hypotheses: [
      "Спрос смещается по сезону: часть категорий растёт, часть проседает — это видно по динамике выручки за 30 дней.",
      "Лидеры продаж прошлой недели — кандидаты на поднятие в витрине и на запас.",
      "Товары с низким остатком среди лидеров ограничивают выручку сильнее, чем цена.",
      "Сезонный товар без фото и видео продаётся хуже аналогов с медиа.",
    ],
    risks: ["Короткое окно данных путает сезон со случайным всплеском."],
    experiments: [
      "Поднять 3 лидера недели в витрине на 7 дней и сравнить неделю к неделе.",
      "Дозаказать лидеров с низким остатком по плану закупки.",
      "Сравнить выручку 7 дней с предыдущими 7 днями после смены витрины.",
    ],
    brief: [trend30, top7, stock, kpi7],
    validate: [
      { tool: "demand_forecast", input: { horizon_days: 7 } },
      { tool: "reorder_plan", input: {} },
    ],
    action: { label: "Цены лидеров +5 %", tool: "sis_prices_bump", input: { bump_percent: "5" } },
  },
  PROMO_STRATEGY: {
    topic: "PROMO_STRATEGY",
    title: "Акции и купоны",
    hypotheses: [
      "Короткий купон на 24 ч возвращает часть покупателей, не доводящих заказ до оплаты.",
      "Скидка на медленные товары освобождает склад без потери маржи на лидерах.",
      "Частые акции приучают ждать скидку: важен интервал между ними.",
      "Купон с ограничением по числу использований даёт срочность без большой потери маржи.",
    ],
    risks: ["Скидка съедает маржу, если выручка не растёт быстрее скидки.", "Купон может уйти в паблики купонов."],
    experiments: [
      "Купон −10 % на 24 ч и сравнение оплаченных заказов с той же сменой неделю назад.",
      "Сравнить средний чек с купоном и без.",
      "Проверить популярные купоны: какие реально используют.",
    ],
    brief: [kpi7, top7, { tool: "coupons_status", input: {} }, trend30],
    validate: [
      { tool: "coupons_top_used", input: {} },
      { tool: "funnel_snapshot", input: {} },
    ],
    action: { label: "Купон −10 % на 24 ч", tool: "create_coupon", input: { percent_off: 10 }, validHours: 24 },
  },
  PRICING_STRATEGY: {
    topic: "PRICING_STRATEGY",
    title: "Цены",
    hypotheses: [
      "Цены отстают от курса закупки: пересчёт по курсу возвращает маржу.",
      "Лидеры продаж выдерживают небольшое повышение цены без потери спроса.",
      "Товары, которые не продаются, дороже рынка — снижение цены оживит их.",
      "Средний чек растёт от комплектов, а не от цены отдельных товаров.",
    ],
    risks: ["Резкое повышение цен снижает конверсию — менять ступенями и смотреть неделю к неделе."],
    experiments: [
      "Пересчитать цены по курсу (сначала предпросмотр).",
      "Поднять цены лидеров на 3–5 % и сравнить неделю к неделе.",
      "Снизить цену медленных товаров на 5 % на неделю.",
    ],
    brief: [{ tool: "sis_fx_status", input: {} }, kpi7, top7, trend30],
    validate: [
      { tool: "inventory_status", input: {} },
      { tool: "kpi_compare", input: { preset: "mom" } },
    ],
    action: { label: "Пересчёт цен по курсу", tool: "sis_fx_reprice_auto", input: {} },
  },
  ASSORTMENT_STRATEGY: {
    topic: "ASSORTMENT_STRATEGY",
    title: "Ассортимент",
    hypotheses: [
      "Товары без продаж за месяц занимают витрину и деньги на складе.",
      "Карточки без фото и с нулевой ценой мешают покупке и доверию.",
      "Лидеры без запаса теряют продажи каждый день.",
      "Луки с лидерами продаж поднимают средний чек.",
    ],
    risks: ["Скрыть товар с редким, но дорогим спросом — потерять выручку."],
    experiments: [
      "Скрыть 5 товаров без продаж на 2 недели и сравнить выручку.",
      "Добавить фото товарам без фото и сравнить просмотры и продажи.",
      "Снизить цену на 5 % медленным товарам перед тем, как скрыть их.",
    ],
    brief: [stock, top7, trend30, kpi7],
    validate: [
      { tool: "reorder_plan", input: {} },
      { tool: "demand_forecast", input: { horizon_days: 7 } },
    ],
    action: { label: "Цены медленных −5 %", tool: "sis_prices_bump", input: { bump_percent: "-5" } },
  },
  OPS_PRIORITY: {
    topic: "OPS_PRIORITY",
    title: "Операционные приоритеты",
    hypotheses: [
      "Чаты без ответа дольше 2 часов стоят заказов — это первый приоритет.",
      "Зависшие заказы и проблемы с оплатой — второй: деньги уже почти получены.",
      "Закончившиеся лидеры — третий: каждый день без запаса — потерянные продажи.",
      "Ошибки бота и интеграций скрывают проблемы от команды.",
    ],
    risks: ["Разбирать всё сразу — ни одна проблема не закрывается до конца."],
    experiments: [
      "Поручить команде чаты без ответа и проверить их через 2 часа.",
      "Разобрать зависшие заказы по одному списку за день.",
      "Включить алерты о проблемах, чтобы не проверять вручную.",
    ],
    brief: [
      { tool: "chats_unanswered", input: {} },
      { tool: "orders_search", input: { preset: "stuck" } },
      stock,
      { tool: "sys_last_errors", input: {} },
    ],
    validate: [
      { tool: "orders_search", input: { preset: "payment_issues" } },
      { tool: "team_queue_summary", input: {} },
    ],
    action: {
      label: "Пинг команде",
      tool: "notify_team",
      input: { message: "Проверьте чаты без ответа и зависшие заказы, пожалуйста." },
    },
  },
  GROWTH_PLAN: {
    topic: "GROWTH_PLAN",
    title: "План роста",
    hypotheses: [
      "Рост проще всего взять с повторных покупок: купон возвращает прошлых покупателей.",
      "Лидеры продаж с запасом — то, что стоит продвигать в первую очередь.",
      "Рост выручки без роста заказов — это рост среднего чека; полезно знать, что из двух растёт.",
      "Операционные потери (чаты, зависшие заказы) съедают рост.",
    ],
    risks: ["Масштабировать то, что не проверено на малом объёме.", "Расти быстрее, чем успевают склад и команда."],
    experiments: [
      "Купон −10 % на 48 ч прошлым покупателям и сравнение неделя к неделе.",
      "Сравнение месяц к месяцу: что растёт — заказы или средний чек.",
      "Прогноз спроса на неделю для лидеров и дозаказ.",
      "Разбор операционных потерь за неделю.",
    ],
    brief: [{ tool: "kpi_compare", input: { preset: "mom" } }, trend30, top7, kpi7],
    validate: [
      { tool: "demand_forecast", input: { horizon_days: 7 } },
      { tool: "funnel_snapshot", input: {} },
    ],
    action: { label: "Купон −10 % на 48 ч", tool: "create_coupon", input: { percent_off: 10 }, validHours: 48 },
  },
};
