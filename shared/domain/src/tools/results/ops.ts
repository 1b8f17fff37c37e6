import type { ChatQueue, ChatThread, Coupon } from "../provider.ts";

// The result data of the ops tools: plain types the tools return and the presenters read.

export type ChatsUnansweredData = {
  count: number;
  thresholdHours: number;
  offset: number;
  /** The shop's "now" the waiting times are measured from. */
  now: string;
  threads: ChatThread[];
};

export type TeamQueueData = {
  total: number;
  over2h: number;
  over6h: number;
  over24h: number;
  byAssignee: ChatQueue["byAssignee"];
  topOverdue: ChatThread[];
  now: string;
  recommendation: string;
};

export type CouponState = "active" | "scheduled" | "expired" | "exhausted" | "disabled";

export type CouponRow = Coupon & { state: CouponState };

export type CouponsStatusData = {
  totalActive: number;
  byState: Record<CouponState, number>;
  expiringSoon: CouponRow[];
  /** The first five of rankByUse, inactive ones included (with their state). */
  topUsed: CouponRow[];
  now: string;
};

export type CouponsTopUsedData = { rows: (CouponRow & { rank: number })[]; totalUses: number };
