import type { LocalDay } from "../format/dates.ts";

// What the read tools need from a shop, and nothing about where it comes from. The DEMO provider
// answers from the demo_* tables; a SIS_HTTP provider answers the same calls over HTTP. Day ranges
// are shop-local days (inclusive); instant ranges are half-open [start, end).

export type ProviderKind = "demo" | "sis";

/** The shop's "now" as the provider sees it; DEMO pins it to the generated history. */
export type ShopClock = { today: LocalDay; now: Date; anchored: boolean };

export type KpiDay = {
  day: LocalDay;
  revenueGross: number;
  revenueNet: number;
  ordersPaid: number;
  ordersCreated: number;
  aov: number;
  refundsCount: number;
  refundsAmount: number;
};

export type FunnelDay = {
  day: LocalDay;
  visits: number;
  productViews: number;
  addToCart: number;
  checkoutStarted: number;
  ordersCreated: number;
  ordersPaid: number;
};

export type OrderPreset = "stuck" | "late_ship" | "payment_issues";

export type OrderFilter = {
  q?: string;
  status?: string;
  preset?: OrderPreset;
  flagged?: boolean;
  /** Created in [createdFrom, createdBefore): the orders of shop-local days. */
  createdFrom?: Date;
  createdBefore?: Date;
  /** The reference moment for presets: stuck = pending ≥ 6 h before it, late = due before it. */
  now: Date;
  /** Age of a pending payment that makes it an issue (payment_issues preset). */
  sinceHours: number;
  limit: number;
  offset: number;
};

export type OrderSummary = {
  orderId: string;
  orderNo: number;
  status: string;
  amount: number;
  currency: string;
  createdAt: Date;
  customerId: string;
  customerPhone: string;
  couponCode: string | null;
  paymentStatus: string;
  shippingStatus: string;
  shipDueAt: Date | null;
  flagged: boolean;
  flagReason: string | null;
};

/** `total` is exact up to `countCap`; above it the provider stops counting and sets `totalCapped`. */
export type OrderPage = { total: number; totalCapped: boolean; items: OrderSummary[] };

export type OrderDetail = OrderSummary & {
  paidAt: Date | null;
  shippedAt: Date | null;
  updatedAt: Date;
  flaggedAt: Date | null;
  customer: { name: string; phone: string; email: string | null } | null;
  items: { productId: string; title: string | null; qty: number; unitPrice: number }[];
  payments: { paymentId: string; amount: number; method: string; status: string; createdAt: Date }[];
  refunds: { refundId: string; amount: number; reason: string; createdAt: Date }[];
};

export type SalesGroupBy = "product" | "category";
export type SalesRow = { key: string; title: string; category: string | null; qty: number; revenue: number };
export type SalesRanking = {
  rows: SalesRow[];
  totals: { qty: number; revenue: number; keys: number };
};

/**
 * A product's paid sales over a history window [from, to], reduced to what the forecasts need:
 * totals, the last `windowDays` days, and the exponentially smoothed level (s0 = first day's qty,
 * s_t = α·x_t + (1 − α)·s_{t−1}, days without sales counting as zero). Only products that sold.
 */
export type ProductDemand = {
  productId: string;
  title: string;
  category: string;
  stockQty: number;
  totalQty: number;
  saleDays: number;
  windowQty: number;
  /** Null when no `alpha` was asked for (SMA only). */
  sesLevel: number | null;
};

export type InventorySection =
  "out_of_stock" | "low_stock" | "missing_photo" | "missing_price" | "missing_video" | "return_flags" | "unpublished";

export type ProductRow = {
  productId: string;
  title: string;
  category: string;
  price: number;
  currency: string;
  stockQty: number;
  published: boolean;
};

export type RefundBreakdown = { key: string; title: string; count: number; amount: number };

export type ChatThread = {
  threadId: string;
  customerId: string;
  customerName: string | null;
  subject: string;
  assignedTo: string | null;
  assigneeName: string | null;
  lastCustomerMessageAt: Date;
  lastManagerReplyAt: Date | null;
};

/** Open threads whose customer message is unanswered; counts by waiting time and by assignee. */
export type ChatQueue = {
  total: number;
  /** Count per cutoff, in the order the cutoffs were given. */
  olderThan: number[];
  byAssignee: { memberId: string | null; name: string | null; count: number }[];
  oldest: ChatThread[];
};

export type Coupon = {
  code: string;
  percentOff: number | null;
  amountOff: number | null;
  active: boolean;
  maxUses: number | null;
  usedCount: number;
  startsAt: Date | null;
  endsAt: Date | null;
};

export type TeamMember = { memberId: string; name: string; role: string };

export type FxRate = { base: string; quote: string; day: LocalDay; rate: number; prevDay: LocalDay | null; prevRate: number | null };

