import type { z } from "zod";
import { AppError } from "@ownerbot/core/errors";
import { addDays, localDay, type LocalDay } from "../format/dates.ts";
import type { KpiDay, OrderFilter, ShopProvider } from "../tools/provider.ts";
import type { SisHttp, SisResponse } from "./http.ts";
import { decode } from "./action-decode.ts";
import { dataOf, fxStatusData } from "./action-wire.ts";
import { SIS_ACTIONS_PREFIX } from "./capabilities.ts";
import { sisError } from "./http.ts";
import {
  detailFromWire,
  envelope,
  kpiDaysData,
  kpiFromWire,
  kpiTotalsData,
  orderDetailData,
  orderPageData,
  pageFromWire,
  pingData,
  READ_PREFIX,
  trendData,
} from "./wire.ts";

// The SIS_HTTP provider: the same ShopProvider calls as DEMO, answered by SIS's read gateway
// (reference §6). The gateway covers the shop's clock (ping), daily KPI and KPI of an instant range
// (kpi/summary), the revenue trend, order search by text and the order card. Everything else is a
// report SIS does not serve yet: those calls fail with UPSTREAM_NOT_IMPLEMENTED, which the owner
// reads plainly (SIS_HTTP) or which AUTO answers from DEMO with a label (upstream.ts).

export const NOT_SERVED = "этот отчёт SIS пока не отдаёт";

/** The provenance names the read tools pass to `source()` → the gateway endpoint that answers them. */
const ENDPOINT_OF: Record<string, string> = {
  demo_kpi_daily: "kpi/summary",
  demo_orders: "orders/search",
};

export type SisReadProvider = ShopProvider & {
  ping(): Promise<{ asOf: Date; shopId: string; latencyMs: number }>;
  /** SIS's "now" as last seen (its as_of against our clock), without a call; the wall clock before the first. */
  nowEstimate(): Date;
  /** Milliseconds since SIS last answered a ping (Infinity before the first). */
  pingAge(): number;
  revenueTrend(from: LocalDay, to: LocalDay): Promise<{ day: LocalDay; revenueGross: number; revenueNet: number; ordersPaid: number }[]>;
};

