import { z } from "zod";
import { capabilities } from "../sis/capabilities.ts";
import { AppError } from "@ownerbot/core/errors";
import { localDay } from "../format/dates.ts";
import { boolParam } from "./params.ts";
import { defineTool } from "./registry.ts";
import { makeResult } from "./runtime.ts";
import type { CapabilitiesData } from "./results/capabilities.ts";

// sis_actions_capabilities: which write operations the shop's SIS serves, probed live (reference
// §3 row 28, §6). Like the reference it probes whenever SIS is configured, also in DEMO, so the
// owner can check a SIS before switching to it. Without SIS_BASE_URL and a key it says what DEMO
// does instead of pretending to have probed anything.

export const sisActionsCapabilities = defineTool({
  name: "sis_actions_capabilities",
  version: "1.0",
  kind: "read",
  title: "Возможности SIS",
  description:
    "Probes the SIS Actions API (fx, prices bump/rollback, discounts, products/looks publish): supported, unsupported, misconfigured or offline; cached 6 h.",
  input: z.object({ force_refresh: boolParam().default(false) }),
  async run(input, ctx) {
    if (!ctx.system) throw new AppError("CONFIG_MISSING", "Сведения о системе недоступны: бот не передал их этому отчёту.");
    const today = localDay(ctx.now, ctx.shop.timeZone);
    const base = { configuredMode: ctx.system.configuredMode, effectiveMode: ctx.system.effectiveMode };
    const summary = { supported: 0, unsupported: 0, misconfigured: 0, offline: 0, unknown: 0 };
    if (!ctx.sis) {
      const data: CapabilitiesData = { ...base, baseUrl: null, checkedAt: null, cached: false, probes: [], summary };
      return makeResult(ctx, { tz: ctx.shop.timeZone }, data, { sources: ["core:config"], window: { from: today, to: today } });
    }
    const { report, cached } = await capabilities(ctx.sis, {
      now: ctx.now,
      correlationId: ctx.correlationId,
      forceRefresh: input.force_refresh,
    });
    for (const p of report.probes) summary[p.status] += 1;
    const data: CapabilitiesData = {
      ...base,
      baseUrl: report.baseUrl,
      checkedAt: report.checkedAt,
      cached,
      probes: report.probes,
      summary,
    };
    const warnings = [];
    if (summary.offline > 0)
      warnings.push({ code: "SIS_OFFLINE", message: "SIS не ответил на часть проверок — результат не сохранён, повторите позже" });
    if (summary.misconfigured > 0)
      warnings.push({ code: "SIS_AUTH", message: "SIS отклонил ключ (401/403): проверьте SIS_OWNERBOT_API_KEY" });
    return makeResult(
      ctx,
      { tz: ctx.shop.timeZone },
      data,
      { sources: ["sis:/ownerbot/v1/actions"], window: { from: today, to: today } },
      warnings,
    );
  },
});
