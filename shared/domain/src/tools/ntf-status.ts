import { z } from "zod";
import { effectiveTz, nextDigestAt, nextWeeklyAt } from "../notify/schedule.ts";
import { loadNotifySettings } from "../notify/settings.ts";
import { ownerOf, SETTINGS_SOURCE, todayWindow } from "./ntf-setter.ts";
import { defineTool } from "./registry.ts";
import { makeResult } from "./runtime.ts";
import type { NtfStatusData } from "./results/ntf.ts";

// ntf_status (reference §3 row 39): every notification setting of the owner, grouped by feature,
// with when the next digest and weekly report go. Reading never creates the settings row.

export const ntfStatus = defineTool({
  name: "ntf_status",
  version: "1.0",
  kind: "read",
  title: "Уведомления",
  description: "All of the owner's notification settings by feature, next digest/weekly local time, ops rules, escalation state.",
  input: z.object({}),
  async run(_input, ctx) {
    const owner = ownerOf(ctx);
    const settings = await loadNotifySettings(ctx.db, owner);
    const shopTz = ctx.shop.timeZone;
    const data: NtfStatusData = {
      settings,
      digestTz: effectiveTz(settings.digest_tz, shopTz),
      weeklyTz: effectiveTz(settings.weekly_tz, shopTz),
      nextDigestAt: nextDigestAt(settings, ctx.now, shopTz)?.toISOString() ?? null,
      nextWeeklyAt: nextWeeklyAt(settings, ctx.now, shopTz)?.toISOString() ?? null,
    };
    return makeResult(ctx, { tz: shopTz }, data, { sources: [SETTINGS_SOURCE], window: todayWindow(ctx) });
  },
});