export function createSisReadProvider(
  http: SisHttp,
  o: { apiKey: string; timeZone: string; local: ShopProvider; budgetMs?: number },
): SisReadProvider {
  const headers = { "X-API-Key": o.apiKey };
  let skewMs = 0;
  let pingedAt = -Infinity;

  async function get<T extends z.ZodType>(path: string, data: T, query: Record<string, string | number | undefined> = {}) {
    const res: SisResponse = await http.call({
      method: "GET",
      path: `${READ_PREFIX}/${path}`,
      query,
      headers,
      retryable: true,
      ...(o.budgetMs !== undefined ? { budgetMs: o.budgetMs } : {}),
    });
    if (res.status === 404) return null;
    if (res.status >= 400)
      throw sisError("status", `SIS недоступен: запрос ${path} отклонён (HTTP ${res.status}).`, { status: res.status, retryable: false });
    return { ...http.parse(envelope(data), res, path), latencyMs: res.latencyMs };
  }

  const notServed = (what: string) => (): Promise<never> => {
    return Promise.reject(new AppError("UPSTREAM_NOT_IMPLEMENTED", `SIS: ${NOT_SERVED} (${what}).`, { details: { reason: "not_served" } }));
  };

  const required = <T>(v: T | null, path: string): T => {
    if (v === null) throw sisError("status", `SIS недоступен: нет адреса ${path} (HTTP 404).`, { status: 404, retryable: false });
    return v;
  };

  async function kpiDays(from: LocalDay, to: LocalDay): Promise<KpiDay[]> {
    const r = required(await get("kpi/summary", kpiDaysData, { from, to, tz: o.timeZone }), "kpi/summary");
    return r.data.days.map((d) => ({ day: d.day, ...kpiFromWire(d) }));
  }

  return {
    kind: "sis",
    label: "SIS",
    source: (name) => `sis:${ENDPOINT_OF[name] ?? name}`,

    async ping() {
      const r = required(await get("ping", pingData), "ping");
      skewMs = r.as_of.getTime() - Date.now();
      pingedAt = performance.now();
      return { asOf: r.as_of, shopId: r.data.shop_id, latencyMs: r.latencyMs };
    },

    nowEstimate: () => new Date(Date.now() + skewMs),
    pingAge: () => performance.now() - pingedAt,

    async clock(_now, timeZone) {
      // SIS's as_of is the shop's "now": the days the owner means are SIS's days, not the server's.
      const { asOf } = await this.ping();
      return { today: localDay(asOf, timeZone), now: asOf, anchored: false };
    },

    kpiDays,

    async kpiBetween(start, end) {
      const r = required(
        await get("kpi/summary", kpiTotalsData, { from: start.toISOString(), to: end.toISOString(), tz: o.timeZone }),
        "kpi/summary",
      );
      return kpiFromWire(r.data.totals);
    },

    async latestKpiDay(onOrBefore) {
      // The gateway has no "latest day" call: the last of the recent days it reports is that day.
      const days = await kpiDays(addDays(onOrBefore, -62), onOrBefore);
      return days.at(-1)?.day ?? null;
    },

    async revenueTrend(from, to) {
      const r = required(await get("revenue/trend", trendData, { from, to, tz: o.timeZone }), "revenue/trend");
      return r.data.days.map((d) => ({ day: d.day, revenueGross: d.revenue_gross, revenueNet: d.revenue_net, ordersPaid: d.orders_paid }));
    },

    async searchOrders(f: OrderFilter, countCap) {
      // The contract's search has one text `q` and a limit; a status goes as q, as the reference
      // sent it. What q cannot express is said plainly rather than guessed at.
      const cannot = [
        f.preset ? "подборки «зависшие», «просрочена доставка», «проблемы с оплатой»" : null,
        f.flagged !== undefined ? "отметка флагом" : null,
        f.createdFrom || f.createdBefore ? "дни создания" : null,
        f.status && f.q ? "статус вместе с текстом поиска" : null,
      ].filter((x): x is string => x !== null);
      if (cannot.length > 0)
        throw new AppError(
          "UPSTREAM_NOT_IMPLEMENTED",
          `SIS: ${NOT_SERVED} (заказы: ${cannot.join(", ")}; поиск SIS понимает только текст или статус).`,
          { details: { reason: "not_served" } },
        );
      const q = f.status ?? f.q;
      const r = required(
        await get("orders/search", orderPageData, {
          q,
          limit: f.limit,
          ...(f.offset > 0 ? { offset: f.offset } : {}),
          count_cap: countCap,
        }),
        "orders/search",
      );
      const page = pageFromWire(r.data);
      // A SIS that read the status as free text answers other orders too: not a list by status.
      if (f.status && page.items.some((i) => i.status !== f.status))
        throw new AppError(
          "UPSTREAM_NOT_IMPLEMENTED",
          `SIS: ${NOT_SERVED} (заказы по статусу: поиск SIS вернул заказы с другим статусом).`,
          {
            details: { reason: "not_served" },
          },
        );
      return page;
    },

    async orderDetail(orderNo) {
      const r = await get(`orders/${orderNo}`, orderDetailData);
      return r === null ? null : detailFromWire(r.data.order);
    },

    funnelDays: notServed("воронка"),
    salesRanking: notServed("продажи по товарам и категориям"),
    demandStats: notServed("спрос и прогноз"),
    inventoryCounts: notServed("склад"),
    inventoryList: notServed("склад"),
    refundBreakdown: notServed("возвраты"),
    unansweredChats: notServed("чаты с покупателями"),
    chatQueue: notServed("чаты с покупателями"),
    coupons: notServed("купоны"),
    team: notServed("команда"),
    async fxRates(onOrBefore) {
      // The rate lives in the Actions API (GET /fx/status, X-OWNERBOT-KEY), not in the read gateway.
      const res = await http.call({
        method: "GET",
        path: `${SIS_ACTIONS_PREFIX}/fx/status`,
        headers: { "X-OWNERBOT-KEY": o.apiKey, "X-CORRELATION-ID": "read-fx-status" },
        retryable: true,
        ...(o.budgetMs !== undefined ? { budgetMs: o.budgetMs } : {}),
      });
      const a = decode(res, "fx/status");
      const d = dataOf(fxStatusData, a, "fx/status", "preview");
      const prev = d.prev_rate ?? null;
      return [
        {
          base: d.base,
          quote: d.quote,
          day: d.rate_day ?? onOrBefore,
          rate: d.rate,
          prevDay: prev === null ? null : (d.prev_day ?? null),
          prevRate: prev,
        },
      ];
    },
    // The audit journal and the report jobs are OwnerBot's own tables, whichever shop is behind the bot.
    auditRecent: (q) => o.local.auditRecent(q),
    auditCounts: (q) => o.local.auditCounts(q),
    memoJobs: (q) => o.local.memoJobs(q),
    riskSignals: notServed("риски"),
  };
}
