import { startDemoWorld } from "@ownerbot/testkit/owner-chat";
import type { World } from "@ownerbot/testkit/world";

// The e2e world of the report tests: a demo shop whose today is the wall clock's (the documents
// print "generated at"), Moscow time, roubles, and the report worker running beside the pipeline.

export const REPORT_TZ = "Europe/Moscow";

/** Today in the shop's zone, as the demo shop's anchor day. */
export const reportToday = (): string => new Intl.DateTimeFormat("en-CA", { timeZone: REPORT_TZ }).format(new Date());

export function startReportWorld(env: Record<string, string> = {}): Promise<World> {
  return startDemoWorld({
    env: { OWNER_TZ: REPORT_TZ, SHOP_CURRENCY: "RUB", SHOP_LOCALE: "ru-RU", ...env },
    seed: 7,
    anchorDay: reportToday(),
    timeZone: REPORT_TZ,
    report: true,
  });
}
