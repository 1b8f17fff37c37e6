import { createHash } from "node:crypto";
import { ORDER_STATUSES, type ShopProvider } from "@ownerbot/domain/tools";
import { detailToWire, kpiToWire, summaryToWire } from "@ownerbot/domain/sis";

// The simulator's read gateway (reference §6): GET /ownerbot/v1/{ping, kpi/summary, revenue/trend,
// orders/search, orders/{id}} answered from its shop (a ShopProvider over a generated demo shop),
// each in the {as_of, data, provenance} envelope, money as decimal strings.

export type SimAnswer = { status: number; body: unknown };

const hash = (v: unknown): string => createHash("sha256").update(JSON.stringify(v)).digest("hex").slice(0, 16);

export async function readRoute(
  shop: ShopProvider,
  shopId: string,
  timeZone: string,
  path: string,
  q: URLSearchParams,
): Promise<SimAnswer> {
  const clock = await shop.clock(new Date(), timeZone);
  const env = (data: unknown, source: string, window?: { from: string; to: string }): SimAnswer => ({
    status: 200,
    body: {
      as_of: clock.now.toISOString(),
      data,
      provenance: {
        sources: [`sis:${source}`],
        filters_hash: hash(Object.fromEntries(q)),
        ...(window ? { window: { ...window, tz: timeZone } } : {}),
      },
    },
  });
  const bad = (message: string): SimAnswer => ({ status: 422, body: { detail: message } });
  if (path === "ping") return env({ status: "ok", shop_id: shopId, time_zone: timeZone }, "ping");
  if (path === "kpi/summary" || path === "revenue/trend") {
    const from = q.get("from");
    const to = q.get("to");
    if (!from || !to) return bad("from and to are required");
    if (path === "kpi/summary" && from.includes("T")) {
      const start = new Date(from);
      const end = new Date(to);
      if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return bad("from/to: ISO instants or days");
      return env({ totals: kpiToWire(await shop.kpiBetween(start, end)) }, "kpi_summary");
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) return bad("from/to: YYYY-MM-DD");
    const days = await shop.kpiDays(from, to);
    if (path === "kpi/summary") return env({ days: days.map((d) => ({ day: d.day, ...kpiToWire(d) })) }, "kpi_summary", { from, to });
    return env(
      {
        days: days.map((d) => ({
          day: d.day,
          revenue_gross: String(d.revenueGross),
          revenue_net: String(d.revenueNet),
          orders_paid: d.ordersPaid,
        })),
      },
      "revenue_trend",
      { from, to },
    );
  }
  if (path === "orders/search") {
    const limit = Math.min(200, Math.max(1, Number(q.get("limit") ?? 20) || 20));
    const offset = Math.max(0, Number(q.get("offset") ?? 0) || 0);
    const cap = Math.max(1, Number(q.get("count_cap") ?? 1000) || 1000);
    const text = (q.get("q") ?? "").trim();
    // As the reference's SIS: a q that is an order status lists the orders in that status.
    const byStatus = (ORDER_STATUSES as readonly string[]).includes(text.toLowerCase());
    const filter = byStatus ? { status: text.toLowerCase() } : text !== "" ? { q: text } : {};
    const page = await shop.searchOrders({ ...filter, now: clock.now, sinceHours: 2, limit, offset }, cap);
    return env({ total: page.total, total_capped: page.totalCapped, items: page.items.map(summaryToWire) }, "orders");
  }
  const m = /^orders\/(\d{1,12})$/.exec(path);
  if (m) {
    const order = await shop.orderDetail(Number(m[1]));
    if (!order) return { status: 404, body: { detail: "order not found" } };
    return env({ order: detailToWire(order) }, "orders");
  }
  return { status: 404, body: { detail: `no route ${path}` } };
}