export type AuditEvent = {
  id: number;
  occurredAt: Date;
  eventType: string;
  correlationId: string | null;
  actorId: number | null;
  payload: Record<string, unknown>;
};

/** One aggregated audit bucket: events of a type, split by the tool, error code and advisor topic they carry. */
export type AuditCount = { eventType: string; tool: string | null; code: string | null; topic: string | null; count: number };

/** Decision memo PDFs asked for in a period (report_jobs), by topic and how their report job stands. */
export type MemoJobCount = { topic: string; status: "open" | "sent" | "failed"; count: number };

/** Trust-and-safety signals over [start, end) (truststack_signals); each list is the top `limit` of `total`. */
export type RiskQuery = {
  start: Date;
  end: Date;
  fromDay: LocalDay;
  toDay: LocalDay;
  limit: number;
  minFailed: number;
  minRefunds: number;
  bigOrderFactor: number;
};

export type RiskSignals = {
  flagged: {
    total: number;
    items: { orderId: string; orderNo: number; amount: number; status: string; reason: string | null; flaggedAt: Date }[];
  };
  failedPaymentPhones: { total: number; items: { phone: string; failed: number; lastAt: Date; orderIds: string[] }[] };
  repeatRefunders: {
    total: number;
    items: { customerId: string; name: string | null; refunded: number; refundAmount: number; orders: number }[];
  };
  bigNewOrders: {
    /** The window's average paid order; null when nothing was paid. */
    averageOrder: number | null;
    threshold: number | null;
    total: number;
    items: {
      orderId: string;
      orderNo: number;
      amount: number;
      status: string;
      paymentStatus: string;
      customerId: string;
      createdAt: Date;
    }[];
  };
};

export interface ShopProvider {
  readonly kind: ProviderKind;
  /** Shown to the owner in the footer: "демо", "SIS". */
  readonly label: string;
  /** Table or endpoint names for provenance, prefixed with the kind ("demo:demo_kpi_daily"). */
  source(name: string): string;

  clock(now: Date, timeZone: string): Promise<ShopClock>;

  kpiDays(from: LocalDay, to: LocalDay): Promise<KpiDay[]>;
  /** KPI of the instants [start, end) by the daily rollup's definitions: part of a day, for like-for-like comparisons. */
  kpiBetween(start: Date, end: Date): Promise<Omit<KpiDay, "day">>;
  /** The latest day with KPI data on or before `onOrBefore`. */
  latestKpiDay(onOrBefore: LocalDay): Promise<LocalDay | null>;
  funnelDays(from: LocalDay, to: LocalDay): Promise<FunnelDay[]>;

  searchOrders(filter: OrderFilter, countCap: number): Promise<OrderPage>;
  orderDetail(orderNo: number): Promise<OrderDetail | null>;

  salesRanking(q: {
    from: LocalDay;
    to: LocalDay;
    groupBy: SalesGroupBy;
    metric: "revenue" | "qty";
    direction: "top" | "bottom";
    limit: number;
    offset: number;
  }): Promise<SalesRanking>;
  /** `alpha` asks for the SES level too, which costs a pass over every day of the history. */
  demandStats(q: { from: LocalDay; to: LocalDay; windowDays: number; alpha?: number; categories?: string[] }): Promise<ProductDemand[]>;

  inventoryCounts(lowStockLte: number): Promise<Record<InventorySection, number>>;
  inventoryList(section: InventorySection, lowStockLte: number, limit: number, offset: number): Promise<ProductRow[]>;

  refundBreakdown(q: { start: Date; end: Date; by: "reason" | "product"; limit: number }): Promise<RefundBreakdown[]>;

  /** Unanswered open threads whose last customer message is at or before `waitingSince`, newest first. */
  unansweredChats(q: { waitingSince: Date; limit: number; offset: number }): Promise<{ total: number; items: ChatThread[] }>;
  chatQueue(q: { now: Date; cutoffsHours: number[]; oldestLimit: number }): Promise<ChatQueue>;

  coupons(): Promise<Coupon[]>;
  team(): Promise<TeamMember[]>;
  fxRates(onOrBefore: LocalDay): Promise<FxRate[]>;

  /** Newest first; `hasMore` instead of a total, because the audit table is unbounded. */
  /** `requestsOnly`: the rows that record an owner's request (retrospective_last). */
  auditRecent(q: { limit: number; offset: number; errorsOnly: boolean; types?: string[]; requestsOnly?: boolean }): Promise<{
    hasMore: boolean;
    items: AuditEvent[];
  }>;
  auditCounts(q: { start: Date; end: Date }): Promise<AuditCount[]>;
  memoJobs(q: { start: Date; end: Date }): Promise<MemoJobCount[]>;

  riskSignals(q: RiskQuery): Promise<RiskSignals>;
}
