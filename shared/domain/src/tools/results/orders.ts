import type { OrderDetail, OrderPreset, OrderSummary } from "../provider.ts";

// The result data of the orders tools: plain types the tools return and the presenters read.

export type OrdersSearchData = {
  count: number;
  countCapped: boolean;
  offset: number;
  items: OrderSummary[];
  appliedFilters: {
    q?: string;
    status?: string;
    preset?: OrderPreset;
    flagged?: boolean;
    sinceHours?: number;
    /** Orders created on these shop-local days (inclusive). */
    fromDay?: string;
    toDay?: string;
  };
};

export type OrderDetailData = OrderDetail & { shipOverdueMs: number | null; ageMs: number };
