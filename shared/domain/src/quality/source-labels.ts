// The owner reads where a number came from in words, not as the ids the tools record
// ("demo:demo_kpi_daily", "sis:kpi/summary"): the ids stay in tool results, logs, audit and JSON
// exports; this table turns them into Russian for every line and document the owner sees. An id
// it does not know is still shown readably, never dropped and never an error.

type Kind = {
  /** In the provenance line and the memo: «демо-данные · KPI по дням». */
  label: string;
  /** In a report's footer, where only the kind is named: «Данные: демо». */
  short: string;
  names: Record<string, string>;
};

const SOURCES: Record<string, Kind> = {
  demo: {
    label: "демо-данные",
    short: "демо",
    names: {
      demo_kpi_daily: "KPI по дням",
      demo_orders: "заказы",
      demo_order_items: "позиции заказов",
      demo_payments: "платежи",
      demo_refunds: "возвраты",
      demo_products: "товары",
      demo_product_sales_daily: "продажи товаров по дням",
      demo_funnel_daily: "воронка по дням",
      demo_chat_threads: "чаты с клиентами",
      demo_team: "команда",
      demo_coupons: "купоны",
      demo_fx_rates: "курсы валют",
    },
  },
  sis: {
    label: "SIS",
    short: "SIS",
    names: {
      "kpi/summary": "сводка KPI",
      "orders/search": "поиск заказов",
      "revenue/trend": "тренд выручки",
      ping: "проверка связи",
      actions: "список действий",
    },
  },
  core: {
    label: "OwnerBot",
    short: "журнал OwnerBot",
    names: {
      audit_events: "журнал событий",
      runtime: "состояние системы",
      config: "настройки бота",
      owner_notify_settings: "настройки уведомлений",
    },
  },
};

/** SIS ids may carry the gateway's prefix ("sis:/ownerbot/v1/kpi/summary"). */
const SIS_PREFIX = /^\/?(?:ownerbot\/v\d+\/)?/;

function split(id: string): { kind: string; name: string } {
  const at = id.indexOf(":");
  if (at < 0) return { kind: "", name: id };
  const kind = id.slice(0, at);
  const name = id.slice(at + 1);
  return { kind, name: kind === "sis" ? name.replace(SIS_PREFIX, "") : name };
}

/** A name no kind lists: another kind's word for it (SIS serving a demo table's report), else the id made readable. */
function nameOf(kind: Kind | undefined, name: string): string {
  const known = kind?.names[name] ?? Object.values(SOURCES).find((k) => k.names[name] !== undefined)?.names[name];
  if (known !== undefined) return known;
  const readable = name
    .replace(/^demo_/, "")
    .replace(/[_/]+/g, " ")
    .trim();
  return readable || name;
}

/** «демо-данные · KPI по дням» for "demo:demo_kpi_daily"; an unknown id reads as its parts. */
export function sourceName(id: string): string {
  const { kind, name } = split(id);
  const k = SOURCES[kind];
  return joined(k?.label ?? kind, nameOf(k, name));
}

function joined(head: string, tail: string): string {
  if (head === "") return tail || "источник не назван";
  return tail === "" ? head : `${head} · ${tail}`;
}

/**
 * The first `max` sources of a provenance line, those of one kind named once
 * («демо-данные · KPI по дням, заказы»), then «+n» for the rest.
 */
export function sourcesText(ids: readonly string[], max: number): string {
  const groups: { head: string; tails: string[] }[] = [];
  for (const id of ids.slice(0, max)) {
    const { kind, name } = split(id);
    const k = SOURCES[kind];
    const head = k?.label ?? kind;
    const last = groups.at(-1);
    if (last && last.head === head && head !== "") last.tails.push(nameOf(k, name));
    else groups.push({ head, tails: [nameOf(k, name)] });
  }
  const shown = groups.map((g) => joined(g.head, g.tails.filter((t) => t !== "").join(", "))).join(", ");
  return ids.length > max ? `${shown} +${ids.length - max}` : shown;
}

/** The kinds only, for a report's footer: «демо», «SIS + журнал OwnerBot». */
export function sourceKinds(ids: readonly string[]): string {
  const kinds = new Set<string>();
  for (const id of ids) {
    const { kind } = split(id);
    kinds.add(SOURCES[kind]?.short ?? (kind || id));
  }
  return [...kinds].join(" + ") || "—";
}
