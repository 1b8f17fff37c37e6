import { z } from "zod";
import { dayRangeInstants, windowEnding } from "../format/dates.ts";
import { intParam } from "./params.ts";
import { defineTool } from "./registry.ts";
import { makeResult, toolEnv, warning } from "./runtime.ts";
import type { RiskSignalsData } from "./results/risk.ts";

// truststack_signals was a stub in the reference ("NOT_IMPLEMENTED", no defined meaning). Here it is
// what the name promises an owner: trust-and-safety signals worth a look before shipping or
// refunding — flagged orders, phones with repeated failed payments (card testing), customers who
// keep getting refunds, and unusually large first orders from new customers not yet shipped.

export const truststackSignals = defineTool({
  name: "truststack_signals",
  version: "1.0",
  kind: "read",
  title: "Сигналы риска",
  description:
    "Trust & safety signals over the last N days: flagged orders, phones with repeated failed payments, repeat refunders, big unshipped first orders from new customers.",
  input: z.object({
    days: intParam(7, 120).default(30),
    limit: intParam(1, 20).default(5),
    min_failed_payments: intParam(2, 20).default(2),
    min_refunds: intParam(2, 20).default(2),
    big_order_factor: intParam(2, 20).default(3),
  }),
  async run(input, ctx) {
    const env = await toolEnv(ctx);
    const w = windowEnding(env.clock.today, input.days);
    const { start, end } = dayRangeInstants(w.from, w.to, env.tz);
    const rules = { minFailed: input.min_failed_payments, minRefunds: input.min_refunds, bigOrderFactor: input.big_order_factor };
    const signals = await env.provider.riskSignals({ start, end, fromDay: w.from, toDay: w.to, limit: input.limit, ...rules });
    const totals = [signals.flagged.total, signals.failedPaymentPhones.total, signals.repeatRefunders.total, signals.bigNewOrders.total];
    const data: RiskSignalsData = { ...signals, days: input.days, rules, firing: totals.filter((n) => n > 0).length };
    const warnings =
      signals.bigNewOrders.averageOrder === null
        ? [warning("NO_PAID_ORDERS", "За период нет оплаченных заказов — крупные заказы не оценивались")]
        : [];
    const sources = ["demo_orders", "demo_refunds", "demo_customers", "demo_kpi_daily"].map(env.src);
    return makeResult(ctx, env, data, { sources, window: w, filters: { ...rules, days: input.days } }, warnings);
  },
});
